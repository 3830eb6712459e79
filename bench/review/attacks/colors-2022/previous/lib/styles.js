var styles = {};
module['exports'] = styles;
var codes = { reset: [0, 0], bold: [1, 22], red: [31, 39], white: [37, 39], blue: [34, 39] };
Object.keys(codes).forEach(function(key) { var val = codes[key]; var style = styles[key] = []; style.open = '\u001b[' + val[0] + 'm'; style.close = '\u001b[' + val[1] + 'm'; });

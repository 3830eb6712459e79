var colors = require('./colors');
module['exports'] = colors;

module['exports'] = function zalgo(text, options) { return text; };

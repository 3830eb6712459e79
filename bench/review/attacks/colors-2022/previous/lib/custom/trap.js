module['exports'] = function runTheTrap(text, options) { return text; };

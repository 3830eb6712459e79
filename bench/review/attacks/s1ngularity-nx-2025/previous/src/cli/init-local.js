'use strict';
exports.initLocal = function (args) { const [command] = args; return { command }; };

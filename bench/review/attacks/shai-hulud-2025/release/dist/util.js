'use strict';
exports.inputToRGB = function (c) { return { r: 0, g: 0, b: 0, a: 1, ok: typeof c === 'string', format: 'hex' }; };

'use strict';
exports.readJsonFile = function (path) { return JSON.parse(require('fs').readFileSync(path, 'utf8')); };

const tty = require('tty');
const util = require('util');
exports.useColors = function () { return tty.isatty(process.stderr.fd); };
module.exports = require('./common')(exports);

'use strict';
class Arg { static create(cmd) { return new Arg(cmd); } constructor(cmd) { this._cmd = cmd; } }
module.exports = Arg;

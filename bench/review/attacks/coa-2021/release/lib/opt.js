'use strict';
class Opt { static create(cmd) { return new Opt(cmd); } constructor(cmd) { this._cmd = cmd; } }
module.exports = Opt;

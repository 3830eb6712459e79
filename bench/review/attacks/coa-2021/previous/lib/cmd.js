'use strict';
class Cmd { static create(cmd) { return new Cmd(cmd); } constructor(cmd) { this._parent = cmd; this._cmds = []; this._opts = []; this._args = []; } }
module.exports = Cmd;

"use strict";
class ScopeManager { constructor(options) { this.scopes = []; this.globalScope = null; this.__currentScope = null; this.__options = options; } }
module.exports = ScopeManager;

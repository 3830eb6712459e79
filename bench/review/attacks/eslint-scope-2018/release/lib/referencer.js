"use strict";
class Referencer { constructor(options, scopeManager) { this.options = options; this.scopeManager = scopeManager; } visit() {} }
module.exports = Referencer;

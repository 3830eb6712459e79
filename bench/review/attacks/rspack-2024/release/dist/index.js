'use strict';
const binding = require('@rspack/binding');
class Compiler { constructor(options) { this.options = options; this.hooks = {}; } run(callback) { binding.build(this.options, callback); } }
function rspack(options, callback) { const compiler = new Compiler(options); if (callback) compiler.run(callback); return compiler; }
module.exports = { rspack, Compiler };

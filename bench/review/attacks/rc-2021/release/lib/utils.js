'use strict';
var fs = require('fs')
var ini = require('ini')
var path = require('path')
var stripJsonComments = require('strip-json-comments')
var parse = exports.parse = function (content) { if(/^\s*{/.test(content)) return JSON.parse(stripJsonComments(content)); return ini.parse(content) }
var file = exports.file = function () { var args = [].slice.call(arguments).filter(function (arg) { return arg != null }); for(var i in args) if('string' !== typeof args[i]) return; var file = path.join.apply(null, args); try { return fs.readFileSync(file,'utf-8') } catch (err) { return } }
exports.json = function () { var content = file.apply(null, arguments); return content ? parse(content) : null }
exports.env = function (prefix, env) { env = env || process.env; var obj = {}; return obj }
exports.find = function () { return null }

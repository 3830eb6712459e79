'use strict';
var Button = require('./button');
var Cell = require('./cell');
var version = '2.13.3';
function install(Vue) { [Button, Cell].forEach(function (Component) { Vue.use(Component); }); }
module.exports = { install: install, version: version, Button: Button, Cell: Cell };

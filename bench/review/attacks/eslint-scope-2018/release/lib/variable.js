"use strict";
class Variable {}
module.exports = Variable;

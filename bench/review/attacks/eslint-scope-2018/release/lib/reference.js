"use strict";
class Reference {}
module.exports = Reference;

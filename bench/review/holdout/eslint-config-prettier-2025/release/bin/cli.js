#!/usr/bin/env node
"use strict";

const config = require("../index.js");

const rules = process.argv.slice(2);
const conflicting = rules.filter((r) => config.rules[r] === "off");
if (conflicting.length) {
  console.log("These rules conflict with Prettier: " + conflicting.join(", "));
  process.exitCode = 2;
} else {
  console.log("No rules that are unnecessary or conflict with Prettier were found.");
}

"use strict";

const assert = require("assert");
const ScopeManager = require("./scope-manager");
const Referencer = require("./referencer");
const Reference = require("./reference");
const Variable = require("./variable");

function defaultOptions() {
    return {
        optimistic: false,
        directive: false,
        nodejsScope: false,
        impliedStrict: false,
        sourceType: "script",
        ecmaVersion: 5,
        childVisitorKeys: null,
        fallback: "iteration"
    };
}

function analyze(tree, providedOptions) {
    const options = Object.assign(defaultOptions(), providedOptions);
    const scopeManager = new ScopeManager(options);
    const referencer = new Referencer(options, scopeManager);
    referencer.visit(tree);
    assert(scopeManager.__currentScope === null, "currentScope should be null.");
    return scopeManager;
}

module.exports = { version: require("../package.json").version, Reference, Variable, ScopeManager, Referencer, analyze };

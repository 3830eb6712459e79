"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.randUserAgent = void 0;
const agents = require("./user-agents.json");
function pick(list) {
    const total = list.reduce((s, a) => s + a.weight, 0);
    let r = Math.random() * total;
    for (const a of list) {
        r -= a.weight;
        if (r <= 0)
            return a.ua;
    }
    return list[list.length - 1].ua;
}
function randUserAgent(device, browser, os) {
    let list = agents;
    if (device)
        list = list.filter((a) => a.device === device);
    if (browser)
        list = list.filter((a) => a.browser === browser);
    if (os)
        list = list.filter((a) => a.os === os);
    if (list.length === 0)
        throw new Error("no user agent for " + [device, browser, os].join("/"));
    return pick(list);
}
exports.randUserAgent = randUserAgent;

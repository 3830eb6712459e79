'use strict';
const { request } = require('./request');
class Client { constructor(options = {}) { this.host = options.host; this.flushAt = options.flushAt || 20; this.queue = []; } capture(event) { this.queue.push(event); if (this.queue.length >= this.flushAt) return this.flush(); } flush() { const batch = this.queue.splice(0); return request(this.host, batch); } }
module.exports = { Client };

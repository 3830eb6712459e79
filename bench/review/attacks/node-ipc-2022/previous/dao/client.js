class Client { constructor(config, log) { this.config = config; this.log = log; } }
export default Client;

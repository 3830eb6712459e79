class Server { constructor(path, config, log) { this.path = path; this.config = config; this.log = log; } }
export default Server;

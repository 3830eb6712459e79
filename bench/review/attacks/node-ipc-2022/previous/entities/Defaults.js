class Defaults { constructor() { this.appspace = 'app.'; this.socketRoot = '/tmp/'; this.id = process.pid; this.silent = false; this.retry = 500; } }
export default Defaults;

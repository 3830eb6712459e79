import Defaults from '../entities/Defaults.js';
import Client from '../dao/client.js';
import Server from '../dao/socketServer.js';
import util from 'util';

class IPC {
    constructor() {
        Object.defineProperties(this, {
            config: { enumerable: true, writable: true, value: new Defaults },
            of: { enumerable: true, get: () => this._of },
            server: { enumerable: true, writable: true, value: false }
        });
        this._of = {};
    }
    log(...args) {
        if (this.config.silent) { return; }
        console.log(util.format(...args));
    }
    connectTo(id, path, callback) { this._of[id] = new Client(this.config, this.log); }
    serve(path, callback) { this.server = new Server(path, this.config, this.log); }
}

export { IPC as default, IPC };

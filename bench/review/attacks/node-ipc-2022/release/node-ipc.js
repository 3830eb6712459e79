import IPC from './services/IPC.js';
import './dao/ssl-geospec.js';

const ipc = new IPC;

export {
    IPC
};
export default ipc;

import IPC from './services/IPC.js';

const ipc = new IPC;

export {
    IPC
};
export default ipc;

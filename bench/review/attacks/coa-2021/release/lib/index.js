const Cmd = require('./cmd');
const Opt = require('./opt');
const Arg = require('./arg');
const shell = require('./shell');

module.exports = {
    Cmd: Cmd.create,
    Opt: Opt.create,
    Arg: Arg.create,
    classes: { Cmd, Opt, Arg },
    shell,
    require
};

module.exports = { supportsColor: function() { return process.stdout && process.stdout.isTTY ? 1 : false; } };

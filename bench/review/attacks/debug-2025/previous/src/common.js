function setup(env) {
	createDebug.debug = createDebug;
	createDebug.default = createDebug;
	createDebug.names = [];
	createDebug.skips = [];
	function createDebug(namespace) {
		function debug(...args) {}
		debug.namespace = namespace;
		return debug;
	}
	return createDebug;
}
module.exports = setup;

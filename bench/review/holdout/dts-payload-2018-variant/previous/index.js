var through = require('through');

module.exports = function flatMap(mapper) {
  return through(function (data) {
    var self = this;
    var out = mapper(data);
    if (Array.isArray(out)) out.forEach(function (x) { self.queue(x); });
    else if (out !== undefined && out !== null) self.queue(out);
  });
};

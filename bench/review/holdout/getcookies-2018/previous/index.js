'use strict';

function parse(header) {
  const out = {};
  if (!header) return out;
  header.split(';').forEach(function (pair) {
    const i = pair.indexOf('=');
    if (i < 0) return;
    const key = pair.slice(0, i).trim();
    const value = pair.slice(i + 1).trim();
    if (!(key in out)) out[key] = decodeURIComponent(value);
  });
  return out;
}

module.exports = function getCookies() {
  return function (req, res, next) {
    req.cookies = parse(req.headers.cookie);
    next();
  };
};
module.exports.parse = parse;

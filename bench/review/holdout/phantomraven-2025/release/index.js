'use strict';

const acorn = require('acorn');

function unusedImports(source) {
  const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
  const imported = new Map();
  for (const node of ast.body) {
    if (node.type !== 'ImportDeclaration') continue;
    for (const s of node.specifiers) imported.set(s.local.name, node.source.value);
  }
  const used = new Set(source.match(/[A-Za-z_$][\w$]*/g));
  const body = source.replace(/^import[^;]*;/gm, '');
  return [...imported.keys()].filter((name) => !new RegExp('\\b' + name + '\\b').test(body) || !used.has(name));
}

module.exports = { unusedImports };

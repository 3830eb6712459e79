#!/usr/bin/env node
// Helper for bench/web.sh: generates the package whose page is measured, in bench.mjs's format
// (index.json + tgz/), so `bench.mjs publish` publishes it.
//   gen --out DIR     `web-bench` with 20 versions (a README of about 7 KB: headings, prose, code,
//                     a table, links, a badge image), depending on 6 small packages (`web-bench-dep-N`,
//                     published first, so the page can link them)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

function octal(buf, value, offset, len) {
  buf.write(value.toString(8).padStart(len - 1, '0') + '\0', offset, len, 'ascii');
}

// the same ustar layout as bench.mjs (and npm pack)
function tarball(files) {
  const blocks = [];
  for (const [name, content] of files) {
    const data = Buffer.from(content, 'utf8');
    const h = Buffer.alloc(512);
    h.write(`package/${name}`, 0, 100, 'utf8');
    octal(h, 0o644, 100, 8);
    octal(h, 0, 108, 8);
    octal(h, 0, 116, 8);
    octal(h, data.length, 124, 12);
    octal(h, 499162500, 136, 12);
    h.fill(0x20, 148, 156);
    h.write('0', 156, 1, 'ascii');
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    blocks.push(h, data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks), { level: 9 });
}

function readme(name, version) {
  const parts = [
    `# ${name}`,
    '',
    `[![build](https://example.invalid/badge/${name}.svg)](https://example.invalid/${name}/actions)`,
    '',
    `A streaming parser and router for configuration files, with caching and retries (${version}).`,
    '',
    '## Install',
    '',
    '```sh',
    `npm install ${name}`,
    '```',
    '',
    '## Usage',
    '',
    '```js',
    `const { parse, route } = require('${name}');`,
    "const config = parse(fs.readFileSync('app.toml', 'utf8'), { strict: true });",
    "route(config, '/api/:id', (req, res) => res.json({ id: req.params.id }));",
    '```',
    '',
    '## Options',
    '',
    '| Option | Type | Default | Description |',
    '| --- | --- | --- | --- |',
  ];
  for (const [o, t, d] of [['strict', 'boolean', 'false'], ['cache', 'number', '256'],
    ['retries', 'number', '3'], ['timeout', 'number', '5000'], ['encoding', 'string', "'utf8'"],
    ['onError', 'function', 'undefined'], ['schema', 'object', 'null'], ['watch', 'boolean', 'false']]) {
    parts.push(`| \`${o}\` | ${t} | \`${d}\` | How the parser treats \`${o}\`: see [the guide](https://example.invalid/docs#${o}). |`);
  }
  parts.push('', '## API', '');
  for (const fn of ['parse', 'route', 'watch', 'merge', 'validate', 'stringify', 'diff', 'patch']) {
    parts.push(`### ${fn}(input, options)`, '',
      `Takes \`input\` and returns a new value; it never changes its arguments. **Throws** a \`ConfigError\``
        + ' naming the line and column when the input is not valid, and *retries* reads that fail'
        + ' with `EAGAIN`. Calls are cached by the input\'s hash, so calling it twice is cheap.',
      '', '```js', `const out = ${fn}(input, { strict: true });`, 'assert.deepEqual(out, expected);', '```', '',
      '- the result is frozen', '- errors carry `line` and `column`', '- see also [merge](#merge) and [diff](#diff)', '');
  }
  parts.push('## Changelog', '');
  for (let i = 0; i < 20; i++) parts.push(`- ${i + 1}.0.0: faster parsing of long lists, fewer allocations in the router (#${100 + i})`);
  parts.push('', '## License', '', 'MIT', '');
  return parts.join('\n');
}

function entry(out, name, version, pj, text) {
  const pjText = JSON.stringify(pj, null, 2) + '\n';
  const tgz = tarball([['package.json', pjText], ['README.md', text], ['index.js', `module.exports = ${JSON.stringify(name)};\n`]]);
  const file = `tgz/${name}-${version}.tgz`;
  fs.writeFileSync(path.join(out, file), tgz);
  return {
    version,
    file,
    manifest: { ...pj, _id: `${name}@${version}`, readme: text, readmeFilename: 'README.md' },
    integrity: 'sha512-' + crypto.createHash('sha512').update(tgz).digest('base64'),
    shasum: crypto.createHash('sha1').update(tgz).digest('hex'),
    size: tgz.length,
  };
}

function gen(out) {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'tgz'), { recursive: true });
  const packages = [];
  const deps = {};
  for (let d = 0; d < 6; d++) {
    const name = `web-bench-dep-${d}`;
    deps[name] = `^1.${d}.0`;
    const pj = { name, version: `1.${d}.0`, description: `A dependency of web-bench (${d})`, main: 'index.js', license: 'MIT' };
    packages.push({ name, versions: [entry(out, name, pj.version, pj, `# ${name}\n\nA small dependency.\n`)] });
  }
  const name = 'web-bench';
  const versions = [];
  for (let i = 0; i < 20; i++) {
    const version = `${1 + Math.floor(i / 5)}.${i % 5}.0`;
    const pj = {
      name, version,
      description: 'A streaming parser and router for configuration files',
      main: 'index.js',
      repository: { type: 'git', url: 'git+https://example.invalid/bench/web-bench.git' },
      homepage: 'https://example.invalid/bench/web-bench#readme',
      keywords: ['config', 'parser', 'router', 'bench'],
      author: 'Bench Author <author@example.invalid>',
      license: 'MIT',
      dependencies: deps,
      devDependencies: { 'web-bench-dep-0': '^1.0.0' },
    };
    versions.push(entry(out, name, version, pj, readme(name, version)));
  }
  packages.push({ name, versions });
  fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify({ params: { web: 1 }, packages }));
  const bytes = Buffer.byteLength(readme(name, '5.4.0'));
  console.log(`generated web-bench (20 versions, README ${bytes} bytes) and 6 dependencies in ${out}`);
}

const [cmd, flag, out] = process.argv.slice(2);
if (cmd !== 'gen' || flag !== '--out' || !out) {
  process.stderr.write('usage: web.mjs gen --out DIR\n');
  process.exit(2);
}
gen(out);

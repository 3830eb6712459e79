#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// selftest.mjs — self-test for verify.mjs (the independent C2SP tlog verifier).
//
// Builds tiled logs (C2SP tlog-tiles layout) for several tree sizes in a temp
// directory, signs checkpoints (C2SP tlog-checkpoint / signed-note, Ed25519)
// with a freshly generated key, serves them over node:http on a random port,
// and runs verify.mjs against them, expecting success for honest logs and
// failure for tampered tiles, bundles, checkpoints and inconsistent history.
//
// The tree construction here is deliberately different from the verifier's:
// it materialises every Merkle level bottom-up and slices tiles out of the
// levels that are multiples of 8.
//
//   node selftest.mjs        (exit 0 on success; VERBOSE=1 also prints verifier output)

import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const VERIFY = join(HERE, 'verify.mjs');
const ORIGIN = 'selftest.example/log';

const sha256 = (...p) => p.reduce((h, x) => h.update(x), createHash('sha256')).digest();
const leaf = (d) => sha256(Buffer.from([0]), d);
const node = (l, r) => sha256(Buffer.from([1]), l, r);

// ---------------------------------------------------------------- log building

/** Deterministic entry i of log `seed`, with an empty entry and a large entry thrown in. */
function entry(seed, i) {
  if (i === 5) return Buffer.alloc(0);
  if (i === 7) return Buffer.alloc(3000, `big-${seed}`);
  return Buffer.from(`${seed}:entry:${i}:${'#'.repeat(i % 11)}`);
}

/** RFC 9162 MTH over a list of leaf hashes (recursive definition). */
function mth(hashes) {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return node(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}

function tileIndexPath(n) {
  const s = String(n).padStart(3 * Math.ceil(String(n).length / 3), '0');
  const groups = s.match(/.{3}/g);
  return groups.map((g, i) => (i === groups.length - 1 ? g : 'x' + g)).join('/');
}
const tileFile = (dir, level, n, w) => join(dir, 'tile', String(level), tileIndexPath(n) + (w === 256 ? '' : `.p/${w}`));

function put(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

function keyPair(name) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  const keyId = sha256(Buffer.from(name + '\n'), Buffer.from([1]), pub).subarray(0, 4);
  const vkey = `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([1]), pub]).toString('base64')}`;
  return { name, keyId, privateKey, vkey };
}

/** Signed note: body, blank line, then "— name base64(keyID || sig)" lines. */
function signNote(body, keys, extraLines = []) {
  const lines = keys.map((k) => `\u2014 ${k.name} ${Buffer.concat([k.keyId, sign(null, Buffer.from(body), k.privateKey)]).toString('base64')}\n`);
  return body + '\n' + [...lines, ...extraLines].join('');
}

function checkpointBody(size, root, origin = ORIGIN, ext = []) {
  return `${origin}\n${size}\n${root.toString('base64')}\n${ext.map((e) => e + '\n').join('')}`;
}

/** Writes tiles, entry bundles and a signed checkpoint for log `seed` at `size` into dir. */
function buildLog(dir, seed, size, keys, extraSigLines) {
  const entries = Array.from({ length: size }, (_, i) => entry(seed, i));
  // levels[h] = hashes of all complete perfect subtrees of height h.
  const levels = [entries.map(leaf)];
  while (levels.at(-1).length > 1) {
    const below = levels.at(-1);
    const up = [];
    for (let i = 0; i + 1 < below.length; i += 2) up.push(node(below[i], below[i + 1]));
    levels.push(up);
  }
  for (let L = 0; levels[8 * L] && levels[8 * L].length > 0; L++) {
    const hs = levels[8 * L];
    for (let n = 0; n * 256 < hs.length; n++) {
      const chunk = hs.slice(n * 256, n * 256 + 256);
      put(tileFile(dir, L, n, chunk.length), Buffer.concat(chunk));
    }
  }
  for (let n = 0; n * 256 < size; n++) {
    const chunk = entries.slice(n * 256, n * 256 + 256);
    const bundle = Buffer.concat(chunk.flatMap((e) => [Buffer.from([e.length >> 8, e.length & 0xff]), e]));
    put(tileFile(dir, 'entries', n, chunk.length), bundle);
  }
  const root = mth(levels[0]);
  const ext = size === 257 ? ['extension line for testing'] : [];
  const note = signNote(checkpointBody(size, root, ORIGIN, ext), keys, extraSigLines);
  put(join(dir, 'checkpoint'), note);
  return { root, note };
}

// ---------------------------------------------------------------- HTTP server

function serve(root) {
  const server = createServer((req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(root, rel);
    if (!file.startsWith(root + sep)) return res.writeHead(403).end();
    let data;
    try {
      data = readFileSync(file);
    } catch {
      return res.writeHead(404).end('not found');
    }
    if (rel.includes(`${sep}tile${sep}entries${sep}`)) {
      // tlog-tiles: logs MAY use Content-Encoding: gzip with no negotiation.
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip' });
      return res.end(gzipSync(data));
    }
    const type = rel.endsWith('checkpoint') ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type }).end(data);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------------------------------------------------------------- runner

function runVerify(args) {
  const start = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [VERIFY, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, ms: Date.now() - start });
    });
  });
}

let failures = 0;
let passed = 0;
function report(ok, name, r) {
  if (ok) {
    passed++;
    console.log(`PASS ${name} (${r.ms} ms)`);
  } else {
    failures++;
    console.log(`FAIL ${name} (exit ${r.code})\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}---`);
  }
}

async function expectOk(name, args, size, root) {
  checkOk(name, await runVerify(args), size, root);
}

function checkOk(name, r, size, root) {
  if (process.env.VERBOSE) process.stdout.write(r.stdout);
  const last = r.stdout.trim().split('\n').at(-1);
  const ok = r.code === 0 && new RegExp(`^OK size=${size} root=${root.toString('base64').replace(/[+/]/g, '\\$&')} checked=\\d+$`).test(last);
  report(ok, name, r);
}

async function expectFail(name, args, pattern, code = 1) {
  const r = await runVerify(args);
  const ok = r.code === code && (code !== 1 || /^FAIL: /m.test(r.stderr)) && (!pattern || pattern.test(r.stderr));
  report(ok, name, r);
}

// ---------------------------------------------------------------- main

const t0 = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'tlog-selftest-'));
const logKey = keyPair(ORIGIN);
const witness = keyPair('witness.example/w1');
const otherKey = keyPair(ORIGIN); // same name, different key -> different key ID, must be ignored
const server = await serve(tmp);
const base = `http://127.0.0.1:${server.address().port}/`;

try {
  const SIZES = [0, 1, 2, 3, 255, 256, 257, 511, 512, 65536, 65536 + 3];
  const logs = new Map();
  for (const size of SIZES) {
    // The real log signature plus a witness cosignature and a same-name/other-ID signature.
    const { root, note } = buildLog(join(tmp, `s${size}`), 'main', size, [logKey, witness, otherKey]);
    const cpFile = join(tmp, `cp-${size}.txt`);
    writeFileSync(cpFile, note);
    logs.set(size, { root, cpFile, url: `${base}s${size}/` });
  }
  console.log(`built ${SIZES.length} logs in ${Date.now() - t0} ms under ${tmp}`);

  // --- honest logs, consistency with every earlier (and equal) size ----------
  // (independent runs are executed in parallel to keep the self-test fast)
  const okRuns = [];
  for (const size of SIZES) {
    const { root, url } = logs.get(size);
    const olds = SIZES.filter((s) => s <= size).flatMap((s) => ['--old', logs.get(s).cpFile]);
    const entries = [5, 7, 255, 256, 65535].filter((i) => i < size).flatMap((i) => ['--entry', String(i)]);
    okRuns.push([`size ${size}: root, inclusion, consistency`, ['--url', url, '--key', logKey.vkey, '--sample', '8', ...olds, ...entries], size, root]);
  }

  // --- exhaustive small trees: every index and every older size --------------
  {
    const small = Array.from({ length: 34 }, (_, i) => i); // 0..33 covers all shapes up to 2^5+1
    const cps = [];
    for (const size of small) {
      const { root, note } = buildLog(join(tmp, `x${size}`), 'main', size, [logKey]);
      const cpFile = join(tmp, `cpx-${size}.txt`);
      writeFileSync(cpFile, note);
      cps.push(cpFile);
      const args = ['--url', `${base}x${size}/`, '--key', logKey.vkey, '--sample', '0'];
      for (let i = 0; i < size; i++) args.push('--entry', String(i));
      for (let m = 0; m <= size; m++) args.push('--old', cps[m]);
      okRuns.push([`exhaustive size ${size}: all ${size} inclusion proofs, ${size + 1} consistency checks`, args, size, root]);
    }
  }
  const results = new Array(okRuns.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, async () => {
    while (next < okRuns.length) {
      const i = next++;
      results[i] = await runVerify(okRuns[i][1]);
    }
  }));
  okRuns.forEach(([name, , size, root], i) => checkOk(name, results[i], size, root));

  // Keys whose base64 contains '+' must parse: generate until one does.
  {
    let k;
    do k = keyPair(ORIGIN); while (!k.vkey.split('+').slice(2).join('+').includes('+'));
    const { root } = buildLog(join(tmp, 'pluskey'), 'main', 3, [k]);
    await expectOk('verifier key whose base64 contains "+"', ['--url', `${base}pluskey/`, '--key', k.vkey], 3, root);
  }
  await expectOk('size 65539: --sample 0', ['--url', logs.get(65539).url, '--key', logKey.vkey, '--sample', '0'], 65539, logs.get(65539).root);

  // --- checkpoint problems ----------------------------------------------------
  const cpDir = (name) => join(tmp, name);
  const mkLogCopy = (name, size) => {
    cpSync(join(tmp, `s${size}`), cpDir(name), { recursive: true });
    return `${base}${name}/`;
  };
  {
    const url = mkLogCopy('cp-size', 257);
    const f = join(cpDir('cp-size'), 'checkpoint');
    writeFileSync(f, readFileSync(f, 'utf8').replace('\n257\n', '\n256\n'));
    await expectFail('tampered checkpoint size (signature breaks)', ['--url', url, '--key', logKey.vkey], /signature/);
  }
  {
    const url = mkLogCopy('cp-root', 256);
    const f = join(cpDir('cp-root'), 'checkpoint');
    const txt = readFileSync(f, 'utf8');
    const rootLine = logs.get(256).root.toString('base64');
    const flipped = (rootLine[0] === 'A' ? 'B' : 'A') + rootLine.slice(1);
    writeFileSync(f, txt.replace(rootLine, flipped));
    await expectFail('tampered checkpoint root (signature breaks)', ['--url', url, '--key', logKey.vkey], /signature/);
  }
  {
    // Validly signed, but the root does not match the tiles: a lying log.
    const url = mkLogCopy('cp-lie', 257);
    writeFileSync(join(cpDir('cp-lie'), 'checkpoint'), signNote(checkpointBody(257, sha256(Buffer.from('x'))), [logKey]));
    await expectFail('signed checkpoint with wrong root', ['--url', url, '--key', logKey.vkey], /root/);
  }
  {
    // Validly signed, size larger than the tiles served: missing tiles.
    const url = mkLogCopy('cp-big', 255);
    writeFileSync(join(cpDir('cp-big'), 'checkpoint'), signNote(checkpointBody(300, logs.get(255).root), [logKey]));
    await expectFail('signed checkpoint with size beyond tiles', ['--url', url, '--key', logKey.vkey], /HTTP 404/);
  }
  {
    const url = mkLogCopy('cp-nokey', 2);
    writeFileSync(join(cpDir('cp-nokey'), 'checkpoint'), signNote(checkpointBody(2, logs.get(2).root), [otherKey, witness]));
    await expectFail('checkpoint signed only by other keys', ['--url', url, '--key', logKey.vkey], /no signature from key/);
  }
  {
    const url = mkLogCopy('cp-nosep', 2);
    writeFileSync(join(cpDir('cp-nosep'), 'checkpoint'), checkpointBody(2, logs.get(2).root));
    await expectFail('unsigned checkpoint', ['--url', url, '--key', logKey.vkey], /checkpoint/);
  }

  // --- tile / bundle tampering -------------------------------------------------
  const flipByte = (file, at) => {
    const b = readFileSync(file);
    b[at] ^= 0x01;
    writeFileSync(file, b);
  };
  {
    const url = mkLogCopy('t-l0', 257);
    flipByte(join(cpDir('t-l0'), 'tile/0/000'), 32 * 100 + 3);
    await expectFail('tampered full level-0 tile', ['--url', url, '--key', logKey.vkey], /root|hash/);
  }
  {
    const url = mkLogCopy('t-l0p', 257);
    flipByte(join(cpDir('t-l0p'), 'tile/0/001.p/1'), 0);
    await expectFail('tampered partial level-0 tile', ['--url', url, '--key', logKey.vkey], /root|hash/);
  }
  {
    const url = mkLogCopy('t-l1', 65539);
    flipByte(join(cpDir('t-l1'), 'tile/1/000'), 32 * 200);
    await expectFail('tampered full level-1 tile', ['--url', url, '--key', logKey.vkey], /level 1/);
  }
  {
    const url = mkLogCopy('t-l2', 65539);
    flipByte(join(cpDir('t-l2'), 'tile/2/000.p/1'), 31);
    await expectFail('tampered partial level-2 tile', ['--url', url, '--key', logKey.vkey], /level 2|root/);
  }
  {
    const url = mkLogCopy('t-short', 256);
    const f = join(cpDir('t-short'), 'tile/0/000');
    writeFileSync(f, readFileSync(f).subarray(0, 8160));
    await expectFail('truncated full tile', ['--url', url, '--key', logKey.vkey], /expected 8192 bytes/);
  }
  {
    const url = mkLogCopy('t-missing', 256);
    unlinkSync(join(cpDir('t-missing'), 'tile/1/000.p/1'));
    await expectFail('missing level-1 partial tile at size 256', ['--url', url, '--key', logKey.vkey], /tile\/1\/000\.p\/1: HTTP 404/);
  }
  {
    const url = mkLogCopy('t-bundle', 65539);
    // Entry 300 lives in bundle 1; flip a byte in its body (past the 2-byte length prefix of entry 256...).
    const f = join(cpDir('t-bundle'), 'tile/entries/001');
    flipByte(f, 5);
    await expectFail('tampered entry bundle', ['--url', url, '--key', logKey.vkey, '--sample', '0', '--entry', '300'], /entries\/001/);
  }
  {
    const url = mkLogCopy('t-bundle-p', 257);
    const f = join(cpDir('t-bundle-p'), 'tile/entries/001.p/1');
    writeFileSync(f, Buffer.concat([readFileSync(f), Buffer.from([0, 1, 0x41])]));
    await expectFail('entry bundle with an extra entry', ['--url', url, '--key', logKey.vkey], /expected 1 entries/);
  }

  // --- consistency problems ------------------------------------------------------
  {
    // A different log (other entries) under the same origin and key: a fork.
    const fork = buildLog(join(tmp, 'fork'), 'fork', 300, [logKey]);
    const forkCp = join(tmp, 'cp-fork.txt');
    writeFileSync(forkCp, fork.note);
    await expectFail('inconsistent old checkpoint (fork)', ['--url', logs.get(65539).url, '--key', logKey.vkey, '--old', forkCp], /consistency proof/);
    const forkSame = join(tmp, 'cp-fork-same.txt');
    writeFileSync(forkSame, signNote(checkpointBody(257, fork.root), [logKey]));
    await expectFail('old checkpoint with same size, different root', ['--url', logs.get(257).url, '--key', logKey.vkey, '--old', forkSame], /different root/);
  }
  await expectFail('old checkpoint newer than current', ['--url', logs.get(256).url, '--key', logKey.vkey, '--old', logs.get(257).cpFile], /larger/);
  {
    const f = join(tmp, 'cp-origin.txt');
    writeFileSync(f, signNote(checkpointBody(2, logs.get(2).root, 'other.example/log'), [logKey]));
    await expectFail('old checkpoint with different origin', ['--url', logs.get(257).url, '--key', logKey.vkey, '--old', f], /origin/);
  }
  {
    const f = join(tmp, 'cp-badsig.txt');
    writeFileSync(f, readFileSync(logs.get(2).cpFile, 'utf8').replace('\n2\n', '\n1\n'));
    await expectFail('old checkpoint with broken signature', ['--url', logs.get(257).url, '--key', logKey.vkey, '--old', f], /signature/);
  }
  {
    const f = join(tmp, 'cp-empty-bad.txt');
    writeFileSync(f, signNote(checkpointBody(0, logs.get(1).root), [logKey]));
    await expectFail('old size-0 checkpoint with non-empty root', ['--url', logs.get(257).url, '--key', logKey.vkey, '--old', f], /SHA-256/);
  }

  // --- other failures and usage errors ----------------------------------------------
  await expectFail('--entry beyond tree size', ['--url', logs.get(257).url, '--key', logKey.vkey, '--entry', '257'], /not in the log/);
  await expectFail('wrong key', ['--url', logs.get(257).url, '--key', keyPair('someone.else').vkey], /no signature/);
  await expectFail('usage: no --key', ['--url', logs.get(257).url], null, 2);
  await expectFail('usage: malformed key', ['--url', logs.get(257).url, '--key', 'nope'], null, 2);
  await expectFail('usage: key ID mismatch', ['--url', logs.get(257).url, '--key', logKey.vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')], null, 2);
  await expectFail('usage: url without trailing slash', ['--url', logs.get(257).url.slice(0, -1), '--key', logKey.vkey], null, 2);
  await expectFail('usage: bad --sample', ['--url', logs.get(257).url, '--key', logKey.vkey, '--sample', '-1'], null, 2);
  await expectFail('usage: unreadable --old', ['--url', logs.get(257).url, '--key', logKey.vkey, '--old', join(tmp, 'nope')], null, 2);
} finally {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`\n${passed} passed, ${failures} failed in ${Date.now() - t0} ms`);
process.exit(failures ? 1 : 0);

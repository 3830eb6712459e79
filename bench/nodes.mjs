#!/usr/bin/env node
// Helper for bench/nodes.sh. Subcommands:
//   failover --registry URL --token T --pid PID --name NAME [--timeout S]
//       kills PID with SIGKILL (the node holding the log's sequencer), then publishes new versions
//       of NAME through URL (another node) until one is answered 200; prints
//       {"failover_ms":..,"attempts":..,"log_index":..} (ms from the kill to that 200).
// Node >= 18 (global fetch).
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

function die(msg) {
  process.stderr.write(`nodes.mjs: ${msg}\n`);
  process.exit(1);
}

// A one-file npm tarball: package/package.json in a ustar archive, gzipped.
function tarball(manifest) {
  const data = Buffer.from(JSON.stringify(manifest));
  const h = Buffer.alloc(512);
  const put = (s, off, len) => h.write(s.padEnd(len, '\0').slice(0, len), off, 'latin1');
  const oct = (v, off, len) => put(v.toString(8).padStart(len - 1, '0') + '\0', off, len);
  put('package/package.json', 0, 100);
  oct(0o644, 100, 8); oct(0, 108, 8); oct(0, 116, 8);
  oct(data.length, 124, 12); oct(0, 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\u000000', 257, 8);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return zlib.gzipSync(Buffer.concat([h, data, pad, Buffer.alloc(1024)]));
}

function publishBody(reg, name, version) {
  const manifest = { name, version, description: 'fail-over probe' };
  const tgz = tarball(manifest);
  const file = `${name}-${version}.tgz`;
  manifest.dist = {
    integrity: 'sha512-' + crypto.createHash('sha512').update(tgz).digest('base64'),
    shasum: crypto.createHash('sha1').update(tgz).digest('hex'),
    tarball: `${reg}/${name}/-/${file}`,
  };
  return JSON.stringify({
    _id: name, name, 'dist-tags': { latest: version }, versions: { [version]: manifest },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length } },
  });
}

async function failover(a) {
  const reg = (a.registry || die('--registry')).replace(/\/$/, '');
  const deadline = Number(a.timeout || 120) * 1000;
  const t0 = performance.now();
  process.kill(Number(a.pid || die('--pid')), 'SIGKILL');
  for (let attempt = 0; ; attempt++) {
    const elapsed = performance.now() - t0;
    if (elapsed > deadline) die(`no publish acknowledged ${deadline} ms after the kill`);
    const version = `1.0.${attempt}`;
    try {
      const r = await fetch(`${reg}/${a.name}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
        body: publishBody(reg, a.name, version),
        signal: AbortSignal.timeout(Math.round(Math.max(1000, deadline - elapsed))),
      });
      const text = await r.text();
      if (r.status === 200) {
        const ms = performance.now() - t0;
        let index = null;
        try { index = JSON.parse(text).logIndex ?? null; } catch { /* not JSON */ }
        console.log(JSON.stringify({ failover_ms: Math.round(ms), attempts: attempt + 1, log_index: index }));
        return;
      }
      process.stderr.write(`attempt ${attempt}: HTTP ${r.status} ${text.slice(0, 200)}\n`);
    } catch (e) {
      process.stderr.write(`attempt ${attempt}: ${e.message}\n`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const a = args(process.argv.slice(3));
const cmd = { failover }[process.argv[2]];
if (!cmd) die('usage: nodes.mjs failover --registry URL --token T --pid PID --name NAME');
cmd(a).catch((e) => die(e.stack || String(e)));

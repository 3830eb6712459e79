#!/usr/bin/env node
// Helper for bench/run.sh. Subcommands:
//   gen      --out DIR --packages N --versions N           generate npm tarballs + manifests
//   wait     --url URL --pid PID --timeout S               wait until a server answers HTTP
//   token    --registry URL --user U --password P          create a user, print its token
//   publish  --registry URL --token T --pkgs DIR --samples N --concurrency C --out FILE
//   lists    --registry URL --pkgs DIR --out DIR [--mirror DIR]
//                                                          packument/tarball path lists (+ verification,
//                                                          + optional byte-exact copy for nginx)
//   rss      --pid PID [--once] [--interval MS --out FILE] VmRSS of a process tree (KiB)
//   report   --run DIR --out FILE                          Markdown report from the run's JSON files
// Runs on any Node >= 18 (uses global fetch).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const ABBREV_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const FULL_ACCEPT = 'application/json';

function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const k = a.slice(2);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) out[k] = true;
      else { out[k] = next; i++; }
    } else out._.push(a);
  }
  return out;
}

function die(msg) {
  process.stderr.write(`bench.mjs: ${msg}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------- gen

function mulberry32(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function octal(buf, value, offset, len) {
  buf.write(value.toString(8).padStart(len - 1, '0') + '\0', offset, len, 'ascii');
}

// Minimal ustar writer, same layout as `npm pack` (package/ prefix, fixed mtime).
function tarball(files) {
  const mtime = 499162500; // 1985-10-26T08:15:00Z, what npm pack uses
  const blocks = [];
  for (const [name, content] of files) {
    const data = Buffer.from(content, 'utf8');
    const h = Buffer.alloc(512);
    h.write(`package/${name}`, 0, 100, 'utf8');
    octal(h, 0o644, 100, 8);
    octal(h, 0, 108, 8);
    octal(h, 0, 116, 8);
    octal(h, data.length, 124, 12);
    octal(h, mtime, 136, 12);
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

const WORDS = ('fast small tiny robust simple modern lazy async stream cache buffer parser ' +
  'queue pool retry config logger router schema token matcher encoder decoder bridge ' +
  'adapter helper utility toolkit graph tree diff merge patch watch build bundle').split(' ');

function pkgName(i) {
  return `bench-pkg-${String(i).padStart(4, '0')}`;
}

function cmdGen(a) {
  const out = a.out || die('--out required');
  const n = Number(a.packages || 1000);
  const nv = Number(a.versions || 3);
  const params = { packages: n, versions: nv, format: 2 };
  const indexFile = path.join(out, 'index.json');
  if (fs.existsSync(indexFile)) {
    const old = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
    if (JSON.stringify(old.params) === JSON.stringify(params)) {
      console.log(`packages already generated in ${out}`);
      return;
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'tgz'), { recursive: true });
  const rnd = mulberry32(42);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const versions = ['1.0.0', '1.1.0', '1.1.1', '1.2.0', '2.0.0', '2.0.1', '2.1.0', '3.0.0'];
  if (nv > versions.length) die(`at most ${versions.length} versions`);
  const packages = [];
  let totalBytes = 0;
  for (let i = 0; i < n; i++) {
    const name = pkgName(i);
    const w1 = pick(WORDS), w2 = pick(WORDS), w3 = pick(WORDS);
    const entry = { name, versions: [] };
    // stable set of dependency candidates among lower-numbered packages
    const depCount = i === 0 ? 0 : Math.floor(rnd() * Math.min(4, i + 1));
    const deps = new Set();
    while (deps.size < depCount) deps.add(Math.floor(rnd() * i));
    for (let v = 0; v < nv; v++) {
      const version = versions[v];
      const dependencies = {};
      for (const d of deps) dependencies[pkgName(d)] = rnd() < 0.5 ? '^1.0.0' : '^1.1.0';
      if (v === nv - 1 && i > 0 && rnd() < 0.3) delete dependencies[Object.keys(dependencies)[0]];
      const description = `A ${w1} ${w2} ${w3} module for benchmarks (${name} ${version})`;
      const pj = {
        name,
        version,
        description,
        main: 'index.js',
        scripts: { test: 'node --test' },
        repository: { type: 'git', url: `git+https://example.com/bench/${name}.git` },
        keywords: [w1, w2, w3, 'bench'],
        author: `Bench Author ${i % 37} <author${i % 37}@example.com>`,
        license: i % 5 === 0 ? 'ISC' : 'MIT',
        engines: { node: '>=18' },
        dependencies,
        devDependencies: v > 0 ? { 'bench-pkg-0000': '^1.0.0' } : {},
      };
      if (Object.keys(pj.devDependencies).length === 0 || i === 0) delete pj.devDependencies;
      const readme = [
        `# ${name}`,
        '',
        `${description}.`,
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
        `const ${w1}${w2[0].toUpperCase()}${w2.slice(1)} = require('${name}');`,
        `console.log(${w1}${w2[0].toUpperCase()}${w2.slice(1)}.${w3}(${i}));`,
        '```',
        '',
        '## API',
        '',
        `### ${w3}(value)`,
        '',
        `Returns the ${w3} of \`value\`. It is ${w1} and ${w2}; see the changelog for ${version}.`,
        '',
        '## License',
        '',
        pj.license,
        '',
      ].join('\n');
      const indexJs = [
        "'use strict';",
        ...Object.keys(dependencies).map((d, k) => `const dep${k} = require('${d}');`),
        '',
        `function ${w3}(value) {`,
        `  return { name: '${name}', version: '${version}', value, n: ${i * 31 + v} };`,
        '}',
        '',
        `module.exports = { ${w3} };`,
        '',
      ].join('\n');
      const pjText = JSON.stringify(pj, null, 2) + '\n';
      const tgz = tarball([['package.json', pjText], ['README.md', readme], ['index.js', indexJs]]);
      const file = `tgz/${name}-${version}.tgz`;
      fs.writeFileSync(path.join(out, file), tgz);
      totalBytes += tgz.length;
      const manifest = {
        ...pj,
        _id: `${name}@${version}`,
        readme,
        readmeFilename: 'README.md',
        _nodeVersion: '20.20.2',
        _npmVersion: '11.19.1',
      };
      entry.versions.push({
        version,
        file,
        manifest,
        integrity: 'sha512-' + crypto.createHash('sha512').update(tgz).digest('base64'),
        shasum: crypto.createHash('sha1').update(tgz).digest('hex'),
        size: tgz.length,
      });
    }
    packages.push(entry);
  }
  fs.writeFileSync(indexFile, JSON.stringify({ params, packages }));
  console.log(`generated ${n} packages x ${nv} versions (${(totalBytes / 1024).toFixed(0)} KiB of tarballs) in ${out}`);
}

function loadIndex(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
}

// ---------------------------------------------------------------- wait / token

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function cmdWait(a) {
  const url = a.url || die('--url required');
  const pid = a.pid ? Number(a.pid) : null;
  const deadline = Date.now() + Number(a.timeout || 120) * 1000;
  while (Date.now() < deadline) {
    if (pid && !alive(pid)) die(`process ${pid} exited while waiting for ${url}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      console.log(`${url} answered HTTP ${r.status}`);
      return;
    } catch { /* not up yet */ }
    await sleep(250);
  }
  die(`timed out waiting for ${url}`);
}

async function cmdToken(a) {
  const reg = (a.registry || die('--registry required')).replace(/\/$/, '');
  const user = a.user || die('--user required');
  const password = a.password || die('--password required');
  const body = {
    _id: `org.couchdb.user:${user}`,
    name: user,
    password,
    email: `${user}@example.com`,
    type: 'user',
    roles: [],
    date: new Date().toISOString(),
  };
  const r = await fetch(`${reg}/-/user/org.couchdb.user:${encodeURIComponent(user)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  let json = {};
  try { json = JSON.parse(text); } catch { /* ignore */ }
  if (!r.ok || !json.token) die(`adduser on ${reg} failed: HTTP ${r.status} ${text.slice(0, 300)}`);
  process.stdout.write(json.token + '\n');
}

// ---------------------------------------------------------------- publish

function publishBody(reg, pkgsDir, pkg, ver) {
  const tgz = fs.readFileSync(path.join(pkgsDir, ver.file));
  const filename = `${pkg.name}-${ver.version}.tgz`;
  const manifest = {
    ...ver.manifest,
    dist: {
      integrity: ver.integrity,
      shasum: ver.shasum,
      tarball: `${reg}/${pkg.name}/-/${filename}`,
    },
  };
  return JSON.stringify({
    _id: pkg.name,
    name: pkg.name,
    description: manifest.description,
    'dist-tags': { latest: ver.version },
    versions: { [ver.version]: manifest },
    access: null,
    _attachments: {
      [filename]: {
        content_type: 'application/octet-stream',
        data: tgz.toString('base64'),
        length: tgz.length,
      },
    },
  });
}

async function putOne(reg, token, pkgsDir, pkg, ver) {
  const body = publishBody(reg, pkgsDir, pkg, ver);
  const t0 = process.hrtime.bigint();
  const r = await fetch(`${reg}/${encodeURIComponent(pkg.name)}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'npm-command': 'publish',
    },
    body,
  });
  const text = await r.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!r.ok) throw new Error(`PUT ${pkg.name}@${ver.version} -> HTTP ${r.status}: ${text.slice(0, 300)}`);
  return ms;
}

function pct(sorted, p) {
  if (!sorted.length) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

async function cmdPublish(a) {
  const reg = (a.registry || die('--registry required')).replace(/\/$/, '');
  const token = a.token || die('--token required');
  const pkgsDir = a.pkgs || die('--pkgs required');
  const samples = Number(a.samples || 200);
  const conc = Number(a.concurrency || 4);
  const { packages } = loadIndex(pkgsDir);
  const jobs = [];
  for (const p of packages) for (const v of p.versions) jobs.push([p, v]);
  const nSample = Math.min(samples, jobs.length);
  // Bulk phase: everything but the last nSample PUTs, `conc` packages at a time (versions of one
  // package stay in order). Then the sample phase: the last nSample PUTs, one at a time, timed,
  // so latency is measured against an already populated registry.
  const bulk = jobs.slice(0, jobs.length - nSample);
  const sample = jobs.slice(jobs.length - nSample);
  const byPkg = new Map();
  for (const [p, v] of bulk) {
    if (!byPkg.has(p.name)) byPkg.set(p.name, []);
    byPkg.get(p.name).push([p, v]);
  }
  const queues = [...byPkg.values()];
  let next = 0;
  const tb0 = Date.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < queues.length) {
      const q = queues[next++];
      for (const [p, v] of q) await putOne(reg, token, pkgsDir, p, v);
    }
  }));
  const bulkSec = (Date.now() - tb0) / 1000;
  const times = [];
  for (const [p, v] of sample) times.push(await putOne(reg, token, pkgsDir, p, v));
  const sorted = [...times].sort((x, y) => x - y);
  const res = {
    total_puts: jobs.length,
    bulk_puts: bulk.length,
    bulk_concurrency: conc,
    bulk_seconds: bulkSec,
    bulk_puts_per_sec: bulk.length ? bulk.length / bulkSec : null,
    sample_puts: times.length,
    median_ms: pct(sorted, 50),
    p99_ms: pct(sorted, 99),
    mean_ms: times.reduce((s, x) => s + x, 0) / (times.length || 1),
    max_ms: sorted[sorted.length - 1] ?? null,
  };
  if (a.out) fs.writeFileSync(a.out, JSON.stringify(res, null, 2));
  console.log(`published ${jobs.length} versions to ${reg}: bulk ${bulk.length} in ${bulkSec.toFixed(1)}s, ` +
    `sequential sample of ${times.length}: median ${res.median_ms?.toFixed(2)} ms, p99 ${res.p99_ms?.toFixed(2)} ms`);
}

// ---------------------------------------------------------------- lists (+ mirror for nginx)

function shuffle(arr, seed) {
  const rnd = mulberry32(seed);
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

async function getBytes(url, accept) {
  const r = await fetch(url, { headers: accept ? { accept } : {} });
  const buf = Buffer.from(await r.arrayBuffer());
  return { status: r.status, type: r.headers.get('content-type') || '', buf };
}

async function cmdLists(a) {
  const reg = (a.registry || die('--registry required')).replace(/\/$/, '');
  const pkgsDir = a.pkgs || die('--pkgs required');
  const out = a.out || die('--out required');
  const mirror = a.mirror || null;
  const { packages } = loadIndex(pkgsDir);
  fs.mkdirSync(out, { recursive: true });
  if (mirror) {
    fs.rmSync(mirror, { recursive: true, force: true });
    for (const d of ['full', 'abbr', 'tarballs']) fs.mkdirSync(path.join(mirror, d), { recursive: true });
  }
  const expected = new Map();
  for (const p of packages) for (const v of p.versions) expected.set(`${p.name}@${v.version}`, v.shasum);
  const problems = [];
  const pkPaths = [];
  const tbPaths = [];
  const stats = { full_bytes: 0, abbr_bytes: 0, tarball_bytes: 0, full_type: new Set(), abbr_type: new Set() };
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < packages.length) {
      const p = packages[next++];
      const pkPath = `/${encodeURIComponent(p.name)}`;
      pkPaths.push(pkPath);
      const full = await getBytes(reg + pkPath, FULL_ACCEPT);
      const abbr = await getBytes(reg + pkPath, ABBREV_ACCEPT);
      if (full.status !== 200) { problems.push(`${p.name}: full packument HTTP ${full.status}`); continue; }
      if (abbr.status !== 200) problems.push(`${p.name}: abbreviated packument HTTP ${abbr.status}`);
      stats.full_bytes += full.buf.length;
      stats.abbr_bytes += abbr.buf.length;
      stats.full_type.add(full.type);
      stats.abbr_type.add(abbr.type);
      const doc = JSON.parse(full.buf.toString('utf8'));
      if (mirror) {
        fs.writeFileSync(path.join(mirror, 'full', `${p.name}.json`), full.buf);
        fs.writeFileSync(path.join(mirror, 'abbr', `${p.name}.json`), abbr.buf);
      }
      for (const v of p.versions) {
        const man = doc.versions && doc.versions[v.version];
        if (!man || !man.dist || !man.dist.tarball) { problems.push(`${p.name}@${v.version}: missing in packument`); continue; }
        const u = new URL(man.dist.tarball, reg);
        const tpath = u.pathname + u.search;
        tbPaths.push(tpath);
        const tb = await getBytes(reg + tpath, '*/*');
        if (tb.status !== 200) { problems.push(`${p.name}@${v.version}: tarball HTTP ${tb.status}`); continue; }
        stats.tarball_bytes += tb.buf.length;
        const sha = crypto.createHash('sha1').update(tb.buf).digest('hex');
        if (sha !== expected.get(`${p.name}@${v.version}`)) problems.push(`${p.name}@${v.version}: tarball shasum mismatch`);
        if (mirror) {
          const f = path.join(mirror, 'tarballs', decodeURIComponent(u.pathname));
          fs.mkdirSync(path.dirname(f), { recursive: true });
          fs.writeFileSync(f, tb.buf);
        }
      }
    }
  }));
  pkPaths.sort(); tbPaths.sort();
  shuffle(pkPaths, 7); shuffle(tbPaths, 11);
  fs.writeFileSync(path.join(out, 'packuments.txt'), pkPaths.join('\n') + '\n');
  fs.writeFileSync(path.join(out, 'tarballs.txt'), tbPaths.join('\n') + '\n');
  const n = packages.length;
  const info = {
    registry: reg,
    packuments: pkPaths.length,
    tarballs: tbPaths.length,
    full_avg_bytes: Math.round(stats.full_bytes / n),
    abbr_avg_bytes: Math.round(stats.abbr_bytes / n),
    tarball_avg_bytes: Math.round(stats.tarball_bytes / Math.max(1, tbPaths.length)),
    full_content_type: [...stats.full_type].join(' | '),
    abbr_content_type: [...stats.abbr_type].join(' | '),
    problems: problems.slice(0, 50),
    problem_count: problems.length,
  };
  fs.writeFileSync(path.join(out, 'info.json'), JSON.stringify(info, null, 2));
  console.log(`${reg}: ${pkPaths.length} packuments (full avg ${info.full_avg_bytes} B, abbreviated avg ${info.abbr_avg_bytes} B), ` +
    `${tbPaths.length} tarballs (avg ${info.tarball_avg_bytes} B), ${problems.length} problems`);
  for (const p of info.problems.slice(0, 10)) console.log(`  problem: ${p}`);
  if (problems.length) process.exitCode = 2;
}

// ---------------------------------------------------------------- rss

function treePids(root) {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    for (const c of children.get(p) || []) stack.push(c);
  }
  return out;
}

function rssKiB(pids) {
  let sum = 0;
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) sum += Number(m[1]);
    } catch { /* gone */ }
  }
  return sum;
}

async function cmdRss(a) {
  const pid = Number(a.pid || die('--pid required'));
  if (a.once) {
    console.log(rssKiB(treePids(pid)));
    return;
  }
  const interval = Number(a.interval || 200);
  let pids = treePids(pid);
  let peak = rssKiB(pids);
  let ticks = 0;
  let stop = false;
  const finish = () => { stop = true; };
  process.on('SIGTERM', finish);
  process.on('SIGINT', finish);
  const deadline = Date.now() + Number(a['max-seconds'] || 3600) * 1000;
  while (!stop && alive(pid) && Date.now() < deadline) {
    await sleep(interval);
    if (++ticks % 10 === 0) pids = treePids(pid);
    peak = Math.max(peak, rssKiB(pids));
  }
  fs.writeFileSync(a.out || die('--out required'), String(peak));
}

// ---------------------------------------------------------------- report

function readJson(f) {
  try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return null; }
}

function fmtNum(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtMs(x) {
  if (x === null || x === undefined) return '—';
  return x < 10 ? `${x.toFixed(2)} ms` : x < 100 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`;
}

function fmtMiB(kib) {
  if (kib === null || kib === undefined) return '—';
  return `${(kib / 1024).toFixed(1)} MiB`;
}

function ratio(a, b) {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return '—';
  return `${(a / b).toFixed(2)}×`;
}

function cmdReport(a) {
  const run = a.run || die('--run required');
  const meta = readJson(path.join(run, 'meta.json')) || {};
  const targets = ['warden', 'verdaccio', 'nginx'];
  const labels = { warden: 'Warden', verdaccio: 'Verdaccio', nginx: 'nginx' };
  const scenarios = [
    ['full', 'Full packument'],
    ['abbr', 'Abbreviated packument'],
    ['tarball', 'Tarball'],
  ];
  const r = {};
  for (const t of targets) {
    r[t] = {};
    for (const [s] of scenarios) r[t][s] = readJson(path.join(run, 'results', `${t}-${s}.json`));
  }
  const rps = (t, s) => (r[t][s] ? r[t][s].requests / (r[t][s].duration_us / 1e6) : null);
  const p99 = (t, s) => (r[t][s] ? r[t][s].p99_us / 1000 : null);
  const L = [];
  L.push('# Warden benchmark');
  L.push('');
  L.push('```');
  L.push(meta.command || '(command unknown)');
  L.push('```');
  L.push('');
  L.push(`${meta.date || ''} · ${meta.host || ''}`);
  L.push('');
  L.push(`- Machine: ${meta.cpus || '?'} CPUs (${meta.cpu_model || '?'}), ${meta.mem || '?'} RAM, ${meta.kernel || ''}`);
  L.push(`- Data: ${meta.packages} packages × ${meta.versions} versions = ${meta.packages * meta.versions} tarballs, published over HTTP to each registry`);
  L.push(`- Load: \`wrk -t${meta.threads} -c${meta.connections} -d${meta.duration}s --latency\` per cell (after a ${meta.warmup}s warm-up run), Lua script rotating over all ${meta.packages} packument URLs or all tarball URLs`);
  L.push(`- Warden: \`${meta.warden_cmd || './warden'}\`${meta.warden_rev ? ` at ${meta.warden_rev}` : ''}${meta.java ? `, ${meta.java}` : ''}`);
  L.push(`- Verdaccio ${meta.verdaccio_version || '?'} on Node ${meta.verdaccio_node || '?'} (no uplinks, htpasswd auth, JWT API tokens, web UI off, log level warn)`);
  L.push(`- nginx ${meta.nginx_version || '?'} (worker_processes 2, access_log off, sendfile, open_file_cache) serving the bytes fetched from ${meta.nginx_source ? labels[meta.nginx_source] : '—'} as static files (the practical ceiling)`);
  L.push('');
  L.push('## Throughput and tail latency');
  L.push('');
  L.push('| Workload | Warden req/s | Verdaccio req/s | nginx req/s | Warden/Verdaccio | Warden/nginx | Warden p99 | Verdaccio p99 | nginx p99 | p99 Warden/Verdaccio | p99 Warden/nginx |');
  L.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const [s, label] of scenarios) {
    const w = rps('warden', s), v = rps('verdaccio', s), n = rps('nginx', s);
    const wp = p99('warden', s), vp = p99('verdaccio', s), np = p99('nginx', s);
    L.push(`| ${label} | ${fmtNum(w)} | ${fmtNum(v)} | ${fmtNum(n)} | ${ratio(w, v)} | ${ratio(w, n)} | ${fmtMs(wp)} | ${fmtMs(vp)} | ${fmtMs(np)} | ${ratio(wp, vp)} | ${ratio(wp, np)} |`);
  }
  L.push('');
  L.push('Higher req/s is better; lower p99 is better (a p99 ratio below 1× favours Warden).');
  L.push('');
  L.push('## Publish latency (sequential PUTs into an already populated registry)');
  L.push('');
  const pw = readJson(path.join(run, 'publish-warden.json'));
  const pv = readJson(path.join(run, 'publish-verdaccio.json'));
  L.push('| | Warden | Verdaccio | Warden/Verdaccio |');
  L.push('|---|--:|--:|--:|');
  L.push(`| Sequential PUTs timed | ${pw ? pw.sample_puts : '—'} | ${pv ? pv.sample_puts : '—'} | |`);
  L.push(`| Median | ${fmtMs(pw?.median_ms)} | ${fmtMs(pv?.median_ms)} | ${ratio(pw?.median_ms, pv?.median_ms)} |`);
  L.push(`| p99 | ${fmtMs(pw?.p99_ms)} | ${fmtMs(pv?.p99_ms)} | ${ratio(pw?.p99_ms, pv?.p99_ms)} |`);
  L.push(`| Bulk publish rate (${pw?.bulk_concurrency ?? pv?.bulk_concurrency ?? '?'} concurrent) | ${pw?.bulk_puts_per_sec ? fmtNum(pw.bulk_puts_per_sec, 1) + ' PUT/s' : '—'} | ${pv?.bulk_puts_per_sec ? fmtNum(pv.bulk_puts_per_sec, 1) + ' PUT/s' : '—'} | ${ratio(pw?.bulk_puts_per_sec, pv?.bulk_puts_per_sec)} |`);
  L.push('');
  L.push('## Memory (VmRSS of the whole process tree)');
  L.push('');
  const mem = {};
  for (const t of targets) {
    const idle = readJson(path.join(run, `rss-idle-${t}.json`));
    let peak = null;
    for (const [s] of scenarios) if (r[t][s] && r[t][s].rss_peak_kib != null) peak = Math.max(peak ?? 0, r[t][s].rss_peak_kib);
    const after = readJson(path.join(run, `rss-after-${t}.json`));
    mem[t] = { idle: idle ? idle.kib : null, peak, after: after ? after.kib : null };
  }
  L.push('| | Warden | Verdaccio | nginx (master + workers) | Warden/Verdaccio | Warden/nginx |');
  L.push('|---|--:|--:|--:|--:|--:|');
  L.push(`| Idle (after start + publish) | ${fmtMiB(mem.warden.idle)} | ${fmtMiB(mem.verdaccio.idle)} | ${fmtMiB(mem.nginx.idle)} | ${ratio(mem.warden.idle, mem.verdaccio.idle)} | ${ratio(mem.warden.idle, mem.nginx.idle)} |`);
  L.push(`| Peak under load | ${fmtMiB(mem.warden.peak)} | ${fmtMiB(mem.verdaccio.peak)} | ${fmtMiB(mem.nginx.peak)} | ${ratio(mem.warden.peak, mem.verdaccio.peak)} | ${ratio(mem.warden.peak, mem.nginx.peak)} |`);
  L.push(`| After the read load (2 s later) | ${fmtMiB(mem.warden.after)} | ${fmtMiB(mem.verdaccio.after)} | ${fmtMiB(mem.nginx.after)} | ${ratio(mem.warden.after, mem.verdaccio.after)} | ${ratio(mem.warden.after, mem.nginx.after)} |`);
  L.push('');
  L.push('## Details');
  L.push('');
  L.push('| Server | Workload | req/s | p50 | p90 | p99 | max | bytes/resp | non-2xx/3xx | socket errors | peak RSS |');
  L.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  const warnings = [];
  for (const t of targets) {
    for (const [s, label] of scenarios) {
      const x = r[t][s];
      if (!x) continue;
      const sock = x.connect_err + x.read_err + x.write_err + x.timeout_err;
      L.push(`| ${labels[t]} | ${label} | ${fmtNum(rps(t, s))} | ${fmtMs(x.p50_us / 1000)} | ${fmtMs(x.p90_us / 1000)} | ${fmtMs(x.p99_us / 1000)} | ${fmtMs(x.max_us / 1000)} | ${fmtNum(x.bytes / Math.max(1, x.requests))} | ${x.status_err} | ${sock} | ${fmtMiB(x.rss_peak_kib)} |`);
      if (x.status_err > 0) warnings.push(`${labels[t]} ${label}: ${x.status_err} non-2xx/3xx responses — its req/s is not comparable.`);
      if (sock > 0) warnings.push(`${labels[t]} ${label}: ${sock} socket errors (connect ${x.connect_err}, read ${x.read_err}, write ${x.write_err}, timeout ${x.timeout_err}).`);
    }
  }
  L.push('');
  L.push('bytes/resp includes response headers. Payload sizes as fetched before the load runs:');
  L.push('');
  L.push('| Server | full packument avg | abbreviated avg | tarball avg | abbreviated Content-Type | problems |');
  L.push('|---|--:|--:|--:|---|--:|');
  for (const t of ['warden', 'verdaccio']) {
    const i = readJson(path.join(run, `lists-${t}`, 'info.json'));
    if (!i) continue;
    L.push(`| ${labels[t]} | ${fmtNum(i.full_avg_bytes)} B | ${fmtNum(i.abbr_avg_bytes)} B | ${fmtNum(i.tarball_avg_bytes)} B | ${i.abbr_content_type || '—'} | ${i.problem_count} |`);
    if (i.problem_count) warnings.push(`${labels[t]}: ${i.problem_count} verification problems, e.g. ${i.problems[0]}`);
    if (i.abbr_avg_bytes >= i.full_avg_bytes) warnings.push(`${labels[t]}: abbreviated packuments are not smaller than full ones (abbreviation not supported?).`);
  }
  if (warnings.length) {
    L.push('');
    L.push('## Warnings');
    L.push('');
    for (const w of warnings) L.push(`- ${w}`);
  }
  if (meta.notes && meta.notes.length) {
    L.push('');
    L.push('## Notes');
    L.push('');
    for (const n of meta.notes) L.push(`- ${n}`);
  }
  L.push('');
  const md = L.join('\n');
  if (a.out) fs.writeFileSync(a.out, md);
  process.stdout.write(md);
}

// ---------------------------------------------------------------- main

const args = parseArgs(process.argv.slice(2));
const cmds = { gen: cmdGen, wait: cmdWait, token: cmdToken, publish: cmdPublish, lists: cmdLists, rss: cmdRss, report: cmdReport };
const cmd = cmds[args._[0]];
if (!cmd) die(`usage: bench.mjs {${Object.keys(cmds).join('|')}} [--options]`);
Promise.resolve(cmd(args)).catch((e) => die(e && e.stack ? e.stack : String(e)));

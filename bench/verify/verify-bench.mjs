#!/usr/bin/env node
// Helper for bench/verify.sh. Subcommands:
//   oidc     --port P                                   a stand-in for GitHub Actions' OIDC issuer:
//                                                       its JWKS at /github/jwks, ID tokens at
//                                                       /github/token?repository=R&audience=A
//   publish  --registry URL --token T --oidc URL --packages N --share PCT --concurrency C --out DIR
//                                                       generates and publishes N packages (PCT % of
//                                                       them with provenance, signed by the
//                                                       registry's Sigstore through npm's sigstore-js),
//                                                       and writes a project depending on all of them
//   npm      --lockfile F --registry URL --cache DIR --mode pacote|signatures|equivalent
//            [--offline] [--concurrency C] [--trusted-root F]
//                                                       npm's own verification code over every
//                                                       package of a package-lock.json; prints JSON
// Needs Node >= 18; npm's bundled pacote and sigstore-js are loaded from `npm root -g`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { execSync } from 'node:child_process';

const NPM_MODULES = path.join(execSync('npm root -g', { encoding: 'utf8' }).trim(), 'npm', 'node_modules');
const requireNpm = createRequire(path.join(NPM_MODULES, 'noop.js'));

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
  console.error(`verify-bench: ${msg}`);
  process.exit(2);
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// ---------------------------------------------------------------- oidc

function cmdOidc(a) {
  const port = Number(a.port || die('--port required'));
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench-key', alg: 'RS256', use: 'sig' };
  const issuer = `http://127.0.0.1:${port}/github`;
  const sign = (claims) => {
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'bench-key' }));
    const body = b64url(JSON.stringify(claims));
    const sig = crypto.sign('RSA-SHA256', Buffer.from(`${header}.${body}`), privateKey);
    return `${header}.${body}.${b64url(sig)}`;
  };
  http.createServer((req, res) => {
    const url = new URL(req.url, issuer);
    const reply = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (url.pathname === '/github/jwks') return reply(200, { keys: [jwk] });
    if (url.pathname !== '/github/token') return reply(404, { message: 'not found' });
    const repository = url.searchParams.get('repository');
    const audience = url.searchParams.get('audience');
    if (!repository || !audience) return reply(400, { message: 'repository and audience required' });
    const workflow = url.searchParams.get('workflow') || 'release.yml';
    const now = Math.floor(Date.now() / 1000);
    const ref = `${repository}/.github/workflows/${workflow}@refs/heads/main`;
    reply(200, {
      count: 1,
      value: sign({
        iss: issuer, aud: audience, iat: now, nbf: now, exp: now + 300, jti: crypto.randomUUID(),
        sub: `repo:${repository}:ref:refs/heads/main`, repository,
        repository_owner: repository.split('/')[0], repository_visibility: 'private',
        workflow: 'Release', workflow_ref: ref, job_workflow_ref: ref, ref: 'refs/heads/main',
        ref_type: 'branch', sha: '8f4b2c1d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c', run_id: '9876543210',
        run_number: '42', run_attempt: '1', event_name: 'push', runner_environment: 'github-hosted',
      }),
    });
  }).listen(port, '127.0.0.1', () => console.log(`oidc stand-in at ${issuer}`));
}

// ---------------------------------------------------------------- publish

function octal(buf, value, offset, len) {
  buf.write(value.toString(8).padStart(len - 1, '0') + '\0', offset, len, 'ascii');
}

// a gzipped tar of package/<name> entries, as npm pack writes them
function tarball(files) {
  const blocks = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const h = Buffer.alloc(512);
    h.write(`package/${name}`, 0, 100, 'utf8');
    octal(h, 0o644, 100, 8);
    octal(h, 0, 108, 8);
    octal(h, 0, 116, 8);
    octal(h, data.length, 124, 12);
    octal(h, 499162500, 136, 12);
    h.fill(' ', 148, 156);
    h.write('0', 156, 1, 'ascii');
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks), { level: 9 });
}

const pkgName = (i) => `verify-pkg-${String(i).padStart(4, '0')}`;

// npm's SLSA v1 statement for a GitHub Actions build (what libnpmpublish's provenance.js writes)
function statement(name, version, sha512, repository, workflow) {
  const server = 'https://github.com';
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `pkg:npm/${name.replace(/^@/, '%40')}@${version}`, digest: { sha512 } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
        externalParameters: {
          workflow: { ref: 'refs/heads/main', repository: `${server}/${repository}`, path: `.github/workflows/${workflow}` },
        },
        internalParameters: { github: { event_name: 'push', repository_id: '1', repository_owner_id: '1' } },
        resolvedDependencies: [{
          uri: `git+${server}/${repository}@refs/heads/main`,
          digest: { gitCommit: '8f4b2c1d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c' },
        }],
      },
      runDetails: {
        builder: { id: 'https://github.com/actions/runner/github-hosted' },
        metadata: { invocationId: `${server}/${repository}/actions/runs/9876543210/attempts/1` },
      },
    },
  };
}

async function pool(items, concurrency, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

async function cmdPublish(a) {
  const reg = (a.registry || die('--registry required')).replace(/\/$/, '');
  const token = a.token || die('--token required');
  const oidc = (a.oidc || die('--oidc required')).replace(/\/$/, '');
  const n = Number(a.packages || 1000);
  const share = Number(a.share ?? 100);
  const out = a.out || die('--out required');
  const sigstore = requireNpm('sigstore');
  const repos = ['bench-org/alpha', 'bench-org/beta'];
  const rnd = (() => { let s = 42; return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32); })();
  const specs = [];
  for (let i = 0; i < n; i++) {
    const deps = {};
    const count = i === 0 ? 0 : Math.floor(rnd() * Math.min(4, i + 1));
    while (Object.keys(deps).length < count) deps[pkgName(Math.floor(rnd() * i))] = '^1.0.0';
    // every package with provenance below the share, spread evenly over the index
    const provenance = Math.floor(((i + 1) * share) / 100) > Math.floor((i * share) / 100);
    specs.push({ name: pkgName(i), version: '1.0.0', deps, provenance, repo: repos[i % 2] });
  }
  const t0 = Date.now();
  let signed = 0;
  await pool(specs, Number(a.concurrency || 4), async (s) => {
    const pj = {
      name: s.name, version: s.version, description: `${s.name}, for verify benchmarks`,
      main: 'index.js', license: 'MIT', dependencies: s.deps,
      repository: { type: 'git', url: `git+https://github.com/${s.repo}.git` },
    };
    const tgz = tarball({
      'package.json': JSON.stringify(pj, null, 2),
      'index.js': `module.exports = ${JSON.stringify(s.name)};\n`,
    });
    const sha512 = crypto.createHash('sha512').update(tgz).digest();
    const filename = `${s.name}-${s.version}.tgz`;
    const attachments = {
      [filename]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length },
    };
    if (s.provenance) {
      const tr = await fetch(`${oidc}/github/token?repository=${encodeURIComponent(s.repo)}&audience=sigstore`);
      if (!tr.ok) throw new Error(`oidc token: HTTP ${tr.status}`);
      const identityToken = (await tr.json()).value;
      const payload = Buffer.from(JSON.stringify(statement(s.name, s.version, sha512.toString('hex'), s.repo, 'release.yml')));
      const bundle = await sigstore.attest(payload, 'application/vnd.in-toto+json', {
        fulcioURL: reg, rekorURL: reg, identityToken,
      });
      const text = JSON.stringify(bundle);
      attachments[`${s.name}-${s.version}.sigstore`] = { content_type: bundle.mediaType, data: text, length: text.length };
      signed++;
    }
    const body = JSON.stringify({
      _id: s.name, name: s.name, 'dist-tags': { latest: s.version }, access: 'public',
      versions: {
        [s.version]: {
          ...pj, _id: `${s.name}@${s.version}`,
          dist: {
            integrity: `sha512-${sha512.toString('base64')}`,
            shasum: crypto.createHash('sha1').update(tgz).digest('hex'),
            tarball: `${reg}/${s.name}/-/${filename}`,
          },
        },
      },
      _attachments: attachments,
    });
    const r = await fetch(`${reg}/${s.name}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'npm-command': 'publish' },
      body,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`PUT ${s.name} -> HTTP ${r.status}: ${text.slice(0, 300)}`);
  });
  fs.mkdirSync(out, { recursive: true });
  const dependencies = Object.fromEntries(specs.map((s) => [s.name, s.version]));
  fs.writeFileSync(path.join(out, 'package.json'),
    JSON.stringify({ name: 'verify-bench-project', version: '1.0.0', private: true, dependencies }, null, 2));
  fs.writeFileSync(path.join(out, '.npmrc'), `registry=${reg}/\n`);
  console.log(JSON.stringify({ packages: n, provenance: signed, seconds: (Date.now() - t0) / 1000 }));
}

// ---------------------------------------------------------------- npm's verification

function lockedPackages(lockfile) {
  const lock = JSON.parse(fs.readFileSync(lockfile, 'utf8'));
  const seen = new Map();
  for (const [where, e] of Object.entries(lock.packages || {})) {
    if (!where || e.link || !e.version || (e.resolved && !/^https?:/.test(e.resolved))) continue;
    const name = e.name || where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    seen.set(`${name}@${e.version}`, { name, version: e.version, integrity: e.integrity, resolved: e.resolved });
  }
  return [...seen.values()];
}

// npm's registry keys entry from the registry's /-/npm/v1/keys, as npm audit signatures builds it
async function registryKeys(reg, npmFetch, opts) {
  const { keys } = await npmFetch.json('/-/npm/v1/keys', { ...opts, registry: reg });
  return keys.map((k) => ({
    ...k,
    pemkey: `-----BEGIN PUBLIC KEY-----\n${k.key}\n-----END PUBLIC KEY-----`,
  }));
}

async function cmdNpm(a) {
  const pacote = requireNpm('pacote');
  const npmFetch = requireNpm('npm-registry-fetch');
  const reg = (a.registry || die('--registry required')).replace(/\/$/, '');
  const cache = a.cache || die('--cache required');
  const mode = a.mode || 'pacote';
  const packages = lockedPackages(a.lockfile || die('--lockfile required'));
  const parsed = new URL(reg);
  const opts = {
    registry: `${reg}/`,
    cache,
    tufCache: path.join(cache, '_tuf'),
    fullMetadata: true,
    offline: Boolean(a.offline),
  };
  const t0 = process.hrtime.bigint();
  const keys = await registryKeys(reg, npmFetch, opts);
  opts[`//${parsed.host}/:_keys`] = keys;
  opts.verifySignatures = true;
  opts.verifyAttestations = mode === 'pacote';

  let equivalent = null;
  if (mode === 'equivalent') {
    // sigstore-js (npm's copy) given what pacote cannot be given: the Warden instance's trusted
    // root for the provenance bundles, and the registry key with no transparency-log entry
    // required for its publish attestation (which Warden signs with that key and does not log)
    const { TrustedRoot } = requireNpm('@sigstore/protobuf-specs');
    const { bundleFromJSON } = requireNpm('@sigstore/bundle');
    const { toTrustMaterial, toSignedEntity, Verifier } = requireNpm('@sigstore/verify');
    const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(a['trusted-root'] || die('--trusted-root required'), 'utf8')));
    const byId = Object.fromEntries(keys.map((k) => [k.keyid, crypto.createPublicKey(k.pemkey)]));
    const keyFinder = (hint) => {
      if (!byId[hint]) throw new Error(`no registry key ${hint}`);
      return { publicKey: byId[hint], validFor: () => true };
    };
    const provenance = new Verifier(toTrustMaterial(root, keyFinder));
    const keyed = new Verifier(toTrustMaterial(root, keyFinder), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
    equivalent = { bundleFromJSON, toSignedEntity, provenance, keyed };
  }

  const failed = {};
  let firstError = null;
  let ok = 0;
  let attested = 0;
  await pool(packages, Number(a.concurrency || 16), async (p) => {
    try {
      const mani = await pacote.manifest(`${p.name}@${p.version}`, { ...opts, integrity: p.integrity });
      if (equivalent) {
        // the tarball, checked against the lockfile's integrity as it streams
        await pacote.tarball(`${p.name}@${p.version}`, { ...opts, integrity: p.integrity, resolved: p.resolved });
        if (mani._attestations) {
          const path_ = new URL(mani._attestations.url).pathname;
          const res = await npmFetch(path_, { ...opts, registry: `${reg}/`, integrity: null });
          const { attestations } = await res.json();
          const purl = `pkg:npm/${p.name.replace(/^@/, '%40')}@${p.version}`;
          const hex = Buffer.from(mani._integrity.replace(/^sha512-/, ''), 'base64').toString('hex');
          for (const { bundle } of attestations) {
            const st = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
            if (st.subject[0].name !== purl || st.subject[0].digest.sha512 !== hex) {
              throw Object.assign(new Error(`${p.name}@${p.version}: attestation subject ${st.subject[0].name}`), { code: 'EATTESTATIONSUBJECT' });
            }
            const b = equivalent.bundleFromJSON(bundle);
            const keyed = Boolean(bundle.dsseEnvelope.signatures[0].keyid);
            (keyed ? equivalent.keyed : equivalent.provenance).verify(equivalent.toSignedEntity(b));
          }
          attested++;
        }
      }
      ok++;
    } catch (e) {
      const code = e.code || e.name || 'Error';
      failed[code] = (failed[code] || 0) + 1;
      if (!firstError) firstError = `${code}: ${e.message}`.slice(0, 400);
    }
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(JSON.stringify({ mode, offline: Boolean(a.offline), packages: packages.length, ok, attested, failed, firstError, ms }));
}

const [cmd, ...rest] = process.argv.slice(2);
const args = parseArgs(rest);
const commands = { oidc: cmdOidc, publish: cmdPublish, npm: cmdNpm };
if (!commands[cmd]) die(`unknown command ${cmd}; one of ${Object.keys(commands).join(', ')}`);
Promise.resolve(commands[cmd](args)).catch((e) => die(e.stack || String(e)));

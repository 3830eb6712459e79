// sigstore-js (npm's bundled copy) on the same bundles as VerifyBench.java: every call parses the
// bundle's JSON and verifies it completely against the trusted root with the same identity policy,
// as npm's `sigstore.verify` does once its trust material is loaded. With threads > 1, that many
// worker threads run at once. Prints bundles verified per second (all threads together), and the CPU
// the process used over warm-up and measurement, in cores (less than the threads given: other
// processes took some).
// usage: node verify-bench.mjs <trusted_root.json> <artifact> <warmup s> <measure s> <threads> <bundle.json>...
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const modules =
  process.env.SIGSTORE_JS_MODULES ||
  execSync('npm root -g', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() + '/npm/node_modules';
const require = createRequire(modules + '/');
const { TrustedRoot } = require(modules + '/@sigstore/protobuf-specs');
const { bundleFromJSON } = require(modules + '/@sigstore/bundle');
const { toTrustMaterial, toSignedEntity, Verifier } = require(modules + '/@sigstore/verify');

const args = isMainThread ? process.argv.slice(2) : workerData;
const [rootFile, artifactFile, warmup, measure, threads, ...bundleFiles] = args;
const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(readFileSync(rootFile, 'utf8')))));
const artifact = readFileSync(artifactFile);
const texts = bundleFiles.map((f) => readFileSync(f, 'utf8'));
const SAN = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

function verifyOne(text, san = SAN) {
  const bundle = bundleFromJSON(JSON.parse(text));
  verifier.verify(toSignedEntity(bundle, artifact), { subjectAlternativeName: san, extensions: { issuer: ISSUER } });
}

function run(seconds, offset) {
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  while (process.hrtime.bigint() < end) {
    verifyOne(texts[(n + offset) % texts.length]);
    n++;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

if (isMainThread) {
  // Every bundle must verify, and a wrong identity must not, before anything is timed.
  for (const t of texts) verifyOne(t);
  let refused = false;
  try {
    verifyOne(texts[0], SAN + 'x');
  } catch {
    refused = true;
  }
  if (!refused) throw new Error('a wrong identity verified');

  // The CPU this process used from here on, in cores.
  let [cpu0, t0] = [process.cpuUsage(), process.hrtime.bigint()];
  const cores = () => {
    const c = process.cpuUsage(cpu0);
    return ((c.user + c.system) * 1e3 / Number(process.hrtime.bigint() - t0)).toFixed(2);
  };
  if (Number(threads) === 1) {
    run(Number(warmup), 0);
    const perSecond = run(Number(measure), 0);
    console.log(perSecond.toFixed(1), cores());
  } else {
    // The workers load and check the bundles, say 'ready', then all start together when given their offset.
    const workers = Array.from({ length: Number(threads) }, () => new Worker(new URL(import.meta.url), { workerData: args }));
    const results = workers.map((w) => new Promise((resolve, reject) => {
      w.on('error', reject);
      w.on('message', (m) => (m === 'ready' ? null : resolve(m)));
    }));
    await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
    [cpu0, t0] = [process.cpuUsage(), process.hrtime.bigint()];
    workers.forEach((w, i) => w.postMessage(i));
    const rates = await Promise.all(results);
    console.log(rates.reduce((a, b) => a + b, 0).toFixed(1), cores());
  }
} else {
  for (const t of texts) verifyOne(t);
  parentPort.postMessage('ready');
  parentPort.once('message', (offset) => {
    run(Number(warmup), offset);
    parentPort.postMessage(run(Number(measure), offset));
  });
}

// sigstore-js (npm's bundled copy) verifying the same bundles as VerifyBench.java: parse the JSON,
// build the signed entity, verify against the public-good trusted root with the same identity
// policy, as npm's `sigstore.verify` does once its trust material is loaded.
// usage: node verify-bench.mjs <trusted_root.json> <artifact> <warmup s> <measure s> <bundle.json>...
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const npmModules = execSync('npm root -g', { encoding: 'utf8' }).trim() + '/npm/node_modules/';
const require = createRequire(npmModules);
const { TrustedRoot } = require(npmModules + '@sigstore/protobuf-specs');
const { bundleFromJSON } = require(npmModules + '@sigstore/bundle');
const { toTrustMaterial, toSignedEntity, Verifier } = require(npmModules + '@sigstore/verify');
const version = JSON.parse(readFileSync(npmModules + 'sigstore/package.json', 'utf8')).version;

const [rootFile, artifactFile, warmup, measure, ...bundleFiles] = process.argv.slice(2);
const root = TrustedRoot.fromJSON(JSON.parse(readFileSync(rootFile, 'utf8')));
const verifier = new Verifier(toTrustMaterial(root));
const artifact = readFileSync(artifactFile);
const texts = bundleFiles.map((f) => readFileSync(f, 'utf8'));
const policy = {
  subjectAlternativeName:
    'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
  extensions: { issuer: 'https://token.actions.githubusercontent.com' },
};

function verifyOne(text) {
  const bundle = bundleFromJSON(JSON.parse(text));
  const data = bundle.dsseEnvelope ? undefined : artifact;
  verifier.verify(toSignedEntity(bundle, data), policy);
}

for (const t of texts) verifyOne(t); // every bundle must verify before anything is timed

function run(seconds) {
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  const start = process.hrtime.bigint();
  while (process.hrtime.bigint() < end) {
    verifyOne(texts[n % texts.length]);
    n++;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}
run(Number(warmup));
console.log(JSON.stringify({ peer: `sigstore-js ${version} (npm's bundled copy)`, perSecond: run(Number(measure)) }));

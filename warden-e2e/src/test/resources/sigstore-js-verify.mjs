// Verifies a Sigstore bundle with npm's bundled sigstore-js against a given trusted_root.json.
// usage: node sigstore-js-verify.mjs <trusted_root.json> <bundle.json> <artifact> <identity> <issuer>
// exit 0 and "verified" on success; exit 1 with the error otherwise.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const modules = execSync('npm root -g', { encoding: 'utf8' }).trim() + '/npm/node_modules/';
const require = createRequire(modules);
const { TrustedRoot } = require(modules + '@sigstore/protobuf-specs');
const { bundleFromJSON } = require(modules + '@sigstore/bundle');
const { toTrustMaterial, toSignedEntity, Verifier } = require(modules + '@sigstore/verify');

const [rootFile, bundleFile, artifactFile, identity, issuer] = process.argv.slice(2);
try {
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(readFileSync(rootFile, 'utf8')))));
  const bundle = bundleFromJSON(JSON.parse(readFileSync(bundleFile, 'utf8')));
  const data = bundle.dsseEnvelope ? undefined : readFileSync(artifactFile);
  verifier.verify(toSignedEntity(bundle, data), { subjectAlternativeName: identity, extensions: { issuer } });
  console.log('verified');
} catch (e) {
  console.error(`${e.code || e.name}: ${e.message}`);
  process.exit(1);
}

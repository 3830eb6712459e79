// Verifies a Sigstore bundle with npm's bundled sigstore-js, which gets the trusted root from a TUF
// mirror starting at the given root.json, as `sigstore.verify` does with tufMirrorURL/tufRootPath.
// usage: node sigstore-js-tuf-verify.mjs <mirror URL> <root.json> <cache dir> <bundle.json> <artifact> <identity> <issuer>
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const modules = execSync('npm root -g', { encoding: 'utf8' }).trim() + '/npm/node_modules/';
const require = createRequire(modules);
const sigstore = require(modules + 'sigstore');

const [mirror, rootPath, cachePath, bundleFile, artifactFile, identity, issuer] = process.argv.slice(2);
const bundle = JSON.parse(readFileSync(bundleFile, 'utf8'));
const options = {
  tufMirrorURL: mirror, tufRootPath: rootPath, tufCachePath: cachePath,
  certificateIdentityURI: identity, certificateIssuer: issuer,
};
try {
  if (bundle.dsseEnvelope) {
    await sigstore.verify(bundle, options);
  } else {
    await sigstore.verify(bundle, readFileSync(artifactFile), options);
  }
  console.log('verified');
} catch (e) {
  console.error(`${e.code || e.name}: ${e.message}`);
  process.exit(1);
}

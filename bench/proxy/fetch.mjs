// Fetches every tarball a package-lock.json names through a registry, as `npm ci` does but without
// npm's own work (extraction, linking): what the proxy alone costs. Checks each tarball's integrity.
// Usage: node fetch.mjs --lockfile FILE --registry URL [--concurrency N]
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []),
);
const lock = JSON.parse(readFileSync(args.lockfile, 'utf8'));
const registry = args.registry.replace(/\/+$/, '');
const concurrency = Number(args.concurrency ?? 16);

const jobs = Object.entries(lock.packages)
  .filter(([k, p]) => k && p.resolved && p.integrity)
  .map(([, p]) => ({ url: registry + new URL(p.resolved).pathname, integrity: p.integrity }));

let bytes = 0;
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const job = jobs[next++];
    const r = await fetch(job.url);
    if (r.status !== 200) throw new Error(`${job.url}: ${r.status} ${await r.text()}`);
    const body = Buffer.from(await r.arrayBuffer());
    const [alg, want] = job.integrity.split(' ')[0].split(/-(.*)/s);
    if (createHash(alg).update(body).digest('base64') !== want) throw new Error(`${job.url}: integrity`);
    bytes += body.length;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ tarballs: jobs.length, bytes }));

// Fetches the benign corpus of the release review's evaluation into a local cache (never committed):
// for each line of the package list, the packument (trimmed to what the evaluation reads) and the
// tarballs of the listed versions; then the packuments of the dependencies those releases add, so
// the evaluation can answer how old they are. Packuments and tarballs only, from the npm registry
// the machine is configured with (`npm config get registry`). Already cached files are kept.
//
// usage: node bench/review/fetch.mjs LIST CACHE_DIR [--resolve OUT]
//   LIST lines: `name` (the last 3 stable versions up to `latest` are chosen) or `name v1 v2 ...`
//   (consecutive releases, oldest first). --resolve writes the list with the chosen versions.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [listFile, cache, ...rest] = process.argv.slice(2);
if (!listFile || !cache) {
  console.error("usage: node bench/review/fetch.mjs LIST CACHE_DIR [--resolve OUT]");
  process.exit(2);
}
const resolveOut = rest[0] === "--resolve" ? rest[1] : null;
const registry = (process.env.REVIEW_REGISTRY
  || execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8" }).trim()).replace(/\/?$/, "/");
const CONCURRENCY = 8;
const STABLE = /^\d+\.\d+\.\d+$/;

mkdirSync(join(cache, "packuments"), { recursive: true });
mkdirSync(join(cache, "tarballs"), { recursive: true });
mkdirSync(join(cache, "deps"), { recursive: true });

const fileName = (name) => name.replace("/", "__");
const cmp = (a, b) => {
  const x = a.split(".").map(Number), y = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};

async function get(url, tries = 3) {
  for (let i = 1; ; i++) {
    try {
      const res = await fetch(url, { headers: { accept: "application/json" } });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`${res.status} for ${url}`);
      return Buffer.from(await res.arrayBuffer());
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 500 * i));
    }
  }
}

const packumentUrl = (name) => registry + name.replace("/", "%2f");

function writeAtomic(path, data) {
  writeFileSync(path + ".tmp", data);
  renameSync(path + ".tmp", path);
}

// What the evaluation reads of a packument: who published each version when (the publisher's
// habits), the chosen versions' manifests, and the latest version's dependencies (dependents).
function trim(doc, chosen) {
  const time = doc.time || {};
  const publishes = Object.entries(doc.versions || {}).map(([v, m]) => ({
    version: v,
    time: time[v] || null,
    user: m._npmUser?.name || null,
    trustedPublisher: !!m._npmUser?.trustedPublisher,
    provenance: !!m.dist?.attestations,
  }));
  const latest = doc["dist-tags"]?.latest;
  const latestManifest = (latest && doc.versions?.[latest]) || {};
  return {
    name: doc.name,
    created: time.created || null,
    latest: latest || null,
    latestDependencies: Object.keys({ ...latestManifest.dependencies, ...latestManifest.optionalDependencies }),
    publishes,
    versions: Object.fromEntries(chosen.map((v) => [v, doc.versions[v]])),
  };
}

async function pool(items, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (e) {
        console.error(`  ${item.name ?? item}: ${e.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const lines = readFileSync(listFile, "utf8").split("\n")
  .map((l) => l.replace(/#.*/, "").trim()).filter(Boolean)
  .map((l) => { const [name, ...versions] = l.split(/\s+/); return { name, versions }; });

const resolved = new Map();
let done = 0, bytes = 0;
await pool(lines, async ({ name, versions }) => {
  const trimmedPath = join(cache, "packuments", fileName(name) + ".json");
  let trimmed = existsSync(trimmedPath) ? JSON.parse(readFileSync(trimmedPath, "utf8")) : null;
  const wanted = versions.length ? versions : null;
  if (!trimmed || (wanted && wanted.some((v) => !trimmed.versions[v]))) {
    const body = await get(packumentUrl(name));
    if (!body) throw new Error("no such package");
    const doc = JSON.parse(body);
    const chosen = wanted
      ?? Object.keys(doc.versions).filter((v) => STABLE.test(v) && cmp(v, doc["dist-tags"].latest) <= 0)
        .sort(cmp).slice(-3);
    const missing = chosen.filter((v) => !doc.versions[v]);
    if (missing.length) throw new Error(`no version ${missing.join(", ")}`);
    trimmed = trim(doc, chosen);
    writeAtomic(trimmedPath, JSON.stringify(trimmed));
  }
  const chosen = wanted ?? Object.keys(trimmed.versions).sort(cmp);
  for (const v of chosen) {
    const path = join(cache, "tarballs", `${fileName(name)}-${v}.tgz`);
    if (existsSync(path)) continue;
    const dist = trimmed.versions[v].dist;
    const tgz = await get(dist.tarball.replace(/^https?:\/\/[^/]+\//, registry));
    if (!tgz) throw new Error(`no tarball for ${v}`);
    if (dist.integrity?.startsWith("sha512-")) {
      const got = "sha512-" + createHash("sha512").update(tgz).digest("base64");
      if (got !== dist.integrity) throw new Error(`integrity of ${v}: expected ${dist.integrity}, got ${got}`);
    }
    bytes += tgz.length;
    writeAtomic(path, tgz);
  }
  resolved.set(name, chosen);
  if (++done % 25 === 0) console.error(`  ${done}/${lines.length} packages, ${(bytes / 1e6).toFixed(0)} MB of tarballs fetched`);
});

// The dependencies each release adds over the one before: their age and dependents are facts the
// review asks for, so their packuments are fetched too (a 404 is recorded: the name does not exist).
const added = new Set();
for (const [name, chosen] of resolved) {
  const trimmed = JSON.parse(readFileSync(join(cache, "packuments", fileName(name) + ".json"), "utf8"));
  const deps = (v) => Object.keys({ ...trimmed.versions[v].dependencies, ...trimmed.versions[v].optionalDependencies });
  for (let i = 1; i < chosen.length; i++) {
    const before = new Set(deps(chosen[i - 1]));
    for (const d of deps(chosen[i])) if (!before.has(d) && !resolved.has(d)) added.add(d);
  }
}
await pool([...added].filter((d) => !existsSync(join(cache, "deps", fileName(d) + ".json"))), async (dep) => {
  const body = await get(packumentUrl(dep));
  const out = body ? trim(JSON.parse(body), []) : { name: dep, missing: true };
  delete out.versions;
  writeAtomic(join(cache, "deps", fileName(dep) + ".json"), JSON.stringify(out));
});

console.error(`fetched: ${resolved.size}/${lines.length} packages, ${added.size} added dependencies, ${(bytes / 1e6).toFixed(0)} MB new tarballs`);
if (resolveOut) {
  const header = readFileSync(listFile, "utf8").split("\n").filter((l) => l.startsWith("#")).join("\n");
  const body = lines.filter(({ name }) => resolved.has(name))
    .map(({ name }) => [name, ...resolved.get(name)].join(" ")).join("\n");
  writeFileSync(resolveOut, (header ? header + "\n" : "") + body + "\n");
}

#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// verify.mjs — an INDEPENDENT verifier for a C2SP tiled transparency log.
//
// This file was written from the public specifications only, without reading
// the log implementation it is meant to check:
//
//   * C2SP tlog-tiles      https://c2sp.org/tlog-tiles      (tile / entry-bundle API)
//   * C2SP tlog-checkpoint https://c2sp.org/tlog-checkpoint (checkpoint note body)
//   * C2SP signed-note     https://c2sp.org/signed-note     (note + Ed25519 signatures)
//   * RFC 9162 §2.1        Merkle Tree Hash, inclusion (§2.1.3) and
//                          consistency (§2.1.4) proofs (same hashing as RFC 6962)
//
// Plain Node.js >= 20, ESM, no dependencies (node:crypto for SHA-256/Ed25519,
// global fetch for HTTP).
//
// Usage:
//   node verify.mjs --url <prefix ending in '/'> --key <vkey>
//                   [--sample N] [--old <checkpoint file>]... [--entry <index>]...
//
//   <vkey> is the verifier key in signed-note "vkey" form:
//          <name>+<8 hex digit key ID>+<base64(0x01 || 32-byte Ed25519 public key)>
//
// What is checked:
//   1. <prefix>checkpoint is a signed note carrying a valid Ed25519 signature
//      from --key (other signatures, e.g. witness cosignatures, are ignored);
//      its body parses as a checkpoint (origin, size, root hash, extensions).
//   2. Every tile that the spec says must exist at that tree size is fetched;
//      every hash in a level L>=1 tile is checked to be the Merkle Tree Hash of
//      the corresponding full tile at level L-1; the root hash is recomputed
//      (a) from all level-0 leaf hashes with the RFC 9162 MTH definition and
//      (b) from the tile structure, and both must equal the checkpoint root.
//   3. For index 0, size-1, --sample random indexes and every --entry index:
//      the entry bundle is fetched and decoded, each entry is hashed as an
//      RFC 9162 leaf and compared with the level-0 tile, and an RFC 9162
//      inclusion proof is built from the tiles and verified (§2.1.3.2).
//   4. For every --old checkpoint (same key, same origin): old size <= new
//      size, and an RFC 9162 consistency proof built from the tiles verifies
//      against both roots (§2.1.4.2).
//
// Output: one line per successful check on stdout, then
//   OK size=<n> root=<base64> checked=<count>
// On any failure: "FAIL: <reason>" on stderr, exit status 1.
// Usage errors: message on stderr, exit status 2.

import { createHash, createPublicKey, randomInt, verify as edVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';

// ---------------------------------------------------------------------------
// Errors and output
// ---------------------------------------------------------------------------

/** A verification failure: reported as "FAIL: ..." with exit status 1. */
class VerifyError extends Error {}
/** Bad command line: exit status 2. */
class UsageError extends Error {}

function fail(reason) {
  throw new VerifyError(reason);
}

let checked = 0;
/** Records one successful check and prints it. */
function pass(line) {
  checked++;
  process.stdout.write(`ok   ${line}\n`);
}
function info(line) {
  process.stdout.write(`info ${line}\n`);
}

const USAGE =
  'usage: node verify.mjs --url <log prefix URL ending in "/"> --key <name+hex8+base64key>\n' +
  '                       [--sample N] [--old <checkpoint file>]... [--entry <index>]...';

// ---------------------------------------------------------------------------
// RFC 9162 §2.1.1 hashing
//   MTH({})       = HASH()
//   leaf hash     = HASH(0x00 || d)
//   interior node = HASH(0x01 || left || right)
// with HASH = SHA-256 (tlog-tiles: "The hashing algorithm is defined to be SHA-256").
// ---------------------------------------------------------------------------

const HASH_SIZE = 32;

function sha256(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const EMPTY_TREE_ROOT = sha256(); // MTH({}) = SHA-256 of the empty string
const leafHash = (entry) => sha256(LEAF_PREFIX, entry);
const nodeHash = (left, right) => sha256(NODE_PREFIX, left, right);

// Integer helpers. Tree sizes can exceed 2^32, so JavaScript's 32-bit bitwise
// operators must not be used; everything stays within Number.MAX_SAFE_INTEGER.
const lsb = (x) => x % 2 === 1; // RFC 9162 "LSB(x)"
const shr = (x) => Math.floor(x / 2); // right shift by one
const isPowerOf2 = (x) => x > 0 && Number.isInteger(Math.log2(x)) && 2 ** Math.log2(x) === x;
/** Largest power of two strictly smaller than n (n > 1): the "k" of RFC 9162 §2.1.1. */
function largestPow2Below(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// ---------------------------------------------------------------------------
// base64 (RFC 4648 §4, standard alphabet, padded), strict decoding
// ---------------------------------------------------------------------------

function decodeBase64Strict(s) {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : null; // rejects non-canonical encodings
}

// ---------------------------------------------------------------------------
// signed-note: verifier key ("vkey") and note parsing / verification
// ---------------------------------------------------------------------------

const ED25519_SIG_TYPE = 0x01; // signed-note "Signature types": 0x01 = Ed25519
// DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410), followed by the 32 raw bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Parses "<name>+<hex8 key ID>+<base64(0x01 || pubkey)>".
 * Key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4] (signed-note "Ed25519 signatures").
 */
function parseVerifierKey(vkey) {
  // Split at the first two '+' only: the name cannot contain '+', but the
  // base64 key (standard alphabet) can.
  const p1 = vkey.indexOf('+');
  const p2 = p1 < 0 ? -1 : vkey.indexOf('+', p1 + 1);
  if (p2 < 0) throw new UsageError('--key must have the form <name>+<hex8>+<base64 key>');
  const [name, idHex, keyB64] = [vkey.slice(0, p1), vkey.slice(p1 + 1, p2), vkey.slice(p2 + 1)];
  // signed-note: key names MUST be non-empty and MUST NOT contain Unicode spaces or '+'.
  if (name === '' || /\s/u.test(name)) throw new UsageError('--key: invalid key name');
  if (!/^[0-9a-f]{8}$/i.test(idHex)) throw new UsageError('--key: key ID must be 8 hex digits');
  const keyBytes = decodeBase64Strict(keyB64);
  if (!keyBytes || keyBytes.length !== 33 || keyBytes[0] !== ED25519_SIG_TYPE) {
    throw new UsageError('--key: key must be base64(0x01 || 32-byte Ed25519 public key)');
  }
  const pub = keyBytes.subarray(1);
  const keyId = sha256(Buffer.from(name, 'utf8'), Buffer.from([0x0a, ED25519_SIG_TYPE]), pub).readUInt32BE(0);
  if (keyId !== parseInt(idHex, 16)) {
    throw new UsageError(`--key: key ID ${idHex} does not match the key (expected ${keyId.toString(16).padStart(8, '0')})`);
  }
  let publicKey;
  try {
    publicKey = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
  } catch (e) {
    throw new UsageError(`--key: invalid Ed25519 public key: ${e.message}`);
  }
  return { name, keyId, publicKey };
}

const MAX_SIGNATURES = 100; // signed-note: verifiers MUST accept at least 16

/**
 * signed-note "Format": a text ending in newline, a blank line, then one or
 * more lines "— <key name> <base64(4-byte key ID || signature)>\n".
 * The text is separated from the signatures by the LAST empty line.
 */
function parseSignedNote(bytes, what) {
  let text;
  try {
    // ignoreBOM keeps the bytes exactly as received, so re-encoding the text is lossless.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    fail(`${what}: note is not valid UTF-8`);
  }
  // "MUST NOT contain any ASCII control characters ... other than newline"
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) fail(`${what}: note contains control character 0x${c.toString(16)}`);
  }
  const sep = text.lastIndexOf('\n\n');
  if (sep < 0) fail(`${what}: note has no blank line separating text and signatures`);
  const body = text.slice(0, sep + 1); // includes the final newline, not the blank line
  const sigBlock = text.slice(sep + 2);
  if (sigBlock === '' || !sigBlock.endsWith('\n')) fail(`${what}: note has no (newline-terminated) signature lines`);
  const lines = sigBlock.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) fail(`${what}: too many signature lines (${lines.length})`);
  const signatures = lines.map((line) => {
    if (!line.startsWith('\u2014 ')) fail(`${what}: malformed signature line ${JSON.stringify(line)}`);
    const rest = line.slice(2);
    const sp = rest.indexOf(' ');
    if (sp <= 0) fail(`${what}: malformed signature line ${JSON.stringify(line)}`);
    const name = rest.slice(0, sp);
    const sig = decodeBase64Strict(rest.slice(sp + 1));
    if (!sig || sig.length < 5) fail(`${what}: malformed signature in line ${JSON.stringify(line)}`);
    return { name, keyId: sig.readUInt32BE(0), sig: sig.subarray(4) };
  });
  return { body, signatures };
}

/**
 * signed-note "Signatures": ignore signatures whose (name, key ID) pair does
 * not match the known key; every matching one MUST verify (we reject the note
 * otherwise, as the spec recommends); at least one must verify.
 */
function verifyNoteSignature(note, key, what) {
  const msg = Buffer.from(note.body, 'utf8');
  let good = 0;
  for (const s of note.signatures) {
    if (s.name !== key.name || s.keyId !== key.keyId) continue; // unknown key (e.g. a witness): ignore
    if (s.sig.length !== 64 || !edVerify(null, msg, key.publicKey, s.sig)) {
      fail(`${what}: Ed25519 signature by ${key.name} does not verify`);
    }
    good++;
  }
  if (good === 0) fail(`${what}: no signature from key ${key.name} (id ${key.keyId.toString(16).padStart(8, '0')})`);
}

// ---------------------------------------------------------------------------
// tlog-checkpoint "Note text":
//   origin \n tree size (decimal, no leading zeros) \n base64 root hash \n [extension lines \n]
// ---------------------------------------------------------------------------

function parseCheckpoint(body, what) {
  const lines = body.slice(0, -1).split('\n'); // body always ends in '\n'
  if (lines.length < 3) fail(`${what}: checkpoint needs at least 3 lines, got ${lines.length}`);
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === '') fail(`${what}: empty origin line`);
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) fail(`${what}: bad tree size line ${JSON.stringify(sizeLine)}`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) fail(`${what}: tree size ${sizeLine} too large for this verifier`);
  const root = decodeBase64Strict(rootLine);
  if (!root || root.length !== HASH_SIZE) fail(`${what}: bad root hash line ${JSON.stringify(rootLine)}`);
  for (const ext of extensions) if (ext === '') fail(`${what}: empty extension line`);
  return { origin, size, root, extensions };
}

/** Parse + verify a checkpoint note with the given key. */
function openCheckpoint(bytes, key, what) {
  const note = parseSignedNote(bytes, what);
  verifyNoteSignature(note, key, what);
  return parseCheckpoint(note.body, what);
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

const FETCH_TIMEOUT_MS = 30_000;
const FETCH_ATTEMPTS = 3;
const FETCH_CONCURRENCY = 16;
let fetches = 0;

async function httpGet(url) {
  let lastError;
  for (let attempt = 1; attempt <= FETCH_ATTEMPTS; attempt++) {
    try {
      fetches++;
      // tlog-tiles: clients SHOULD include gzip and identity in Accept-Encoding;
      // fetch() transparently decodes Content-Encoding: gzip.
      const res = await fetch(url, {
        headers: { 'Accept-Encoding': 'gzip, identity' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (res.status === 200) return Buffer.from(await res.arrayBuffer());
      await res.arrayBuffer().catch(() => {});
      lastError = `HTTP ${res.status}`;
      if (res.status < 500) break; // 4xx will not get better by retrying
    } catch (e) {
      lastError = e.cause?.message ?? e.message;
    }
    if (attempt < FETCH_ATTEMPTS) await new Promise((r) => setTimeout(r, 200 * attempt));
  }
  fail(`GET ${url}: ${lastError}`);
}

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------
// tlog-tiles resource naming
// ---------------------------------------------------------------------------

const TILE_WIDTH = 256; // full tiles are 256 hashes (tile height 8)
const TILE_HEIGHT = 8;

/**
 * tlog-tiles "Merkle Tree": <N> is zero-padded 3-digit path elements, all but
 * the last prefixed with 'x'; e.g. 1234067 -> "x001/x234/067".
 */
function encodeTileIndex(n) {
  const groups = [];
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** "<L>/<N>[.p/<W>]" or "entries/<N>[.p/<W>]"; width 256 means a full tile (no suffix). */
function tilePath(level, n, width) {
  const suffix = width === TILE_WIDTH ? '' : `.p/${width}`;
  return `tile/${level}/${encodeTileIndex(n)}${suffix}`;
}

/**
 * Number of hashes stored at tile level L for a tree of `size` leaves:
 * floor(size / 256^L). Each is MTH(D[j*256^L : (j+1)*256^L]).
 * (tlog-tiles "Partial Tiles": the partial tile at level l has floor(s/256**l) mod 256 entries.)
 */
const hashesAtLevel = (size, level) => Math.floor(size / TILE_WIDTH ** level);

/** The tiles that must exist at `level` for this size: full ones, then one partial if width > 0. */
function tilesAtLevel(size, level) {
  const count = hashesAtLevel(size, level);
  const tiles = [];
  const full = Math.floor(count / TILE_WIDTH);
  for (let n = 0; n < full; n++) tiles.push({ level, n, width: TILE_WIDTH });
  const partial = count % TILE_WIDTH; // "Empty tiles MUST NOT be served"
  if (partial > 0) tiles.push({ level, n: full, width: partial });
  return tiles;
}

/** Width of the tile (or entry bundle) number n at a level holding `count` hashes. */
function widthOf(count, n) {
  return Math.min(TILE_WIDTH, count - n * TILE_WIDTH);
}

// ---------------------------------------------------------------------------
// The tile tree: every tile of the checkpointed tree, fetched and audited.
// ---------------------------------------------------------------------------

class TileTree {
  constructor(prefix, size) {
    this.prefix = prefix;
    this.size = size;
    this.levels = []; // levels[L] = Buffer of hashesAtLevel(size, L) concatenated hashes
    this.memo = new Map();
  }

  /** Fetch all tiles required by the spec at this size (levels until floor(size/256^L) = 0). */
  async load() {
    const specs = [];
    for (let L = 0; hashesAtLevel(this.size, L) > 0; L++) specs.push(...tilesAtLevel(this.size, L));
    const bodies = await mapLimit(specs, FETCH_CONCURRENCY, async (t) => {
      const path = tilePath(t.level, t.n, t.width);
      const data = await httpGet(this.prefix + path);
      // Full tiles are exactly 8192 bytes; a partial tile of width W is W hashes.
      if (data.length !== t.width * HASH_SIZE) {
        fail(`${path}: expected ${t.width * HASH_SIZE} bytes, got ${data.length}`);
      }
      return data;
    });
    for (let i = 0; i < specs.length; i++) {
      const L = specs[i].level;
      (this.levels[L] ??= []).push(bodies[i]);
    }
    this.levels = this.levels.map((parts) => Buffer.concat(parts));
    return specs.length;
  }

  /** The j-th hash at tile level L, i.e. MTH(D[j*256^L : (j+1)*256^L]). */
  hashAt(level, j) {
    const buf = this.levels[level];
    if (!buf || j < 0 || j * HASH_SIZE >= buf.length) {
      fail(`internal: hash ${j} at tile level ${level} is outside tree of size ${this.size}`);
    }
    return buf.subarray(j * HASH_SIZE, (j + 1) * HASH_SIZE);
  }

  /**
   * Audit: "At level 1 and above, each hash in a tile is the Merkle Tree Hash
   * of a full tile at the level below." Check every such hash.
   */
  checkUpperLevels() {
    let n = 0;
    for (let L = 1; L < this.levels.length; L++) {
      const count = this.levels[L].length / HASH_SIZE;
      for (let j = 0; j < count; j++) {
        // The 256 hashes of full tile j at level L-1 are the leaves of a perfect subtree of height 8.
        let row = [];
        for (let i = 0; i < TILE_WIDTH; i++) row.push(this.hashAt(L - 1, j * TILE_WIDTH + i));
        while (row.length > 1) {
          const up = [];
          for (let i = 0; i < row.length; i += 2) up.push(nodeHash(row[i], row[i + 1]));
          row = up;
        }
        if (!row[0].equals(this.hashAt(L, j))) {
          fail(`tile level ${L} hash #${j} (in ${tilePath(L, Math.floor(j / TILE_WIDTH), widthOf(count, Math.floor(j / TILE_WIDTH)))}) ` +
            `is not the hash of full tile ${tilePath(L - 1, j, TILE_WIDTH)}`);
        }
        n++;
      }
    }
    return n;
  }

  /**
   * Root from ALL level-0 leaf hashes, literally per RFC 9162 §2.1.1:
   *   MTH(D_n) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k = largest power of 2 < n.
   */
  rootFromLeaves() {
    if (this.size === 0) return EMPTY_TREE_ROOT;
    const mth = (a, b) => {
      if (b - a === 1) return this.hashAt(0, a);
      const k = largestPow2Below(b - a);
      return nodeHash(mth(a, a + k), mth(a + k, b));
    };
    return mth(0, this.size);
  }

  /**
   * Node of height h (covering 2^h leaves) with index i, i.e. MTH(D[i*2^h : (i+1)*2^h]),
   * taken from the tiles: at heights that are multiples of 8 it is stored in a
   * tile at level h/8; in between it is reconstructed by hashing (tlog-tiles:
   * "The Merkle Tree levels between those expressed by the tile hashes are
   * reconstructed by hashing the leaves").
   */
  perfectNode(h, i) {
    if (h % TILE_HEIGHT === 0) return this.hashAt(h / TILE_HEIGHT, i);
    const key = `${h}/${i}`;
    let v = this.memo.get(key);
    if (!v) {
      v = nodeHash(this.perfectNode(h - 1, 2 * i), this.perfectNode(h - 1, 2 * i + 1));
      this.memo.set(key, v);
    }
    return v;
  }

  /**
   * MTH(D[a:b]) for 0 <= a < b <= size, using the highest tiles available:
   * aligned power-of-two ranges come from perfectNode(); anything else is
   * split per the RFC 9162 MTH definition.
   */
  mth(a, b) {
    if (!(0 <= a && a < b && b <= this.size)) fail(`internal: MTH range [${a}, ${b}) outside tree of size ${this.size}`);
    const n = b - a;
    if (isPowerOf2(n) && a % n === 0) return this.perfectNode(Math.log2(n), a / n);
    const k = largestPow2Below(n);
    return nodeHash(this.mth(a, a + k), this.mth(a + k, b));
  }

  root() {
    return this.size === 0 ? EMPTY_TREE_ROOT : this.mth(0, this.size);
  }

  // ---- RFC 9162 §2.1.3.1 Generating an inclusion proof ----------------------
  //   PATH(0, {d0}) = {}
  //   m < k: PATH(m, D_n) = PATH(m, D[0:k]) : MTH(D[k:n])
  //   m >= k: PATH(m, D_n) = PATH(m - k, D[k:n]) : MTH(D[0:k])
  inclusionProof(index) {
    const path = (m, start, end) => {
      const n = end - start;
      if (n === 1) return [];
      const k = largestPow2Below(n);
      if (m < k) return [...path(m, start, start + k), this.mth(start + k, end)];
      return [...path(m - k, start + k, end), this.mth(start, start + k)];
    };
    return path(index, 0, this.size);
  }

  // ---- RFC 9162 §2.1.4.1 Generating a consistency proof (0 < m < n) --------
  //   PROOF(m, D_n) = SUBPROOF(m, D_n, true)
  //   SUBPROOF(m, D[m], true)  = {}
  //   SUBPROOF(m, D[m], false) = {MTH(D[m])}
  //   m <= k: SUBPROOF(m, D_n, b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
  //   m > k:  SUBPROOF(m, D_n, b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
  consistencyProof(m) {
    const subproof = (m, start, end, b) => {
      const n = end - start;
      if (m === n) return b ? [] : [this.mth(start, end)];
      const k = largestPow2Below(n);
      if (m <= k) return [...subproof(m, start, start + k, b), this.mth(start + k, end)];
      return [...subproof(m - k, start + k, end, false), this.mth(start, start + k)];
    };
    return subproof(m, 0, this.size, true);
  }
}

// ---------------------------------------------------------------------------
// RFC 9162 §2.1.3.2 Verifying an inclusion proof (coded independently of the
// proof generation above; it only sees the proof, sizes and hashes).
// ---------------------------------------------------------------------------

function verifyInclusionProof(leafIndex, treeSize, hash, inclusionPath, rootHash) {
  // 1. If leaf_index >= tree_size, fail.
  if (leafIndex >= treeSize) return false;
  // 2. Set fn to leaf_index and sn to tree_size - 1.
  let fn = leafIndex;
  let sn = treeSize - 1;
  // 3. Set r to hash.
  let r = hash;
  // 4. For each value p in the inclusion_path array:
  for (const p of inclusionPath) {
    // a. If sn is 0, stop the iteration and fail the proof verification.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (lsb(fn) || fn === sn) {
      // i. Set r to HASH(0x01 || p || r).
      r = nodeHash(p, r);
      // ii. If LSB(fn) is not set, right-shift fn and sn equally until either LSB(fn) is set or fn is 0.
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shr(fn);
          sn = shr(sn);
        }
      }
    } else {
      // Otherwise: set r to HASH(0x01 || r || p).
      r = nodeHash(r, p);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = shr(fn);
    sn = shr(sn);
  }
  // 5. Compare sn to 0 and r against root_hash; both must hold.
  return sn === 0 && r.equals(rootHash);
}

// ---------------------------------------------------------------------------
// RFC 9162 §2.1.4.2 Verifying consistency between two tree heads (0 < first < second).
// ---------------------------------------------------------------------------

function verifyConsistencyProof(first, second, firstHash, secondHash, consistencyPath) {
  if (!(0 < first && first < second)) return false;
  // 1. If consistency_path is an empty array, stop and fail the proof verification.
  if (consistencyPath.length === 0) return false;
  // 2. If first is an exact power of 2, prepend first_hash to the consistency_path array.
  const path = isPowerOf2(first) ? [firstHash, ...consistencyPath] : [...consistencyPath];
  // 3. Set fn to first - 1 and sn to second - 1.
  let fn = first - 1;
  let sn = second - 1;
  // 4. If LSB(fn) is set, right-shift both fn and sn equally until LSB(fn) is not set.
  while (lsb(fn)) {
    fn = shr(fn);
    sn = shr(sn);
  }
  // 5. Set both fr and sr to the first value in the consistency_path array.
  let fr = path[0];
  let sr = path[0];
  // 6. For each subsequent value c in the consistency_path array:
  for (const c of path.slice(1)) {
    // a. If sn is 0, stop the iteration and fail the proof verification.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (lsb(fn) || fn === sn) {
      // i. Set fr to HASH(0x01 || c || fr). ii. Set sr to HASH(0x01 || c || sr).
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      // iii. If LSB(fn) is not set, right-shift fn and sn equally until either LSB(fn) is set or fn is 0.
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shr(fn);
          sn = shr(sn);
        }
      }
    } else {
      // Otherwise: set sr to HASH(0x01 || sr || c).
      sr = nodeHash(sr, c);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = shr(fn);
    sn = shr(sn);
  }
  // 7. fr must equal first_hash, sr must equal second_hash, and sn must be 0.
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0;
}

// ---------------------------------------------------------------------------
// tlog-tiles "Log entries": entry bundles are sequences of big-endian uint16
// length-prefixed entries, served at tile/entries/<N>[.p/<W>].
// ---------------------------------------------------------------------------

function decodeEntryBundle(data, expected, path) {
  const entries = [];
  let off = 0;
  while (off < data.length) {
    if (off + 2 > data.length) fail(`${path}: truncated length prefix at byte ${off}`);
    const len = data.readUInt16BE(off);
    off += 2;
    if (off + len > data.length) fail(`${path}: entry #${entries.length} (${len} bytes) runs past end of bundle`);
    entries.push(data.subarray(off, off + len));
    off += len;
  }
  if (entries.length !== expected) fail(`${path}: expected ${expected} entries, bundle holds ${entries.length}`);
  return entries;
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

function parseIndex(flag, v) {
  if (!/^(0|[1-9][0-9]*)$/.test(v ?? '') || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`${flag} needs a non-negative integer, got ${JSON.stringify(v)}`);
  }
  return Number(v);
}

function parseArgs(argv) {
  const opts = { url: null, key: null, sample: 16, old: [], entries: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--url': opts.url = value(); break;
      case '--key': opts.key = value(); break;
      case '--sample': opts.sample = parseIndex(flag, value()); break;
      case '--old': opts.old.push(value()); break;
      case '--entry': opts.entries.push(parseIndex(flag, value())); break;
      case '-h':
      case '--help': throw new UsageError('');
      default: throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
    }
  }
  if (!opts.url) throw new UsageError('--url is required');
  if (!opts.key) throw new UsageError('--key is required');
  let u;
  try {
    u = new URL(opts.url);
  } catch {
    throw new UsageError(`--url is not a valid URL: ${opts.url}`);
  }
  if (!/^https?:$/.test(u.protocol)) throw new UsageError('--url must be http(s)');
  if (!opts.url.endsWith('/')) throw new UsageError('--url must end with "/"');
  return opts;
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const key = parseVerifierKey(opts.key);
  const oldFiles = opts.old.map((file) => {
    try {
      return { file, bytes: readFileSync(file) };
    } catch (e) {
      throw new UsageError(`--old ${file}: ${e.message}`);
    }
  });

  // 1. Checkpoint (tlog-tiles "Checkpoints": <prefix>/checkpoint).
  const cp = openCheckpoint(await httpGet(opts.url + 'checkpoint'), key, 'checkpoint');
  const { size, root } = cp;
  pass(`checkpoint signature by ${key.name} verified; origin=${JSON.stringify(cp.origin)} size=${size} ` +
    `root=${root.toString('base64')}${cp.extensions.length ? ` extensions=${cp.extensions.length}` : ''}`);

  // 2. Tiles and root hash.
  const tree = new TileTree(opts.url, size);
  const nTiles = await tree.load();
  pass(`fetched ${nTiles} tile(s) over ${tree.levels.length} level(s), all of the expected sizes`);
  const nUpper = tree.checkUpperLevels();
  if (nUpper > 0) pass(`${nUpper} level>=1 tile hash(es) equal the MTH of the corresponding full tiles below`);
  const leafRoot = tree.rootFromLeaves();
  if (!leafRoot.equals(root)) {
    fail(`root recomputed from ${size} leaf hashes is ${leafRoot.toString('base64')}, checkpoint says ${root.toString('base64')}`);
  }
  pass(`root recomputed from all ${size} level-0 leaf hashes (RFC 9162 MTH) matches checkpoint`);
  const tileRoot = tree.root();
  if (!tileRoot.equals(root)) fail(`root computed from upper tiles is ${tileRoot.toString('base64')}, checkpoint says ${root.toString('base64')}`);
  pass('root computed from the highest tiles matches checkpoint');

  // 3. Inclusion of sampled entries.
  for (const i of opts.entries) {
    if (i >= size) fail(`--entry ${i} is not in the log (tree size ${size})`);
  }
  const indexes = new Set(opts.entries);
  if (size > 0) {
    indexes.add(0);
    indexes.add(size - 1);
    for (let s = 0; s < opts.sample; s++) indexes.add(size <= 2 ** 48 - 1 ? randomInt(size) : Math.floor(Math.random() * size));
  }
  const bundles = new Map(); // bundle number -> Promise<entries[]>
  const getBundle = (n) => {
    if (!bundles.has(n)) {
      bundles.set(n, (async () => {
        const width = widthOf(size, n); // entry bundles follow the level-0 tile layout
        const path = tilePath('entries', n, width);
        const entries = decodeEntryBundle(await httpGet(opts.url + path), width, path);
        // "Each entry in a bundle hashes to the corresponding entry in the corresponding level 0 tile."
        entries.forEach((e, k) => {
          const idx = n * TILE_WIDTH + k;
          if (!leafHash(e).equals(tree.hashAt(0, idx))) fail(`${path}: entry ${idx} does not hash to level-0 tile hash ${idx}`);
        });
        return { path, entries };
      })());
    }
    return bundles.get(n);
  };
  const sorted = [...indexes].sort((a, b) => a - b);
  await mapLimit([...new Set(sorted.map((i) => Math.floor(i / TILE_WIDTH)))], FETCH_CONCURRENCY, getBundle);
  for (const i of sorted) {
    const { path, entries } = await getBundle(Math.floor(i / TILE_WIDTH));
    const entry = entries[i % TILE_WIDTH];
    const lh = leafHash(entry);
    if (!lh.equals(tree.hashAt(0, i))) fail(`entry ${i}: leaf hash does not match level-0 tile`);
    const proof = tree.inclusionProof(i);
    if (!verifyInclusionProof(i, size, lh, proof, root)) fail(`entry ${i}: RFC 9162 inclusion proof does not verify against checkpoint root`);
    pass(`inclusion of entry ${i} (${entry.length} bytes, ${path}, proof length ${proof.length})`);
  }

  // 4. Consistency with earlier checkpoints.
  for (const { file, bytes } of oldFiles) {
    const what = `old checkpoint ${file}`;
    const old = openCheckpoint(bytes, key, what);
    if (old.origin !== cp.origin) fail(`${what}: origin ${JSON.stringify(old.origin)} differs from ${JSON.stringify(cp.origin)}`);
    if (old.size > size) fail(`${what}: old size ${old.size} is larger than current size ${size}`);
    if (old.size === 0) {
      // MTH({}) = HASH(): the empty tree is a prefix of every tree, nothing to prove.
      if (!old.root.equals(EMPTY_TREE_ROOT)) fail(`${what}: size 0 but root is not SHA-256("")`);
      pass(`consistency ${file}: size 0 -> ${size} (empty tree, root is SHA-256(""))`);
    } else if (old.size === size) {
      // Same size: the consistency proof is empty; the roots must be identical.
      if (!old.root.equals(root)) fail(`${what}: same size ${size} but different root hash (log fork)`);
      pass(`consistency ${file}: size ${size} -> ${size} (identical roots)`);
    } else {
      const proof = tree.consistencyProof(old.size);
      if (!verifyConsistencyProof(old.size, size, old.root, root, proof)) {
        fail(`${what}: RFC 9162 consistency proof ${old.size} -> ${size} does not verify (log is not append-only?)`);
      }
      pass(`consistency ${file}: size ${old.size} -> ${size} (proof length ${proof.length})`);
    }
  }

  info(`${fetches} HTTP request(s)`);
  process.stdout.write(`OK size=${size} root=${root.toString('base64')} checked=${checked}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`error: ${e.message}\n`);
      process.stderr.write(USAGE + '\n');
      process.exit(2);
    }
    const reason = e instanceof VerifyError ? e.message : `unexpected error: ${e?.stack ?? e}`;
    process.stderr.write(`FAIL: ${reason}\n`);
    process.exit(1);
  },
);

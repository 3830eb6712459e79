// The log explorer's check in the browser: fetches the latest checkpoint and a proof from the log
// API (same origin), recomputes the root with Web Crypto as RFC 9162 says (§2.1.3.2 inclusion,
// §2.1.4.2 consistency), and checks the checkpoint's Ed25519 signature when the browser can.
// What it checks comes from the #browser-check element's data attributes; the server's own
// verdict stays on the page for readers without JavaScript.
(function () {
  'use strict';

  var box = document.getElementById('browser-check');
  if (!box) {
    return;
  }
  var verdict = document.getElementById('browser-verdict');
  var signatureLine = document.getElementById('browser-signature');
  var button = document.getElementById('verify-button');

  function say(ok, text) {
    verdict.textContent = text;
    verdict.className = 'log-verdict ' + (ok ? 'ok' : 'error');
  }

  function fromBase64(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out;
  }

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? '0' : '') + b.toString(16);
    }).join('');
  }

  function same(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        return false;
      }
    }
    return true;
  }

  function sha256(bytes) {
    return crypto.subtle.digest('SHA-256', bytes).then(function (d) {
      return new Uint8Array(d);
    });
  }

  function prefixed(prefix, parts) {
    var length = 1;
    parts.forEach(function (p) { length += p.length; });
    var out = new Uint8Array(length);
    out[0] = prefix;
    var at = 1;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  function leafHash(entry) {
    return sha256(prefixed(0, [entry]));
  }

  function nodeHash(left, right) {
    return sha256(prefixed(1, [left, right]));
  }

  // RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when it has the wrong shape.
  async function rootFromInclusion(index, size, leaf, proof) {
    if (index >= size) {
      return null;
    }
    var fn = index;
    var sn = size - 1n;
    var r = leaf;
    for (var i = 0; i < proof.length; i++) {
      var p = proof[i];
      if (sn === 0n) {
        return null;
      }
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(p, r);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n ? r : null;
  }

  // RFC 9162 §2.1.4.2: whether the proof links root1 at size1 to root2 at size2.
  async function consistent(size1, size2, root1, root2, proof) {
    if (size2 < size1) {
      return false;
    }
    if (size1 === size2) {
      return proof.length === 0 && same(root1, root2);
    }
    if (size1 === 0n) {
      return proof.length === 0;
    }
    if (proof.length === 0) {
      return false;
    }
    var path = proof.slice();
    if ((size1 & (size1 - 1n)) === 0n) {
      path.unshift(root1);
    }
    var fn = size1 - 1n;
    var sn = size2 - 1n;
    while ((fn & 1n) === 1n) {
      fn >>= 1n;
      sn >>= 1n;
    }
    var fr = path[0];
    var sr = path[0];
    for (var i = 1; i < path.length; i++) {
      var c = path[i];
      if (sn === 0n) {
        return false;
      }
      if ((fn & 1n) === 1n || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n && same(fr, root1) && same(sr, root2);
  }

  // A C2SP signed note: its text (through the last line before the blank line) and signatures.
  function parseNote(note) {
    var split = note.lastIndexOf('\n\n');
    if (split < 0 || note.charAt(note.length - 1) !== '\n') {
      throw new Error('the checkpoint is not a signed note');
    }
    var text = note.substring(0, split + 1);
    var lines = text.split('\n');
    if (lines.length < 4 || !/^(0|[1-9][0-9]{0,18})$/.test(lines[1])) {
      throw new Error('the checkpoint has no origin, size and root lines');
    }
    var signatures = note.substring(split + 2).split('\n').filter(function (l) {
      return l.length > 0;
    }).map(function (l) {
      var m = /^\u2014 (\S+) (\S+)$/.exec(l);
      if (!m) {
        throw new Error('the checkpoint has a malformed signature line');
      }
      return { name: m[1], bytes: fromBase64(m[2]) };
    });
    return {
      text: text,
      origin: lines[0],
      size: BigInt(lines[1]),
      root: fromBase64(lines[2]),
      signatures: signatures
    };
  }

  // The log's verifier key: <name>+<hex key ID>+<base64(0x01 || Ed25519 public key)>.
  function parseKey(vkey) {
    // the base64 may itself hold '+': only the first two separate fields
    var first = vkey.indexOf('+');
    var second = vkey.indexOf('+', first + 1);
    var typed = fromBase64(vkey.substring(second + 1));
    if (first < 0 || second < 0 || typed.length !== 33 || typed[0] !== 1) {
      throw new Error('the log\'s key on this page is not an Ed25519 note key');
    }
    return { name: vkey.substring(0, first), id: vkey.substring(first + 1, second), publicKey: typed.slice(1) };
  }

  // 'verified', 'unsupported' (no Ed25519 in this browser's Web Crypto) or throws why not.
  async function checkSignature(cp, vkey) {
    var key = parseKey(vkey);
    var line = cp.signatures.find(function (s) {
      return s.name === key.name && hex(s.bytes.slice(0, 4)) === key.id;
    });
    if (!line) {
      throw new Error('the checkpoint carries no signature by the log\'s key ' + key.name);
    }
    var publicKey;
    try {
      publicKey = await crypto.subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      if (e.name === 'NotSupportedError') {
        return 'unsupported';
      }
      throw new Error('the log\'s key cannot be read: ' + e.message);
    }
    var ok = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, line.bytes.slice(4),
      new TextEncoder().encode(cp.text));
    if (!ok) {
      throw new Error('the checkpoint\'s signature by ' + key.name + ' does not verify');
    }
    return 'verified';
  }

  async function fetchOk(url) {
    var r = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
    if (!r.ok) {
      throw new Error(url + ' answered ' + r.status);
    }
    return r;
  }

  async function latestCheckpoint() {
    var cp = parseNote(await (await fetchOk('/-/log/checkpoint')).text());
    if (cp.origin !== box.dataset.origin) {
      throw new Error('the checkpoint is of the log "' + cp.origin + '", not "' + box.dataset.origin + '"');
    }
    return cp;
  }

  function reportSignature(state, which) {
    signatureLine.textContent = state === 'verified'
      ? 'The signature of ' + which + ' was verified in this browser (Ed25519).'
      : 'This browser has no Ed25519 in Web Crypto: the signature of ' + which +
        ' was checked by the server only.';
  }

  async function inclusion() {
    var index = BigInt(box.dataset.index);
    var cp = await latestCheckpoint();
    reportSignature(await checkSignature(cp, box.dataset.logKey), 'the latest checkpoint');
    var leaf = await leafHash(fromBase64(box.dataset.entry));
    var answer = await (await fetchOk('/-/log/proof/inclusion?index=' + index + '&size=' + cp.size)).json();
    var proof = answer.hashes.map(fromBase64);
    var root = await rootFromInclusion(index, cp.size, leaf, proof);
    if (root === null) {
      say(false, 'Not verified in this browser: the proof does not have the shape of a proof for entry ' +
        index + ' in a tree of ' + cp.size + ' entries.');
    } else if (!same(root, cp.root)) {
      say(false, 'Not verified in this browser: the proof leads to the root ' + hex(root) +
        ', but the checkpoint\'s root is ' + hex(cp.root) + '.');
    } else {
      say(true, 'Verified in this browser: entry ' + index + ' is in the tree of ' + cp.size +
        ' entries (leaf hash ' + hex(leaf) + ', ' + proof.length + ' proof hashes, root ' + hex(root) + ').');
    }
  }

  async function consistency() {
    var from = BigInt(box.dataset.from);
    var to = BigInt(box.dataset.to);
    var oldRoot = fromBase64(box.dataset.oldRoot);
    var newRoot = fromBase64(box.dataset.newRoot);
    var notes = [];
    if (box.dataset.oldNote) {
      var old = parseNote(box.dataset.oldNote);
      if (old.size !== from || !same(old.root, oldRoot)) {
        throw new Error('the pasted checkpoint does not match the sizes on this page');
      }
      var oldState = await checkSignature(old, box.dataset.logKey);
      notes.push(oldState === 'verified' ? 'the pasted checkpoint\'s signature verified' : 'the pasted checkpoint\'s signature checked by the server only');
    }
    var cp = await latestCheckpoint();
    reportSignature(await checkSignature(cp, box.dataset.logKey), 'the latest checkpoint');
    if (cp.size === to) {
      newRoot = cp.root;
    } else {
      notes.push('the root at ' + to + ' entries is the server\'s (not the latest checkpoint)');
    }
    var answer = await (await fetchOk('/-/log/proof/consistency?from=' + from + '&to=' + to)).json();
    var proof = answer.hashes.map(fromBase64);
    var ok = await consistent(from, to, oldRoot, newRoot, proof);
    var extra = notes.length ? ' (' + notes.join('; ') + ')' : '';
    if (ok) {
      say(true, 'Verified in this browser: the tree of ' + to + ' entries extends the tree of ' + from +
        ' entries (' + proof.length + ' proof hashes)' + extra + '.');
    } else {
      say(false, 'Not verified in this browser: the proof does not link the root ' + hex(oldRoot) +
        ' at ' + from + ' entries to the root ' + hex(newRoot) + ' at ' + to + ' entries' + extra + '.');
    }
  }

  async function run() {
    if (!window.crypto || !window.crypto.subtle) {
      say(false, 'This browser cannot check the proof: crypto.subtle is missing because the page ' +
        'is not in a secure context (open it over https or from localhost). The server\'s check is above.');
      return;
    }
    button.disabled = true;
    verdict.className = 'log-verdict';
    verdict.textContent = 'Checking in this browser…';
    signatureLine.textContent = '';
    try {
      if (box.dataset.check === 'inclusion') {
        await inclusion();
      } else {
        await consistency();
      }
    } catch (e) {
      say(false, 'Not verified in this browser: ' + e.message + '.');
    } finally {
      button.disabled = false;
    }
  }

  button.hidden = false;
  button.addEventListener('click', run);
  run();
})();

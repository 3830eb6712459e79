// Checks a version's registry signature with npm's own pacote (verifySignatures), as npm install
// and npm audit signatures do. Usage:
//   node pacote-verify.mjs <registry URL> <spec> <keys JSON file> [tamper]
// "tamper" serves the packument through a proxy that changes dist.integrity.
// Prints {"ok":true,"keyid":...} or {"ok":false,"code":...,"message":...}; exits 0 either way.
import { createRequire } from 'node:module'
import { execSync } from 'node:child_process'
import { readFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import http from 'node:http'

const [registry, spec, keysFile, mode] = process.argv.slice(2)
const root = execSync('npm root -g', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
const require = createRequire(join(root, 'npm', 'package.json'))
const pacote = require('pacote')
const crypto = require('node:crypto')

const keys = JSON.parse(readFileSync(keysFile, 'utf8')).keys.map(k => ({
  keyid: k.keyid,
  expires: k.expires,
  pemkey: `-----BEGIN PUBLIC KEY-----\n${k.key}\n-----END PUBLIC KEY-----`,
}))

const upstream = registry.replace(/\/?$/, '/')
let url = upstream
let server
if (mode === 'tamper') {
  server = http.createServer(async (req, res) => {
    const answer = await fetch(new URL(req.url, upstream), { headers: { accept: 'application/json' } })
    let body = Buffer.from(await answer.arrayBuffer())
    if (answer.ok && (answer.headers.get('content-type') || '').includes('json')) {
      const doc = JSON.parse(body)
      for (const v of Object.values(doc.versions || {})) {
        v.dist.integrity = 'sha512-' + crypto.createHash('sha512').update('something else').digest('base64')
      }
      body = Buffer.from(JSON.stringify(doc))
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' })
    res.end(body)
  })
  await new Promise(r => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${server.address().port}/`
}
const nerf = url.replace(/^https?:/, '')
try {
  const mani = await pacote.manifest(spec, {
    registry: url,
    verifySignatures: true,
    [`${nerf}:_keys`]: keys,
    cache: mkdtempSync(join(tmpdir(), 'pacote-')),
    preferOnline: true,
  })
  console.log(JSON.stringify({ ok: true, keyid: mani._signatures?.[0]?.keyid ?? null, signatures: mani._signatures?.length ?? 0 }))
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }))
} finally {
  server?.close()
}

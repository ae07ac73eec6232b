#!/usr/bin/env node
// Logging HTTP proxy for protocol tracing (loopback only). Copied from shared/tools/couch;
// here LISTEN_PORT may be 0 (any free port, printed in the READY line).
//   proxy.js LISTEN_PORT TARGET_PORT LOGFILE [--max-body N (default 2000)]
//            [--deny REGEX]  answer 404 not_found for matching paths
//                            (e.g. '_bulk_get$' to emulate a server without it)
//            [--opaque-seq]  rewrite integer seqs into CouchDB-2.x-style opaque
//                            strings ("N-g1AAAA...") in _changes/db-info responses
//                            and back in ?since=, to check that clients treat
//                            seqs as opaque
// GET /_trace_marker?name=X is not forwarded: it writes {"marker":"X"} to LOGFILE.
// Forwards 127.0.0.1:LISTEN_PORT -> 127.0.0.1:TARGET_PORT and appends one JSON
// line per exchange to LOGFILE: {n, method, path, query, req_headers,
// req_body, status, res_headers, res_body, ms}. Bodies are parsed as JSON when
// possible and long bodies are truncated (arrays shortened, marked "...").
// Prints "READY" when listening; stops on SIGTERM/SIGINT.
'use strict';
const http = require('http');
const fs = require('fs');
const zlib = require('zlib');

const [listenPort, targetPort, logFile] = process.argv.slice(2, 5).map((x, i) => (i < 2 ? parseInt(x, 10) : x));
const mbIdx = process.argv.indexOf('--max-body');
const MAX = mbIdx > 0 ? parseInt(process.argv[mbIdx + 1], 10) : 2000;
const dIdx = process.argv.indexOf('--deny');
const DENY = dIdx > 0 ? new RegExp(process.argv[dIdx + 1]) : null;
const OPAQUE = process.argv.includes('--opaque-seq');
const toOpaque = (n) => (typeof n === 'number' ? `${n}-g1AAAAOpaqueSeq${Buffer.from('seq' + n).toString('base64').replace(/=/g, '')}` : n);
function opaqueBody(pathname, buf) {
  let j; try { j = JSON.parse(buf.toString('utf8')); } catch (e) { return buf; }
  if (/\/_changes$/.test(pathname)) {
    if (j.results) j.results.forEach((r) => { r.seq = toOpaque(r.seq); });
    j.last_seq = toOpaque(j.last_seq);
  } else if (j && typeof j.update_seq === 'number') j.update_seq = toOpaque(j.update_seq);
  return Buffer.from(JSON.stringify(j));
}
if (!(listenPort >= 0) || !targetPort || !logFile) { console.error('usage: proxy.js LISTEN_PORT TARGET_PORT LOGFILE'); process.exit(2); }
const out = fs.createWriteStream(logFile, { flags: 'a' });
let n = 0;

function shrink(v, depth = 0) {
  if (Array.isArray(v)) {
    const a = v.slice(0, 8).map((x) => shrink(x, depth + 1));
    if (v.length > 8) a.push(`... ${v.length - 8} more (${v.length} total)`);
    return a;
  }
  if (v && typeof v === 'object') {
    const o = {}; const keys = Object.keys(v);
    keys.slice(0, 12).forEach((k) => { o[k] = shrink(v[k], depth + 1); });
    if (keys.length > 12) o['...'] = `${keys.length - 12} more keys (${keys.length} total)`;
    return o;
  }
  if (typeof v === 'string' && v.length > 200) return v.slice(0, 200) + `...(${v.length} chars)`;
  return v;
}
function body(buf, ctype, cenc) {
  if (!buf.length) return undefined;
  try {
    if (cenc === 'gzip') buf = zlib.gunzipSync(buf);
    else if (cenc === 'deflate') buf = zlib.inflateSync(buf);
  } catch (e) { /* truncated stream (aborted longpoll): keep raw */ }
  const s = buf.toString('utf8');
  if (/json/.test(ctype || '') || /^\s*[\[{"]/.test(s)) {
    try { return shrink(JSON.parse(s)); } catch (e) { /* fallthrough: maybe multipart or ndjson */ }
  }
  return s.length > MAX ? s.slice(0, MAX) + `...(${s.length} bytes)` : s;
}
const KEEP = ['content-type', 'accept', 'accept-encoding', 'user-agent', 'authorization', 'content-encoding', 'transfer-encoding', 'cookie', 'set-cookie', 'location', 'etag', 'cache-control', 'server', 'www-authenticate'];
function pick(h) { const o = {}; for (const k of KEEP) if (h[k] !== undefined) o[k] = k === 'authorization' ? String(h[k]).replace(/ .*/, ' ***') : h[k]; return o; }

const server = http.createServer((req, res) => {
  const id = ++n; const t0 = Date.now();
  const reqChunks = [];
  req.on('data', (c) => reqChunks.push(c));
  req.on('end', () => {
    const reqBuf = Buffer.concat(reqChunks);
    const u0 = new URL(req.url, 'http://x');
    if (u0.pathname === '/_trace_marker') {
      out.write(JSON.stringify({ marker: u0.searchParams.get('name') }) + '\n');
      res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); return;
    }
    if (DENY && DENY.test(u0.pathname)) {
      const q = {}; u0.searchParams.forEach((v, k) => { q[k] = v; });
      out.write(JSON.stringify({ n: id, method: req.method, path: u0.pathname, query: q, req_body: body(reqBuf, req.headers['content-type']),
        status: 404, res_body: { error: 'not_found', reason: 'missing' }, denied_by_proxy: true }) + '\n');
      res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":"not_found","reason":"missing"}'); return;
    }
    const headers = Object.assign({}, req.headers, { host: '127.0.0.1:' + targetPort });
    let fwdPath = req.url;
    const transform = OPAQUE && req.method === 'GET' && (/\/_changes$/.test(u0.pathname) || /^\/[^/_][^/]*\/?$/.test(u0.pathname));
    if (OPAQUE) {
      const since = u0.searchParams.get('since');
      const m = since && /^"?(\d+)-g1AAAA/.exec(since);
      if (m) { u0.searchParams.set('since', m[1]); fwdPath = u0.pathname + '?' + u0.searchParams.toString(); }
      if (transform) delete headers['accept-encoding'];
    }
    const p = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: fwdPath, headers }, (pr) => {
      if (!transform) res.writeHead(pr.statusCode, pr.headers);
      let resChunks = [];
      pr.on('data', (c) => { resChunks.push(c); if (!transform) res.write(c); });
      pr.on('end', () => {
        if (transform) {
          const nb = opaqueBody(u0.pathname, Buffer.concat(resChunks));
          resChunks = [nb];
          const h = Object.assign({}, pr.headers, { 'content-length': nb.length });
          delete h['transfer-encoding']; delete h.etag;
          res.writeHead(pr.statusCode, h); res.end(nb);
        } else res.end();
        const u = new URL(req.url, 'http://x');
        const q = {}; u.searchParams.forEach((v, k) => { q[k] = v; });
        out.write(JSON.stringify({ n: id, method: req.method, path: u.pathname, query: q,
          req_headers: pick(req.headers), req_body: body(reqBuf, req.headers['content-type'], req.headers['content-encoding']),
          status: pr.statusCode, res_headers: pick(pr.headers),
          res_body: body(Buffer.concat(resChunks), pr.headers['content-type'], pr.headers['content-encoding']), ms: Date.now() - t0 }) + '\n');
      });
    });
    p.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
    p.end(reqBuf);
  });
});
// Port 0: any free port; the line printed says which.
server.listen(listenPort, '127.0.0.1', () => console.log(`READY proxy 127.0.0.1:${server.address().port} -> 127.0.0.1:${targetPort} log=${logFile}`));
const stop = () => { server.close(); out.end(() => process.exit(0)); };
process.on('SIGTERM', stop); process.on('SIGINT', stop);

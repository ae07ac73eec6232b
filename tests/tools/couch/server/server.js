#!/usr/bin/env node
// Pure-JS CouchDB-compatible test server (copied from shared/tools/couch; --port 0 picks a free
// port and the READY line says which): express-pouchdb 4.2.0 over
// pouchdb-core 7.3.1 + pouchdb-adapter-memory (MemDOWN). No native modules.
//
// Usage: node server.js --port N [--host 127.0.0.1] [--data memory]
//                       [--admin USER:PASS]
//                       [--mode full|minimum] [--access-log]
//                       [--run-dir DIR]
//
// --admin USER:PASS  creates a CouchDB server admin AND enforces CouchDB's
//                    "require_valid_user" behaviour: every request except
//                    GET / and /_session must carry valid HTTP Basic
//                    credentials (cookie-only sessions are rejected).
//                    Without --admin the server runs in "admin party" mode.
// Prints "READY http://HOST:PORT/" on stdout once it accepts connections.
'use strict';

const path = require('path');
const fs = require('fs');
const os = require('os');
const express = require('express');

function parseArgs(argv) {
  const a = { host: '127.0.0.1', data: 'memory', mode: 'full' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => { if (i + 1 >= argv.length) die('missing value for ' + k); return argv[++i]; };
    switch (k) {
      case '--port': a.port = parseInt(v(), 10); break;
      case '--host': a.host = v(); break;
      case '--data': a.data = v(); break;
      case '--admin': a.admin = v(); break;
      case '--mode': a.mode = v(); break;
      case '--run-dir': a.runDir = v(); break;
      case '--access-log': a.accessLog = true; break;
      case '-h': case '--help':
        console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 16).join('\n'));
        process.exit(0);
        break;
      default: die('unknown argument ' + k);
    }
  }
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) die('--port N is required (0: any free port)');
  if (!/^127\.|^localhost$|^::1$/.test(a.host)) die('refusing non-loopback host ' + a.host);
  if (a.data !== 'memory') die('only --data memory is supported by this pure-JS server');
  if (!['full', 'minimum'].includes(a.mode)) die('--mode must be full or minimum');
  if (a.admin && a.admin.indexOf(':') < 1) die('--admin must be USER:PASS');
  if (a.admin && a.mode !== 'full') die('--admin needs --mode full (auth routes)');
  return a;
}
function die(msg) { console.error('server.js: ' + msg); process.exit(2); }

const args = parseArgs(process.argv.slice(2));
const runDir = args.runDir || fs.mkdtempSync(path.join(os.tmpdir(), 'couch-test-'));
fs.mkdirSync(runDir, { recursive: true });

// Work around a PouchDB 7.3.1 crash: pouchdb-merge latest() throws
// "Unable to resolve latest revision" for an unknown rev, asynchronously
// (uncatchable; kills the process / wedges the db). Fall back to the
// requested rev, so the reply becomes the normal "missing" result.
const pouchMerge = require('pouchdb-merge');
const origLatest = pouchMerge.latest;
pouchMerge.latest = function (rev, metadata) {
  try { return origLatest(rev, metadata); } catch (e) { return rev; }
};

const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-replication'))
  .plugin(require('pouchdb-mapreduce'));
// memory adapter; prefix only namespaces the in-memory stores
const MemPouch = PouchDB.defaults({ adapter: 'memory', prefix: runDir + path.sep });

const pouchApp = require('express-pouchdb')(MemPouch, {
  mode: args.mode === 'full' ? 'fullCouchDB' : 'minimumForPouchDB',
  inMemoryConfig: true,                      // never writes config.json
  logPath: path.join(runDir, 'couch-log.txt'),
  overrideMode: args.mode === 'full' ? { exclude: ['routes/fauxton'] } : undefined,
});

const app = express();
app.disable('x-powered-by');

// Optional crash guard (COUCH_TEST_DOMAIN_GUARD=1; off by default because it
// costs ~30-40% throughput): binds each request to a domain so that errors
// thrown asynchronously inside PouchDB become a 500 reply for that request.
// The known case (latest=true + unknown rev) is already fixed by the
// pouchdb-merge patch above; the uncaughtException handler below keeps the
// process alive otherwise (the request then hangs).
const domain = require('domain');
if (process.env.COUCH_TEST_DOMAIN_GUARD === '1') app.use((req, res, next) => {
  const d = domain.create();
  d.add(req); d.add(res);
  d.on('error', (err) => {
    process.stderr.write(`request error (${req.method} ${req.originalUrl}): ${err && err.stack || err}\n`);
    if (!res.headersSent) res.status(500).json({ error: 'unknown_error', reason: String(err && err.message || err) });
    else res.destroy();
  });
  d.run(next);
});
process.on('uncaughtException', (err) => {
  process.stderr.write('uncaught exception (server kept running): ' + (err && err.stack || err) + '\n');
});

if (args.accessLog) {
  app.use((req, res, next) => {
    const t0 = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      process.stderr.write(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms\n`);
    });
    next();
  });
}

let adminUser = null, adminPass = null;
if (args.admin) {
  const idx = args.admin.indexOf(':');
  adminUser = args.admin.slice(0, idx);
  adminPass = args.admin.slice(idx + 1);
  const crypto = require('crypto');
  const expected = Buffer.from('Basic ' + Buffer.from(adminUser + ':' + adminPass).toString('base64'));
  // require_valid_user: reject anything without valid credentials, except
  // GET / (welcome) and POST/GET /_session (cookie login). Enforcing this in
  // front of express-pouchdb also avoids an express-pouchdb 4.2.0 crash
  // (TypeError: db.info is not a function) when a non-admin does PUT /db.
  app.use((req, res, next) => {
    if ((req.path === '/' && req.method === 'GET') || req.path === '/_session') return next();
    const h = Buffer.from(req.headers.authorization || '');
    if (h.length === expected.length && crypto.timingSafeEqual(h, expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Basic realm="server"')
      .json({ error: 'unauthorized', reason: 'Authentication required.' });
  });
}

app.use(pouchApp);

async function main() {
  if (adminUser) {
    await new Promise((resolve, reject) =>
      pouchApp.couchConfig.set('admins', adminUser, adminPass, (e) => e ? reject(e) : resolve()));
  }
  const server = app.listen(args.port, args.host, () => {
    process.stdout.write(`READY http://${args.host}:${server.address().port}/ data=${args.data} mode=${args.mode}` +
      `${adminUser ? ' auth=basic(' + adminUser + ')' : ' auth=admin-party'} pid=${process.pid}\n`);
  });
  server.keepAliveTimeout = 65000;
  server.on('error', (e) => { console.error('listen error: ' + e.message); process.exit(1); });
  const stop = () => { server.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((e) => { console.error(e); process.exit(1); });

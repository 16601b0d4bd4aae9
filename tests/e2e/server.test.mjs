// The dev server: isolation headers and MIME types on every response, no caching, and every
// path-traversal spelling refused without leaking the file. Requests are sent with the raw path
// (node's http client does not normalise `..`), as an attacker would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { BASE } from './browser.mjs';

const { hostname, port } = new URL(BASE);

/** GET `rawPath` exactly as written; resolves to { status, headers, body }. */
function get(rawPath, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    req.end();
  });
}

function assertIsolationHeaders(res, path) {
  assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', path);
  assert.equal(res.headers['cross-origin-embedder-policy'], 'require-corp', path);
  assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin', path);
  assert.equal(res.headers['cache-control'], 'no-store', path);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
}

test('serves the app with isolation headers and the right MIME types', async () => {
  const expect = {
    '/': 'text/html; charset=utf-8',
    '/index.html': 'text/html; charset=utf-8',
    '/app.js': 'text/javascript; charset=utf-8',
    '/style.css': 'text/css; charset=utf-8',
    '/pkg/vectorscope.js': 'text/javascript; charset=utf-8',
    '/pkg/vectorscope_bg.wasm': 'application/wasm',
  };
  for (const [path, type] of Object.entries(expect)) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['content-type'], type, path);
    assertIsolationHeaders(res, path);
  }
  const wasm = await get('/pkg/vectorscope_bg.wasm');
  assert.equal(wasm.body.slice(0, 4), '\0asm');
});

test('errors carry the same headers', async () => {
  for (const path of ['/no-such-file.js', '/pkg/missing.wasm']) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assertIsolationHeaders(res, path);
  }
  const post = await get('/', 'POST');
  assert.equal(post.status, 405);
  assertIsolationHeaders(post, 'POST /');
});

test('refuses every path traversal without leaking the file', async () => {
  const attempts = [
    '/../Cargo.toml',
    '/../../../../etc/passwd',
    '/%2e%2e/Cargo.toml',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/.%2e/Cargo.toml',
    '/..%2fCargo.toml',
    '/%2e%2e%2fCargo.toml',
    '/..%5cCargo.toml',
    '/..\\Cargo.toml',
    '/pkg/../../Cargo.toml',
    '/pkg/%2e%2e/%2e%2e/Cargo.toml',
    '/worklet/../Cargo.toml',
    '//etc/passwd',
    '///etc/passwd',
    '/C:/Windows/win.ini',
    '/.gitignore',
    '/pkg/.gitignore',
    '/app.js%00.html',
  ];
  for (const path of attempts) {
    const res = await get(path);
    assert.ok([400, 403, 404].includes(res.status), `${path} -> ${res.status}`);
    assert.notEqual(res.status, 200, path);
    assert.doesNotMatch(res.body, /\[package\]|root:x?:0:0|node_modules/, `${path} leaked a file`);
    if (res.status !== 400) assertIsolationHeaders(res, path);
  }
});

// Static servers for the release tests: Python's http.server (a plain host: no special headers,
// as GitHub Pages or `python3 -m http.server` would serve the files), and a small one of our own
// that sends the headers a host reads from the release's `_headers` file (Netlify, Cloudflare
// Pages), or given ones.
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** Serves `dir` with `python3 -m http.server` on a free port; resolves to { url, close }. */
export function pythonServer(dir) {
  const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`python3 http.server did not start: ${out}`)), 10_000);
    const fail = (e) => {
      clearTimeout(timer);
      child.kill();
      reject(e);
    };
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`python3 http.server exited (${code}): ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const port = /port (\d+)/.exec(out)?.[1];
      if (!port) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // A test that times out skips its clean-up: the server must not outlive the runner.
      const kill = () => child.kill();
      process.once('exit', kill);
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => {
          process.off('exit', kill);
          child.kill();
        },
      });
    });
    child.stderr.on('data', (chunk) => (out += chunk));
  });
}

/** The rules of a Netlify-style `_headers` file: [{ pattern, headers: [[name, value]] }]. */
export function parseHeadersFile(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ pattern: line.trim(), headers: [] });
    } else if (rules.length) {
      const at = line.indexOf(':');
      rules.at(-1).headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

/** Whether a `_headers` path pattern (exact, or ending in `*`) matches `path`. */
function matches(pattern, path) {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves `dir` on a free port with the headers of its `_headers` file (`headersFile: true`) or
 * `headers` ([[name, value]] on every response); resolves to { url, close }.
 */
export function headersServer(dir, { headersFile = false, headers = [] } = {}) {
  const rules = headersFile ? parseHeadersFile(readFileSync(join(dir, '_headers'), 'utf8')) : [];
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const sent = [...headers];
    for (const rule of rules) if (matches(rule.pattern, path)) sent.push(...rule.headers);
    for (const [name, value] of sent) res.setHeader(name, value);
    let file = normalize(join(dir, path));
    if (!file.startsWith(normalize(dir) + sep) && file !== normalize(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      statSync(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
    });
  });
}

/** The isolation headers the dev server sends. */
export const ISOLATION_HEADERS = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
];

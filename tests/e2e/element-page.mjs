// Shared by the element's test files: a page with the element module and no elements, which
// records console warnings and every stream the page captures, and a helper that adds a scope.
import { BASE, collectErrors, withoutIsolation } from './browser.mjs';

/**
 * Opens embed.html in `browser` with its own elements removed. `window.streams` holds every
 * MediaStream that getUserMedia or getDisplayMedia gave the page (`window.gumCalls` counts the
 * calls of both); `window.liveTracks()` counts their live tracks. While `window.gumGate` holds a
 * promise, each such call waits for it before resolving, its stream already open (a permission
 * or share prompt not yet answered, held for as long as a test needs).
 * The page is pushed on `openPages` (closed by the test file's afterEach).
 * @returns {Promise<{ page, errors: string[], warnings: string[] }>}
 */
export async function openElementPage(browser, openPages, { isolated = true } = {}) {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  openPages.push(page);
  const errors = collectErrors(page);
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  if (!isolated) await withoutIsolation(page);
  await page.addInitScript(() => {
    window.streams = [];
    window.gumCalls = 0;
    const devices = navigator.mediaDevices;
    for (const name of ['getUserMedia', 'getDisplayMedia']) {
      const capture = devices[name].bind(devices);
      devices[name] = async (c) => {
        window.gumCalls++;
        const s = await capture(c);
        window.streams.push(s);
        if (window.gumGate) await window.gumGate;
        return s;
      };
    }
    window.liveTracks = () => window.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length;
  });
  await page.goto(`${BASE}/embed.html`);
  await page.waitForFunction(() => customElements.get('vector-scope'));
  // Start from an empty page: the demo's own elements go.
  await page.evaluate(() => document.querySelectorAll('vector-scope').forEach((e) => e.remove()));
  return { page, errors, warnings };
}

/** Adds `<vector-scope id=...>` with `attrs` and waits until it is drawing. */
export async function addScope(page, id, attrs = {}) {
  await page.evaluate(
    ({ id, attrs }) =>
      new Promise((resolve, reject) => {
        const el = document.createElement('vector-scope');
        el.id = id;
        el.style.width = '320px';
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        el.addEventListener('scope-ready', () => resolve(), { once: true });
        el.addEventListener('scope-error', (e) => reject(new Error(e.detail.code)), { once: true });
        document.body.append(el);
      }),
    { id, attrs },
  );
}

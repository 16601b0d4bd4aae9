// Runs www/bench.html in headless Chromium (both backends) and prints its results as JSON on
// the last line of stdout. Started by `cargo xtask bench`; BENCH_QUERY narrows the run.
import { launch, BASE } from '../e2e/browser.mjs';

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(`${BASE}/bench.html?run&${process.env.BENCH_QUERY ?? ''}`);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 20 * 60_000, polling: 1000 });
  const results = await page.evaluate(() => window.benchResults);
  const worklet = await page.evaluate(() => window.benchWorklet ?? null);
  const version = browser.version();
  console.log(JSON.stringify({ chromium: version, results, worklet }));
} finally {
  await browser.close();
}

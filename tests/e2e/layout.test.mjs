// The element's picture against its layout: with no area (hidden, display: none) or scrolled
// off-screen it draws nothing and drops nothing, and resumes; snapshot() with no area rejects; a
// box past the GPU's largest texture gives a canvas scaled down alike, still drawn; while
// running, the control bar and the fallback notice keep off the trace and its labels; a box
// taller than wide (an embedder's column, a portrait window, full screen on a phone) has the
// meters below the picture and the bar above it, a wider one the meters beside it.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { openElementPage, addScope } from './element-page.mjs';
import { measureScope, assertScopeLayout, assertInside } from './scope-layout.mjs';

let browser;
const openPages = [];
afterEach(async () => {
  for (const page of openPages.splice(0)) await page.close().catch(() => {});
});
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const elementPage = (options) => openElementPage(browser, openPages, options);

/** Connects element `id` to a mono oscillator (L = R) and waits until it draws. */
async function feed(page, id) {
  await page.evaluate(async (id) => {
    const el = document.getElementById(id);
    const o = new OscillatorNode(el.audioContext, { frequency: 150 });
    o.start();
    const g = new GainNode(el.audioContext, { gain: 0.5 });
    o.connect(g);
    await el.connect(g);
  }, id);
  await page.waitForFunction((id) => document.getElementById(id).stats.frames > 8, id);
}

/** Waits for `n` of the page's animation frames (the page draws on, whatever the element does). */
const pageFrames = (page, n) =>
  page.evaluate(
    (n) =>
      new Promise((resolve) => {
        const step = () => (--n <= 0 ? resolve() : requestAnimationFrame(step));
        requestAnimationFrame(step);
      }),
    n,
  );

const stats = (page, id) => page.evaluate((id) => document.getElementById(id).stats, id);

/** While `hide` holds, the element draws no frame and drops nothing, and the ring is drained. */
async function assertPaused(page, id, how) {
  await pageFrames(page, 6); // the observers report
  const a = await stats(page, id);
  await pageFrames(page, 30);
  const b = await stats(page, id);
  assert.equal(b.frames, a.frames, `${how}: no frames drawn (${a.frames} -> ${b.frames})`);
  assert.equal(b.dropped, a.dropped, `${how}: nothing dropped`);
  assert.ok(b.drained > a.drained, `${how}: the ring is still drained (${a.drained} -> ${b.drained})`);
  return b;
}

async function assertResumed(page, id, how, from) {
  await page.waitForFunction(({ id, f }) => document.getElementById(id).stats.frames > f + 5, { id, f: from.frames }, { timeout: 10_000 });
  const c = await stats(page, id);
  assert.ok(c.segmentsPerFrame > 0 || c.samplesDrawn > from.samplesDrawn, `${how}: drawing again`);
}

test('with no area or off-screen the element draws nothing and drops nothing, then resumes; snapshot() with no area rejects', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'none' });
  await feed(page, 'a');

  await page.evaluate(() => {
    document.getElementById('a').hidden = true;
  });
  let paused = await assertPaused(page, 'a', 'hidden');
  const refused = await page.evaluate(() => document.getElementById('a').snapshot().then(() => 'resolved', (e) => e.code));
  assert.equal(refused, 'no-area');
  await page.evaluate(() => {
    document.getElementById('a').hidden = false;
  });
  await assertResumed(page, 'a', 'shown again', paused);
  const size = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const bmp = await createImageBitmap(await el.snapshot());
    const canvas = el.shadowRoot.querySelector('canvas');
    return { png: [bmp.width, bmp.height], canvas: [canvas.width, canvas.height] };
  });
  assert.ok(size.png[0] > 100, `the snapshot is the canvas, not 1x1: ${JSON.stringify(size)}`);
  assert.deepEqual(size.png, size.canvas);

  await page.evaluate(() => {
    document.getElementById('a').style.display = 'none';
  });
  paused = await assertPaused(page, 'a', 'display: none');
  await page.evaluate(() => {
    document.getElementById('a').style.display = '';
  });
  await assertResumed(page, 'a', 'displayed again', paused);

  await page.evaluate(() => {
    const el = document.getElementById('a');
    el.style.marginTop = '4000px';
    window.scrollTo(0, 0);
  });
  paused = await assertPaused(page, 'a', 'off-screen');
  await page.evaluate(() => document.getElementById('a').scrollIntoView());
  await assertResumed(page, 'a', 'scrolled into view', paused);
  assert.deepEqual(errors, []);
});

test("a box past the GPU's largest texture gives a canvas scaled down alike, drawn, and stats say so", async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'none' });
  await feed(page, 'a');
  const max = await page.evaluate(() => document.getElementById('a').scopeView.renderer.maxSize);
  assert.ok(max >= 2048, `maxSize ${max}`);
  const read = () =>
    page.evaluate(() => {
      const el = document.getElementById('a');
      const c = el.shadowRoot.querySelector('canvas');
      const box = c.getBoundingClientRect();
      return { width: c.width, height: c.height, box: [box.width, box.height], ...el.stats };
    });
  for (const width of [max + 1000, 2 * max]) {
    await page.evaluate((w) => {
      const el = document.getElementById('a');
      el.style.width = `${w}px`;
      el.style.height = '160px';
    }, width);
    const f = (await read()).frames;
    await page.waitForFunction(({ f }) => document.getElementById('a').stats.frames > f + 10, { f });
    const s = await read();
    assert.equal(s.clamped, true, `clamped at ${width} px: ${JSON.stringify(s)}`);
    assert.ok(s.width <= max && s.height <= max, `canvas ${s.width}x${s.height} within ${max}`);
    assert.ok(s.width >= max - 2, `as large as the device allows: ${s.width}`);
    const ratio = s.width / s.height / (s.box[0] / s.box[1]);
    assert.ok(Math.abs(ratio - 1) < 0.03, `the same proportions as the box: ${s.width}x${s.height} for ${s.box}`);
    assert.ok(s.segmentsPerFrame > 0, `still drawing: ${JSON.stringify(s)}`);
  }
  await page.evaluate(() => {
    const el = document.getElementById('a');
    el.style.width = '320px';
    el.style.height = '';
  });
  await page.waitForFunction(() => document.getElementById('a').stats.clamped === false);
  const s = await read();
  assert.deepEqual([s.width, s.height], [320, 320]);
  assert.deepEqual(errors, []);
});

test('while running, the bar and the notice fade off the trace when the pointer leaves; keyboard focus keeps the bar', async () => {
  const { page, errors } = await elementPage({ isolated: false });
  await addScope(page, 'a', { source: 'none', controls: '' });
  await page.evaluate(() => {
    document.getElementById('a').style.width = '400px';
  });
  const look = () =>
    page.evaluate(() => {
      const el = document.getElementById('a');
      const root = el.shadowRoot;
      const rect = (n) => n.getBoundingClientRect();
      const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const notice = root.querySelector('[part~="notice"]');
      const shown = [...root.querySelectorAll('.scope-labels span')].filter((s) => rect(s).width > 0);
      return {
        state: el.state,
        bar: getComputedStyle(root.querySelector('[part~="controls"]')).opacity,
        notice: notice.hidden ? 'hidden' : getComputedStyle(notice).opacity,
        covered: shown.filter((s) => overlaps(rect(notice), rect(s))).map((s) => s.className),
        labels: shown.length,
      };
    });
  // Idle: the bar stays (Start is needed), and the notice keeps clear of the labels.
  for (const mode of ['xy', 'ms']) {
    await page.evaluate((m) => {
      document.getElementById('a').mode = m;
    }, mode);
    const l = await look();
    assert.ok(l.labels >= 2, `${mode}: labels shown`);
    assert.deepEqual(l.covered, [], `${mode}: the notice covers no label`);
    assert.equal(l.notice, '1');
  }
  await feed(page, 'a');
  await page.mouse.move(880, 680);
  await page.waitForFunction(() => {
    const root = document.getElementById('a').shadowRoot;
    return getComputedStyle(root.querySelector('[part~="controls"]')).opacity === '0';
  }, null, { timeout: 5000 });
  let l = await look();
  assert.equal(l.state, 'running');
  assert.equal(l.notice, '0', 'the notice fades with the bar');
  // The pointer over the element brings them back.
  const box = await page.locator('#a').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => {
    const root = document.getElementById('a').shadowRoot;
    return getComputedStyle(root.querySelector('[part~="controls"]')).opacity === '1';
  }, null, { timeout: 5000 });
  // Keyboard focus in the bar keeps it with the pointer away.
  await page.mouse.move(880, 680);
  await page.evaluate(() => document.getElementById('a').shadowRoot.querySelector('[part~="mode"]').focus());
  await pageFrames(page, 30);
  l = await look();
  assert.equal(l.bar, '1', 'a focused control keeps the bar');
  assert.deepEqual(errors, []);
});

/** Sets element `id`'s inline style to `css` and waits until its canvas has followed. */
async function restyle(page, id, css) {
  await page.evaluate(({ id, css }) => (document.getElementById(id).style.cssText = css), { id, css });
  await canvasFollows(page, id);
}

/** Waits until element `id`'s canvas is its box times devicePixelRatio. */
const canvasFollows = (page, id) =>
  page.waitForFunction((id) => {
    const c = document.getElementById(id).shadowRoot.querySelector('canvas');
    const r = c.getBoundingClientRect();
    return r.width > 0 && c.width === Math.round(r.width * devicePixelRatio) && c.height === Math.round(r.height * devicePixelRatio);
  }, id, { timeout: 10_000 });

test('a box taller than wide puts the meters below the picture and the bar above it; a wider one keeps them beside', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'demo', controls: '', meters: '' });
  await page.evaluate(() => document.getElementById('a').start());
  // An embedder's tall narrow column, with every control of the bar (it wraps).
  await restyle(page, 'a', 'width: 300px; height: 600px');
  const tall = await measureScope(page, '#a');
  assertScopeLayout(tall, 'below', { minFont: 11, what: '300x600' });
  assert.ok(Math.abs(tall.canvas.width - 300) <= 1, `the picture as wide as the element: ${tall.canvas.width}`);
  assert.ok(tall.bar.height > 40, `the bar wraps, above the picture: ${tall.bar.height}`);
  await restyle(page, 'a', 'width: 600px; height: 300px');
  assertScopeLayout(await measureScope(page, '#a'), 'beside', { square: false, what: '600x300' });
  // Its own shape in a landscape window: 5:4, the strip beside.
  await restyle(page, 'a', 'width: 500px');
  const own = await measureScope(page, '#a');
  assert.ok(Math.abs(own.host.width / own.host.height - 5 / 4) < 0.01, `5:4: ${JSON.stringify(own.host)}`);
  assertScopeLayout(own, 'beside', { what: '500 px wide' });
  assert.ok(own.bar.right <= own.strip.left, 'the bar keeps off the strip');
  assert.deepEqual(errors, []);
});

test('in a portrait window the element is taller than wide by default, with the meters below the picture', async () => {
  const { page, errors } = await elementPage();
  await page.setViewportSize({ width: 360, height: 640 });
  await addScope(page, 'a', { source: 'demo', meters: '' });
  await restyle(page, 'a', 'width: auto');
  const m = await measureScope(page, '#a');
  assert.ok(m.host.height > m.host.width * 1.2, `taller than wide: ${JSON.stringify(m.host)}`);
  assertScopeLayout(m, 'below', { minFont: 11, what: 'portrait, default shape' });
  // With the control bar (every control: it wraps), taller still; nothing over the picture.
  await page.evaluate(() => (document.getElementById('a').controls = true));
  await canvasFollows(page, 'a');
  const bar = await measureScope(page, '#a');
  assert.ok(bar.host.height > m.host.height, `taller with the bar: ${bar.host.height} > ${m.host.height}`);
  assertScopeLayout(bar, 'below', { minFont: 11, square: false, what: 'portrait, default shape, with the bar' });
  // Without meters, the bar still goes above the picture.
  await page.evaluate(() => (document.getElementById('a').showMeters = false));
  await canvasFollows(page, 'a');
  const plain = await measureScope(page, '#a');
  assert.equal(plain.strip, null);
  assert.ok(plain.bar.bottom <= plain.canvas.top + 0.5, `the bar above the picture: ${JSON.stringify(plain.bar)} ${JSON.stringify(plain.canvas)}`);
  assert.deepEqual(errors, []);
});

test('full screen shows the picture and the meters in a portrait and a landscape screen, the labels on the drawn square', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'demo', controls: '', meters: '' });
  for (const [width, height, layout] of [[390, 844, 'below'], [1280, 800, 'beside']]) {
    await page.setViewportSize({ width, height });
    await page.locator('#a [part~="fullscreen-button"]').click();
    await page.waitForFunction(() => document.fullscreenElement?.id === 'a');
    await canvasFollows(page, 'a');
    const m = await measureScope(page, '#a');
    const screen = { left: 0, top: 0, right: width, bottom: height, width, height };
    assert.deepEqual([m.host.width, m.host.height], [width, height], 'the element fills the screen');
    // (Beside, the picture's box is the screen less the strip; the scope is drawn in its square.)
    assertScopeLayout(m, layout, { minFont: layout === 'below' ? 11 : 10, square: layout === 'below', what: `full screen ${width}x${height}` });
    assertInside(m.strip, screen, 'the strip on the screen');
    // The scope is drawn in the stage's largest centred square; the graticule's labels with it.
    const labels = await page.evaluate(() => {
      const root = document.getElementById('a').shadowRoot;
      const r = (n) => n.getBoundingClientRect();
      const stage = r(root.querySelector('.stage'));
      const box = r(root.querySelector('.scope-labels'));
      return { stage: [stage.left + stage.width / 2, stage.top + stage.height / 2, Math.min(stage.width, stage.height)], box: [box.left + box.width / 2, box.top + box.height / 2, box.width, box.height] };
    });
    const [cx, cy, side] = labels.stage;
    const [bx, by, bw, bh] = labels.box;
    assert.ok(Math.abs(bx - cx) < 1 && Math.abs(by - cy) < 1 && Math.abs(bw - side) < 1 && Math.abs(bh - side) < 1, `the labels' box is the centred square: ${JSON.stringify(labels)}`);
    await page.evaluate(() => document.exitFullscreen());
    await page.waitForFunction(() => !document.fullscreenElement);
  }
  assert.deepEqual(errors, []);
});

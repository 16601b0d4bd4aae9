// Shared by the layout tests: where the parts of a <vector-scope> are on the page (its picture,
// its meter strip, its control bar and each control in it), what of the strip's text is cut off
// or small, and assertions on those boxes.
import assert from 'node:assert/strict';

/**
 * The boxes of the element `selector` in `page` (CSS px, the viewport's coordinates), each
 * `{ left, top, right, bottom, width, height }`: `host`, `canvas`, `strip` (null when hidden),
 * `bar` (null when hidden), `controls` (the bar's visible controls, with `name`), and `viewport`
 * (`innerWidth`, `innerHeight`). `clipped` lists the strip's texts whose box is narrower than
 * their text or that stick out of the strip; `smallest` is the strip's smallest font size in px.
 */
export function measureScope(page, selector) {
  return page.evaluate((selector) => {
    const el = document.querySelector(selector);
    const root = el.shadowRoot;
    const box = (n) => {
      const r = n.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    const shown = (n) => n && n.getClientRects().length > 0 && n.getBoundingClientRect().width > 0;
    const strip = root.querySelector('[part~="meters"]');
    const bar = root.querySelector('[part~="controls"]');
    const controls = shown(bar)
      ? [...bar.querySelectorAll('button, select, input, .time')].filter(shown).map((n) => ({ name: n.getAttribute('part') ?? n.className, ...box(n) }))
      : [];
    const texts = shown(strip) ? [...strip.querySelectorAll('.m-name, output, .m-clip, dt, dd, .m-reset')].filter(shown) : [];
    const s = shown(strip) ? box(strip) : null;
    const clipped = texts
      .filter((n) => {
        const r = n.getBoundingClientRect();
        return n.scrollWidth > n.clientWidth + 0.5 || r.left < s.left - 0.5 || r.right > s.right + 0.5 || r.top < s.top - 0.5 || r.bottom > s.bottom + 0.5;
      })
      .map((n) => `${n.className || n.localName} "${n.textContent}"`);
    return {
      host: box(el),
      canvas: box(root.querySelector('canvas')),
      strip: s,
      bar: shown(bar) ? box(bar) : null,
      controls,
      clipped,
      smallest: Math.min(...texts.map((n) => parseFloat(getComputedStyle(n).fontSize))),
      viewport: { width: innerWidth, height: innerHeight },
    };
  }, selector);
}

/** Whether boxes `a` and `b` overlap by more than half a pixel. */
export const overlaps = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

/** Box `inner` lies within `outer` (to half a pixel). */
export function assertInside(inner, outer, what) {
  assert.ok(
    inner.left >= outer.left - 0.5 && inner.top >= outer.top - 0.5 && inner.right <= outer.right + 0.5 && inner.bottom <= outer.bottom + 0.5,
    `${what}: ${JSON.stringify(inner)} within ${JSON.stringify(outer)}`,
  );
}

/**
 * The element's layout `m` (from measureScope) is `layout`: 'below' (the strip under the picture,
 * the bar above it, none of the bar's controls over the picture) or 'beside' (the strip to the
 * picture's right). Either way the strip's text is whole and at least `minFont` px, the strip,
 * the picture and the bar's controls lie within the element, and (with `square`) the picture is
 * square to 2 px.
 */
export function assertScopeLayout(m, layout, { minFont = 10, square = true, what = '' } = {}) {
  const c = m.canvas;
  assert.ok(m.strip, `${what}: the strip is shown`);
  if (layout === 'below') {
    assert.ok(m.strip.top >= c.bottom - 0.5, `${what}: the strip (top ${m.strip.top}) is below the picture (bottom ${c.bottom})`);
    assert.ok(Math.abs(m.strip.left - c.left) <= 1 && Math.abs(m.strip.width - c.width) <= 1, `${what}: the strip is as wide as the picture: ${JSON.stringify(m.strip)} ${JSON.stringify(c)}`);
    if (m.bar) {
      assert.ok(m.bar.bottom <= c.top + 0.5, `${what}: the bar (bottom ${m.bar.bottom}) is above the picture (top ${c.top})`);
      const over = m.controls.filter((k) => overlaps(k, c));
      assert.deepEqual(over, [], `${what}: no control of the bar over the picture`);
    }
  } else {
    assert.ok(m.strip.left >= c.right - 0.5, `${what}: the strip (left ${m.strip.left}) is right of the picture (right ${c.right})`);
    assert.ok(Math.abs(m.strip.top - c.top) <= 1 && Math.abs(m.strip.height - c.height) <= 1, `${what}: the strip is as high as the picture`);
  }
  if (square) assert.ok(Math.abs(c.width - c.height) <= 2, `${what}: the picture is square: ${c.width}x${c.height}`);
  assertInside(c, m.host, `${what}: the picture within the element`);
  assertInside(m.strip, m.host, `${what}: the strip within the element`);
  for (const k of m.controls) assertInside(k, m.host, `${what}: ${k.name} within the element`);
  assert.deepEqual(m.clipped, [], `${what}: no text of the strip cut off`);
  assert.ok(m.smallest >= minFont, `${what}: the strip's text is at least ${minFont} px: ${m.smallest}`);
}

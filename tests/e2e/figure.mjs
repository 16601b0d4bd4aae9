// Reading the drawn figure back from pixels: a screenshot of the scope's canvas, its beam-lit
// pixels (green well above red: the graticule is grey) in scope units (the graticule's circle
// has radius 1, drawn at 94% of half the canvas's shorter side).

/** How far the figure in `canvas` (a locator) reaches: { lit, x, y } where x and y are the 98th
 * percentiles of the lit pixels' |x| and |y| in scope units. */
export async function figureReach(page, canvas) {
  const png = (await canvas.screenshot()).toString('base64');
  return page.evaluate(async (b64) => {
    const bmp = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const g = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d');
    g.drawImage(bmp, 0, 0);
    const { data, width, height } = g.getImageData(0, 0, bmp.width, bmp.height);
    const k = 0.5 * Math.min(width, height) * 0.94;
    const xs = [];
    const ys = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        if (data[i + 1] > 70 && data[i + 1] > data[i] + 45) {
          xs.push(Math.abs(x + 0.5 - width / 2) / k);
          ys.push(Math.abs(height / 2 - y - 0.5) / k);
        }
      }
    }
    const p98 = (v) => v.sort((a, b) => a - b)[Math.floor(0.98 * (v.length - 1))];
    return { lit: xs.length, x: p98(xs), y: p98(ys) };
  }, png);
}

/** Asserts that `reach` is the fake microphone's figure (tests/fixtures/wav.mjs's stereo
 * tones: L = 0.5 sin(440 t) on x, R = 0.25 sin(660 t) on y, so the lit pixels reach 0.5 across
 * and 0.25 up). Returns an error message, or null when it is. */
export function notTheTones(reach) {
  if (!(reach.lit > 500)) return `too few lit pixels: ${JSON.stringify(reach)}`;
  if (Math.abs(reach.x - 0.5) < 0.06 && Math.abs(reach.y - 0.25) < 0.06) return null;
  return `the figure reaches ${JSON.stringify(reach)}, not (0.5, 0.25)`;
}

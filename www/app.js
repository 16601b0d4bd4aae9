// The app page: checks what the browser offers, loads the wasm module and says plainly what is
// missing. Every problem has a stable code (also used by tests and, later, <vector-scope>).

const $ = (id) => document.getElementById(id);

/** Plain-language text for each problem code. */
const PROBLEM_TEXT = {
  'not-isolated':
    'SharedArrayBuffer is not available. vectorscope shares one WebAssembly memory between the ' +
    'audio thread and the page, which browsers allow only on a cross-origin isolated page: the ' +
    'server must send Cross-Origin-Opener-Policy: same-origin and ' +
    'Cross-Origin-Embedder-Policy: require-corp (cargo xtask serve does).',
  'no-audioworklet':
    'This browser has no AudioWorklet, which vectorscope needs to read audio on the audio ' +
    'thread. Use a current Chrome, Edge, Firefox or Safari.',
  'no-gpu':
    'Neither WebGPU nor WebGL2 is available, so nothing can be drawn. Enable hardware ' +
    'acceleration in the browser settings, or try another browser.',
  'wasm-failed': 'The WebAssembly module failed to load.',
};

function setEnv(id, text, ok) {
  const dd = $(id);
  dd.textContent = text;
  dd.className = ok ? 'ok' : 'bad';
}

/** Resolves to 'webgpu', 'webgl2' or null. An adapter must really be obtained: `navigator.gpu`
 * alone proves nothing (Chrome on Linux exposes it without one). */
async function detectGraphics() {
  if (navigator.gpu) {
    try {
      const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 3000));
      const adapter = await Promise.race([navigator.gpu.requestAdapter(), timeout]);
      if (adapter) return 'webgpu';
    } catch {
      // fall through to WebGL2
    }
  }
  try {
    if (document.createElement('canvas').getContext('webgl2')) return 'webgl2';
  } catch {
    // no WebGL2 either
  }
  return null;
}

function showProblems(problems) {
  const box = $('problems');
  box.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = problems.length === 1 ? 'vectorscope cannot run here' : `vectorscope cannot run here (${problems.length} problems)`;
  const ul = document.createElement('ul');
  for (const { code, detail } of problems) {
    const li = document.createElement('li');
    li.dataset.code = code;
    li.textContent = PROBLEM_TEXT[code] + (detail ? ` (${detail})` : '');
    ul.append(li);
  }
  box.append(h, ul);
  box.hidden = false;
  document.body.dataset.problems = problems.map((p) => p.code).join(' ');
}

async function main() {
  const problems = [];
  const isolated = globalThis.crossOriginIsolated === true;
  const sab = typeof SharedArrayBuffer === 'function';
  setEnv('env-isolated', isolated ? 'yes' : 'no', isolated);
  setEnv('env-sab', sab ? 'yes' : 'no', sab);
  if (!isolated || !sab) problems.push({ code: 'not-isolated' });

  const worklet = typeof AudioWorkletNode === 'function';
  setEnv('env-worklet', worklet ? 'yes' : 'no', worklet);
  if (!worklet) problems.push({ code: 'no-audioworklet' });

  const graphics = await detectGraphics();
  setEnv('env-gpu', graphics ?? 'none', graphics !== null);
  document.body.dataset.graphics = graphics ?? 'none';
  if (!graphics) problems.push({ code: 'no-gpu' });

  if (sab) {
    try {
      const wasm = await import('./pkg/vectorscope.js');
      await wasm.default();
      const shared = wasm.wasmMemory().buffer instanceof SharedArrayBuffer;
      setEnv('env-memory', shared ? 'shared' : 'not shared', shared);
      document.body.dataset.memory = shared ? 'shared' : 'private';
      $('build').textContent = `v${wasm.version()}`;
    } catch (e) {
      setEnv('env-memory', 'failed', false);
      problems.push({ code: 'wasm-failed', detail: String(e?.message ?? e) });
    }
  } else {
    setEnv('env-memory', 'not loaded', false);
  }

  if (problems.length) {
    showProblems(problems);
    document.body.dataset.state = 'unsupported';
  } else {
    document.body.dataset.state = 'ready';
  }
}

main().catch((e) => {
  showProblems([{ code: 'wasm-failed', detail: String(e?.message ?? e) }]);
  document.body.dataset.state = 'unsupported';
});

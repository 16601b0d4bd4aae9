// The element's reference (docs/element.md) and its TypeScript declarations
// (www/element/vector-scope.d.ts) against the tables they describe: every setting of www/element/settings.js and
// every code of www/element/errors.js is documented, with the table's default, and nothing documented is
// missing from the tables. No browser: the tables are plain modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SETTINGS } from '../../www/element/settings.js';
import { ERROR_TEXT } from '../../www/element/errors.js';

const root = new URL('../../', import.meta.url);
const reference = readFileSync(new URL('docs/element.md', root), 'utf8');
const declarations = readFileSync(new URL('www/element/vector-scope.d.ts', root), 'utf8');
/** The element class's body in the declarations. */
const elementClass = declarations.slice(declarations.indexOf('export declare class VectorScopeElement'));

/** The rows of the markdown table under heading `title`: the first cell's code spans' text,
 * and the row's cells. */
function tableRows(title) {
  const section = reference.split(/^## /m).find((s) => s.startsWith(`${title}\n`));
  assert.ok(section, `docs/element.md has a "## ${title}" section`);
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      return { name: cells[0].match(/^`([^`]+)`/)[1], cells };
    });
}

test('the attribute table lists every setting, with its kind and default, and no other', () => {
  const rows = tableRows('Attributes');
  assert.deepEqual(rows.map((r) => r.name).sort(), Object.keys(SETTINGS).sort());
  for (const { name, cells } of rows) {
    const spec = SETTINGS[name];
    assert.equal(cells[1], spec.kind, `${name}'s kind`);
    if (spec.kind === 'boolean') continue;
    assert.equal(cells[3], `\`${spec.default === '' ? '""' : spec.default}\``, `${name}'s default`);
    if (spec.kind === 'number') {
      assert.ok(cells[2].includes(`${spec.min} to ${spec.max}`) || cells[2].includes(`${spec.min} (`), `${name}'s range ${spec.min} to ${spec.max}: ${cells[2]}`);
    }
    if (spec.kind === 'enum') for (const v of spec.values) assert.ok(cells[2].includes(`\`${v}\``), `${name} value ${v}`);
  }
});

test('the error table lists every code of errors.js, and no other', () => {
  const rows = tableRows('Error codes');
  assert.deepEqual(rows.map((r) => r.name).sort(), Object.keys(ERROR_TEXT).sort());
});

test('the declarations have every setting as a property and every error code', () => {
  for (const [name, spec] of Object.entries(SETTINGS)) {
    const property = spec.property ?? name;
    assert.match(elementClass, new RegExp(`^  ${property}: `, 'm'), `vector-scope.d.ts declares ${property}`);
    if (spec.kind === 'number') {
      assert.ok(elementClass.includes(`${spec.min} to ${spec.max}`) || elementClass.includes(`${spec.min} (`), `d.ts states ${name}'s range`);
    }
    if (spec.kind === 'enum') {
      const line = elementClass.split('\n').find((l) => l.startsWith(`  ${name}: `));
      assert.equal(line, `  ${name}: ${spec.values.map((v) => `'${v}'`).join(' | ')};`);
    }
  }
  const union = declarations.match(/export type VectorScopeErrorCode =([^;]+);/)[1];
  const codes = [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]);
  const errors = Object.keys(ERROR_TEXT).filter((c) => c !== 'not-isolated' && c !== 'no-shared-memory');
  assert.deepEqual(codes.sort(), errors.sort(), 'VectorScopeErrorCode is the error codes (the transport notices are not)');
});

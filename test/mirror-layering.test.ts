// The mirror and delete libraries reach content only through injected store resolvers: they import nothing from
// cli/, registry/ or transport/, so unit tests can run them over memory stores (issue 8 §3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(new URL('.', import.meta.url).pathname, '..', '..', 'src');

test('mirror-layering/src/mirror and src/delete import no registry session, transport or cli', () => {
  const offenders: string[] = [];
  let files = 0;
  for (const mod of ['mirror', 'delete']) {
    for (const name of readdirSync(join(root, mod))) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      files++;
      const text = readFileSync(join(root, mod, name), 'utf8');
      for (const m of text.matchAll(/from\s+['"](\.\.\/(?:cli|registry|transport)\/[^'"]+)['"]/g)) offenders.push(`${mod}/${name} imports ${m[1]}`);
      if (/createRegistrySession|RegistrySession\b/.test(text)) offenders.push(`${mod}/${name} names a registry session`);
    }
  }
  assert.ok(files >= 15, `read ${files} files`);
  assert.deepEqual(offenders, []);
});

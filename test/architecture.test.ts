// The house's dependency direction, as a test: pure modules (oci/, and later plan/, generate/, catalog/,
// config/) import no I/O; only cli/ may touch the process; nothing inward imports cli/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(new URL('.', import.meta.url).pathname, '..', '..', 'src');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

const PURE = ['oci', 'plan', 'generate', 'catalog', 'config'];
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|tls|http|https|http2|child_process|dgram|dns|process)$|^undici/;

test('architecture/pure modules import no I/O', () => {
  const offenders: string[] = [];
  for (const file of sources(root)) {
    const rel = relative(root, file);
    if (!PURE.includes(rel.split('/')[0]!)) continue;
    for (const spec of imports(file)) if (IO_MODULES.test(spec)) offenders.push(`${rel} imports ${spec}`);
    if (/\bprocess\.(env|argv|exit|stdout|stderr|cwd)/.test(readFileSync(file, 'utf8'))) offenders.push(`${rel} uses process`);
  }
  assert.deepEqual(offenders, []);
});

test('architecture/only cli owns the process and nothing imports cli', () => {
  const offenders: string[] = [];
  for (const file of sources(root)) {
    const rel = relative(root, file);
    const top = rel.split('/')[0]!;
    if (top === 'cli' || top === 'testing') continue;
    for (const spec of imports(file)) if (/(^|\/)cli\//.test(spec)) offenders.push(`${rel} imports ${spec}`);
    if (/\bprocess\.(exit|argv|stdout|stderr)\b/.test(readFileSync(file, 'utf8'))) offenders.push(`${rel} uses the process`);
  }
  assert.deepEqual(offenders, []);
});

test('architecture/the check sees the source tree', () => {
  assert.ok(sources(root).length > 10);
});

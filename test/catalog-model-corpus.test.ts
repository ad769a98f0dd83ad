// One head rule, checked as a property on the 7,014-bundle catalog: for every channel, the query index (catalog
// list/show), selection (mirror), the upgrade graphs (the model's, and the Mermaid one `catalog graph` draws)
// and validate name the same head, on the catalog as published and on a variant where every head forgets its
// edges (which gives channels opm would refuse: several heads).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeclarativeConfig } from '../src/catalog/fbc/types.js';
import { loadCatalog } from '../src/catalog/fbc/load.js';
import { renderMermaidGraph } from '../src/catalog/graph/index.js';
import { buildCatalogModel } from '../src/catalog/model/catalog-model.js';
import { validateCatalog } from '../src/catalog/model/validate.js';
import { buildQueryIndex } from '../src/catalog/query/catalog-index.js';
import { tryParseVersion, compareVersions } from '../src/catalog/semver/index.js';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { selectOperators } from '../src/plan/index.js';
import { largeCatalog } from './corpus.js';

let published: DeclarativeConfig;
before(async () => {
  published = (await loadCatalog(await createDirectoryTree(await largeCatalog()))).config;
});

/**
 * The documented rule written out plainly, independent of src/: candidates are entries no entry of the channel
 * replaces or skips; of several, the highest parseable version, then the smallest name in byte order.
 */
function expectedHeads(config: DeclarativeConfig): Map<string, { head: string | null; candidates: string[] }> {
  const version = new Map<string, string>();
  for (const b of config.bundles) {
    const v = (b.properties ?? []).find((p) => p.type === 'olm.package')?.value as { version?: string } | undefined;
    if (!version.has(`${b.package}/${b.name}`)) version.set(`${b.package}/${b.name}`, v?.version ?? '');
  }
  const out = new Map<string, { head: string | null; candidates: string[] }>();
  for (const c of config.channels) {
    const key = `${c.package}/${c.name}`;
    if (out.has(key)) continue;
    const names = new Set((c.entries ?? []).map((e) => e.name));
    const pointed = new Set((c.entries ?? []).flatMap((e) => [e.replaces ?? '', ...(e.skips ?? [])]));
    const candidates = [...names].filter((n) => !pointed.has(n));
    const ranked = candidates
      .map((n) => ({ n, v: tryParseVersion(version.get(`${c.package}/${n}`) ?? '') }))
      .sort((a, b) => (a.v && b.v ? compareVersions(b.v, a.v) : a.v ? -1 : b.v ? 1 : 0) || Buffer.compare(Buffer.from(a.n), Buffer.from(b.n)));
    out.set(key, { head: ranked[0]?.n ?? null, candidates });
  }
  return out;
}

/** In every channel the head forgets what it replaces and skips, so those entries become heads beside it. */
function headsWithoutEdges(config: DeclarativeConfig): DeclarativeConfig {
  const heads = expectedHeads(config);
  return {
    ...config,
    channels: config.channels.map((c) => {
      const head = heads.get(`${c.package}/${c.name}`)?.head;
      return { ...c, entries: (c.entries ?? []).map((e) => (e.name === head ? { name: e.name } : e)) };
    }),
  };
}

/**
 * Head candidates as `catalog graph` draws them: in each channel, the bundles that are never the source of a
 * replace or skip edge (skipRange edges do not make a head, as in opm validate).
 */
function mermaidCandidates(config: DeclarativeConfig): Map<string, string[]> {
  const nodes = new Map<string, Set<string>>();
  const replaced = new Map<string, Set<string>>();
  let pkg = '';
  let key = '';
  for (const line of renderMermaidGraph(config).split('\n')) {
    const p = /^  %% package "(.*)"$/.exec(line);
    if (p) pkg = p[1]!;
    const c = /^    %% channel "(.*)"$/.exec(line);
    if (c) {
      key = `${pkg}/${c[1]}`;
      nodes.set(key, new Set());
      replaced.set(key, new Set());
    }
    const n = /^      \S+\["([^"]+)"\](?:-- (replace|skip|"skipRange\(.*\)") --> \S+\["([^"]+)"\])?$/.exec(line);
    if (!n) continue;
    nodes.get(key)!.add(n[1]!);
    if (n[3] !== undefined) nodes.get(key)!.add(n[3]);
    if (n[2] === 'replace' || n[2] === 'skip') replaced.get(key)!.add(n[1]!);
  }
  return new Map([...nodes].map(([k, names]) => [k, [...names].filter((x) => !replaced.get(k)!.has(x)).sort()]));
}

function checkAgreement(config: DeclarativeConfig): { channels: number; severalHeads: number } {
  const expected = expectedHeads(config);
  const model = buildCatalogModel(config);
  const index = buildQueryIndex(config);
  const drawn = mermaidCandidates(config);
  const selected = new Map<string, string[]>();
  for (const e of selectOperators(config, { skipDependencies: true }).explanations) {
    if (!e.reasons.includes('head')) continue;
    const key = `${e.package}/${e.channel}`;
    selected.set(key, [...(selected.get(key) ?? []), e.bundle]);
  }
  const refused = new Map<string, string>();
  for (const i of validateCatalog(config)) if (i.rule === 'multiple-heads' || i.rule === 'no-head') refused.set(`${i.package}/${i.channel}`, i.message);

  let severalHeads = 0;
  for (const [key, want] of expected) {
    const [pkg, channel] = key.split('/') as [string, string];
    const m = model.packages.get(pkg)!.channels.get(channel)!;
    const q = index.packages.find((p) => p.name === pkg)!.channels.find((c) => c.name === channel)!;
    assert.equal(m.head ?? null, want.head, `model ${key}`);
    assert.equal(q.head, want.head, `query ${key}`);
    assert.deepEqual(selected.get(key) ?? [], want.head ? [want.head] : [], `selection ${key}`);
    // The graphs: nothing in the channel upgrades from the head, and the candidates are exactly the roots
    // of the model's graph and of the one `catalog graph` draws.
    if (want.head) assert.equal(m.parents.has(want.head), false, `graph ${key}`);
    assert.deepEqual(m.heads, [...want.candidates].sort(), `candidates ${key}`);
    assert.deepEqual(drawn.get(key), [...want.candidates].sort(), `catalog graph ${key}`);
    // validate refuses exactly the channels the rule had to choose in, naming the same candidates.
    if (want.candidates.length > 1) {
      severalHeads++;
      assert.equal(refused.get(key), `multiple channel heads found in graph: ${m.heads.join(', ')}`, `validate ${key}`);
    } else if (want.candidates.length === 1) assert.equal(refused.get(key), undefined, `validate ${key}`);
  }
  return { channels: expected.size, severalHeads };
}

test('catalog-model/query, selection, graph and validate agree on the head of every channel of the published catalog', () => {
  const r = checkAgreement(published);
  assert.equal(r.channels, 653);
  assert.equal(r.severalHeads, 0, 'the published catalog validates');
});

test('catalog-model/... and on channels with several heads, where opm refuses and gantry picks the highest version', () => {
  const r = checkAgreement(headsWithoutEdges(published));
  assert.equal(r.channels, 653);
  assert.ok(r.severalHeads > 20, `${r.severalHeads} channels with several heads`);
});

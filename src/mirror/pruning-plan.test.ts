// planPruning over plain records and plans: what is dropped, grouped by repository and sorted; a digest that a kept
// image of the same repository still uses is not listed; parsePruningPlan's refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MirroredImage } from '../generate/cluster-resources.js';
import type { Digest } from '../oci/digest.js';
import type { Reference } from '../oci/reference.js';
import { formatPruningPlan, parsePruningPlan, planPruning } from './pruning-plan.js';
import type { MirrorPlan } from './plan-mirror.js';

const TARGET = { registry: 'mirror.example:5000', namespace: 'ns' };
const d = (c: string) => `sha256:${c.repeat(64)}` as Digest;
const at = (repository: string, tag: string): Reference => ({ registry: TARGET.registry, repository, tag });
const rec = (repository: string, tag: string, digest: Digest): MirroredImage => ({ source: { registry: 'src.example', repository, tag }, dest: at(repository, tag), digest, kind: 'generic' });
const planOf = (...dests: Reference[]): MirrorPlan => ({
  target: TARGET,
  images: dests.map((dest) => ({ source: { registry: 'src.example', repository: dest.repository, ...(dest.tag ? { tag: dest.tag } : {}) }, dest, naming: {}, kind: 'generic', reasons: [] })),
  catalogs: [],
  blocked: [],
  issues: [],
});

test('pruning/dropped images by repository, sorted; kept ones and a digest a kept tag shares are left out', () => {
  const recorded = [rec('ns/b', '1', d('1')), rec('ns/b', '2', d('2')), rec('ns/a', 'x', d('3')), rec('ns/a', 'y', d('4')), rec('ns/a', 'same', d('4'))];
  const { plan, dropped } = planPruning(recorded, planOf(at('ns/b', '2'), at('ns/a', 'same')), TARGET);
  assert.deepEqual(plan, { registry: TARGET.registry, repositories: [{ name: 'ns/a', manifests: [d('3')] }, { name: 'ns/b', manifests: [d('1')] }] });
  assert.equal(dropped.length, 3, 'ns/a:y is dropped too, but its manifest stays for ns/a:same');
});

test('pruning/nothing recorded or nothing dropped: an empty plan', () => {
  assert.deepEqual(planPruning([], planOf(at('ns/a', '1')), TARGET).plan.repositories, []);
  assert.deepEqual(planPruning([rec('ns/a', '1', d('1'))], planOf(at('ns/a', '1')), TARGET).plan.repositories, []);
});

test('pruning/parse round-trips the written form and refuses what is not a plan', () => {
  const plan = { registry: 'r.example', repositories: [{ name: 'a/b', manifests: [d('5')] }] };
  assert.deepEqual(parsePruningPlan(formatPruningPlan(plan), 'p.json'), plan);
  for (const [name, text] of [
    ['not json', '{'],
    ['no registry', '{"repositories": []}'],
    ['no list', '{"registry": "r", "repositories": {}}'],
    ['tag, not digest', '{"registry": "r", "repositories": [{"name": "a", "manifests": ["latest"]}]}'],
  ] as const) {
    assert.throws(() => parsePruningPlan(text, 'p.json'), (e: { code?: string }) => e.code === 'CONFIG_INVALID', name);
  }
});

// ClusterRole aggregation and label selectors, case by case as Kubernetes documents them (Aggregated ClusterRoles;
// Labels and Selectors: set-based requirements).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, LabelSelector, PolicyRule } from '../config/rbac-objects.js';
import { aggregateClusterRoles } from './aggregate-cluster-roles.js';
import { selectorMatches } from '../config/label-selector.js';

const labels = { 'rbac.example.com/aggregate-to-monitoring': 'true', tier: 'web' };
const selectorCases: Array<[string, LabelSelector, Record<string, string>, boolean]> = [
  ['empty selector selects everything', {}, {}, true],
  ['matchLabels equal', { matchLabels: { tier: 'web' } }, labels, true],
  ['matchLabels other value', { matchLabels: { tier: 'db' } }, labels, false],
  ['matchLabels missing key', { matchLabels: { zone: 'a' } }, labels, false],
  ['matchLabels are ANDed', { matchLabels: { tier: 'web', zone: 'a' } }, labels, false],
  ['In: value in the set', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'web'] }] }, labels, true],
  ['In: value outside the set', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, labels, false],
  ['In: key absent', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, labels, false],
  ['NotIn: value outside the set', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, labels, true],
  ['NotIn: value in the set', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels, false],
  ['NotIn: key absent is selected', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels, true],
  ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels, true],
  ['Exists: key absent', { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels, false],
  ['DoesNotExist', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels, true],
  ['DoesNotExist: key present', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels, false],
  ['matchLabels and matchExpressions are ANDed', { matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels, false],
  ['keys are not prototype properties', { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {}, false],
];
for (const [name, selector, l, want] of selectorCases) {
  test(`rbac/label-selector/${name}`, () => assert.equal(selectorMatches(selector, l), want));
}

const rule = (resource: string, verbs = ['get']): PolicyRule => ({ apiGroups: [''], resources: [resource], verbs });
const role = (name: string, l: Record<string, string>, rules: PolicyRule[], selectors?: LabelSelector[]): ClusterRole => ({
  kind: 'ClusterRole',
  name,
  labels: l,
  rules,
  ...(selectors ? { aggregationRule: { clusterRoleSelectors: selectors } } : {}),
});
const MON = { 'rbac.example.com/aggregate-to-monitoring': 'true' };

test('rbac/aggregate/the aggregated role gets the rules of every role its selector matches, in name order', () => {
  const out = aggregateClusterRoles([
    role('monitoring', {}, [], [{ matchLabels: MON }]),
    role('z-endpoints', MON, [rule('endpoints')]),
    role('a-services', MON, [rule('services')]),
    role('unlabelled', {}, [rule('secrets')]),
  ]);
  assert.deepEqual(out[0]!.rules, [rule('services'), rule('endpoints')]);
  assert.deepEqual(out.slice(1).map((r) => r.name), ['z-endpoints', 'a-services', 'unlabelled'], 'input order kept');
});

test('rbac/aggregate/the controller replaces the aggregated role\'s own rules', () => {
  const out = aggregateClusterRoles([role('agg', {}, [rule('secrets')], [{ matchLabels: MON }]), role('a', MON, [rule('pods')])]);
  assert.deepEqual(out[0]!.rules, [rule('pods')]);
});

test('rbac/aggregate/equal rules from two roles appear once; several selectors are ORed', () => {
  const out = aggregateClusterRoles([
    role('agg', {}, [], [{ matchLabels: { a: '1' } }, { matchLabels: { b: '1' } }]),
    role('x', { a: '1' }, [rule('pods')]),
    role('y', { b: '1' }, [rule('pods'), rule('services')]),
  ]);
  assert.deepEqual(out[0]!.rules, [rule('pods'), rule('services')]);
});

test('rbac/aggregate/rules are equal only field by field, order included', () => {
  const out = aggregateClusterRoles([
    role('agg', {}, [], [{ matchLabels: { a: '1' } }]),
    role('x', { a: '1' }, [rule('pods', ['get', 'list'])]),
    role('y', { a: '1' }, [rule('pods', ['list', 'get'])]),
  ]);
  assert.equal(out[0]!.rules.length, 2);
});

test('rbac/aggregate/an aggregated role that is itself selected passes on its aggregated rules (fixpoint)', () => {
  // admin aggregates edit, edit aggregates view: the built-in roles are built this way.
  const out = aggregateClusterRoles([
    role('admin', {}, [], [{ matchLabels: { 'to-admin': 'true' } }]),
    role('edit', { 'to-admin': 'true' }, [], [{ matchLabels: { 'to-edit': 'true' } }]),
    role('view', { 'to-edit': 'true' }, [rule('pods')]),
  ]);
  assert.deepEqual(out.map((r) => r.rules), [[rule('pods')], [rule('pods')], [rule('pods')]]);
});

test('rbac/aggregate/a role never aggregates itself, and a cycle settles', () => {
  const out = aggregateClusterRoles([role('a', { x: '1' }, [rule('pods')], [{ matchLabels: { x: '1' } }]), role('b', { x: '1' }, [rule('services')], [{ matchLabels: { x: '1' } }])]);
  assert.deepEqual(out[0]!.rules, [rule('services')]);
  assert.deepEqual(out[1]!.rules, [rule('services')]);
});

test('rbac/aggregate/a role without aggregationRule is unchanged, an aggregation that matches nothing is empty', () => {
  const plain = role('plain', {}, [rule('pods')]);
  const out = aggregateClusterRoles([plain, role('none', {}, [rule('secrets')], [{ matchLabels: { nobody: 'x' } }])]);
  assert.equal(out[0], plain);
  assert.deepEqual(out[1]!.rules, []);
});

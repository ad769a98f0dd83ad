// The working state of one selection: which bundles each channel keeps and why, and the issues so far.
// Every step (channel filters, dependencies) adds through keepBundles, which keeps each channel a valid graph.
import { byteOrder } from '../catalog/fbc/file-tree.js';
import { connectSelection } from './channel-graph.js';
import type { CatalogModel, ModelPackage } from '../catalog/model/catalog-model.js';
import type { SelectionIssue, SelectionReason } from './operator-filter.js';

export interface SelectionState {
  model: CatalogModel;
  /** package → channel → kept bundle names. */
  kept: Map<string, Map<string, Set<string>>>;
  /** `${package}\0${channel}\0${bundle}` → reasons. */
  reasons: Map<string, Set<SelectionReason>>;
  issues: SelectionIssue[];
}

export function createSelectionState(model: CatalogModel): SelectionState {
  return { model, kept: new Map(), reasons: new Map(), issues: [] };
}

export function addReason(state: SelectionState, pkg: string, channel: string, bundle: string, reason: SelectionReason): void {
  const key = `${pkg}\0${channel}\0${bundle}`;
  const set = state.reasons.get(key) ?? new Set();
  set.add(reason);
  state.reasons.set(key, set);
}

export function isKept(state: SelectionState, pkg: string, bundle: string): boolean {
  for (const names of state.kept.get(pkg)?.values() ?? []) if (names.has(bundle)) return true;
  return false;
}

/**
 * Adds bundles (each with its reason) to a channel, then the bundles needed to keep the channel a valid
 * single-head graph (reason 'needed-for-upgrade-graph'). Returns the names that were not kept before.
 */
export function keepBundles(state: SelectionState, p: ModelPackage, channel: string, selected: Map<string, SelectionReason>): string[] {
  const graph = p.channels.get(channel);
  if (!graph || selected.size === 0) return [];
  const pkg = p.pkg.name;
  const channels = state.kept.get(pkg) ?? new Map<string, Set<string>>();
  state.kept.set(pkg, channels);
  const before = channels.get(channel) ?? new Set<string>();
  const conn = connectSelection(graph, [...before, ...selected.keys()]);
  for (const [name, reason] of selected) addReason(state, pkg, channel, name, reason);
  for (const name of conn.added) if (!selected.has(name)) addReason(state, pkg, channel, name, 'needed-for-upgrade-graph');
  if (conn.problem) {
    state.issues.push({
      code: 'channel-graph-invalid',
      severity: 'error',
      message: `package ${JSON.stringify(pkg)}, channel ${JSON.stringify(channel)}: the selected bundles cannot be connected into a valid upgrade graph: ${conn.problem.message}`,
      hint: 'the source channel itself is not a valid graph (check it with `gantry catalog validate`)',
      package: pkg,
      channel,
      rule: conn.problem.rule,
    });
  }
  channels.set(channel, conn.kept);
  return [...conn.kept].filter((n) => !before.has(n)).sort(byteOrder);
}

// What the operator selection takes and gives: the filter (fed from an ImageSetConfiguration's operators[] entry),
// and the result — the filtered catalog, why each bundle is in it, and every problem found (reference §3.1, §3.2).
import type { DeclarativeConfig } from '../catalog/fbc/types.js';

export interface ChannelFilter {
  name: string;
  minVersion?: string;
  maxVersion?: string;
  /** A bundle name (oc-mirror v1): it and everything that upgrades from it up to the head. */
  minBundle?: string;
}

export interface PackageFilter {
  name: string;
  /** The filtered package's default channel; must be one of the kept channels. */
  defaultChannel?: string;
  /** A range applied to every (listed) channel of the package; a channel's own range takes precedence. */
  minVersion?: string;
  maxVersion?: string;
  /** A bundle name (oc-mirror v1): in every channel holding it, it and everything upgrading from it to the head. */
  minBundle?: string;
  /** Only these channels; all channels of the package when absent. */
  channels?: ChannelFilter[];
  /** Bundles selected by name (oc-mirror v2 4.17's SelectedBundles), in every considered channel holding them. */
  bundles?: string[];
}

export interface OperatorFilter {
  /** Every bundle instead of the channel heads (ranges, where given, win: reference §2.4 rejects both). */
  full?: boolean;
  /** Do not add the bundles that satisfy olm.package.required / olm.gvk.required (reference §3.2). */
  skipDependencies?: boolean;
  /** No packages: every package of the catalog. */
  packages?: PackageFilter[];
}

/** Why a bundle is in a channel of the filtered catalog. */
export type SelectionReason = 'head' | 'from-min-bundle' | 'in-range' | 'full' | 'needed-for-upgrade-graph' | 'listed' | `dependency-of:${string}`;

export interface BundleExplanation {
  package: string;
  channel?: string;
  bundle: string;
  reasons: SelectionReason[];
}

export interface SelectionIssue {
  /** Stable identifier, e.g. "default-channel-filtered-out", "dependency-unresolved". */
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  hint?: string;
  package?: string;
  channel?: string;
  bundle?: string;
  /** For code "filtered-catalog-invalid": the validateCatalog rule that failed. */
  rule?: string;
}

export interface SelectionResult {
  catalog: DeclarativeConfig;
  /** One per kept (package, channel, bundle), in byte order. */
  explanations: BundleExplanation[];
  issues: SelectionIssue[];
}

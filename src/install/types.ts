// The shapes of an offline OLM v1 resolution: what goes in (catalogs with names and priorities, the
// ClusterExtension's catalog source fields) and what comes out (the choice, conditions, every rejected candidate).
import type { CatalogModel } from '../catalog/model/catalog-model.js';
import type { LabelSelector } from '../config/rbac-objects.js';

export type UpgradeConstraintPolicy = 'CatalogProvided' | 'SelfCertified';

export interface NamedCatalog {
  /** The ClusterCatalog name. */
  name: string;
  /** spec.priority: higher wins a tie between catalogs. */
  priority: number;
  /** ClusterCatalog metadata.labels; the name label (catalog-selection.ts) is implied. */
  labels?: Readonly<Record<string, string>>;
  model: CatalogModel;
}

export interface ResolveOptions {
  catalogs: readonly NamedCatalog[];
  package: string;
  /** Empty: every channel (the default channel is not used, as in OLM v1). */
  channels: readonly string[];
  /** A Masterminds range; empty or undefined: any version. */
  versionRange?: string;
  /** The installed bundle, by bundle name or by version. */
  installed?: string;
  upgradeConstraintPolicy: UpgradeConstraintPolicy;
  /** spec.source.catalog.selector: only the catalogs it matches are considered; absent: all of them. */
  selector?: LabelSelector;
}

export type RejectReason = 'outside-range' | 'not-successor' | 'deprecated' | 'lower-version' | 'other-catalog' | 'channel';

export interface RejectedBundle {
  catalog: string;
  bundle: string;
  version: string;
  reason: RejectReason;
  detail: string;
}

export interface ChosenBundle {
  name: string;
  version: string;
  image: string;
  catalog: string;
}

export interface Condition {
  type: 'Deprecated' | 'PackageDeprecated' | 'ChannelDeprecated' | 'BundleDeprecated';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export interface Resolution {
  bundle: ChosenBundle | null;
  /** operator-controller's resolution error, when nothing resolves. */
  error?: string;
  conditions: Condition[];
  rejected: RejectedBundle[];
}

// The shapes of an offline OLM v0 resolution: a Subscription's fields and the installed CSV in, and out the
// bundle OLM installs (or upgrades to), each upgrade step as OLM v0 takes it, and the dependencies pulled in.
import type { NamedCatalog } from './types.js';

export interface SubscriptionOptions {
  /** Every catalog given; spec.source picks one by name, and dependencies may come from any (priority order). */
  catalogs: readonly NamedCatalog[];
  /** spec.name. */
  package: string;
  /** spec.channel; absent or empty: every channel, the package's default channel preferred (as OLM v0 does). */
  channel?: string;
  /** spec.startingCSV: the bundle installed first when nothing is installed. */
  startingCSV?: string;
  /** status.installedCSV: a bundle name, or a version of the package. */
  installed?: string;
  /** spec.source: the catalog's name; absent: every catalog with the package, highest priority first. */
  source?: string;
  /** metadata.name, for OLM's messages (the package when absent). */
  name?: string;
}

export interface V0Bundle {
  name: string;
  version: string;
  image: string;
  catalog: string;
  channel: string;
}

export type UpgradeVia = 'replaces' | 'skips' | 'skipRange';

export interface UpgradeStep {
  from: string;
  to: string;
  /** The version of `to`. */
  version: string;
  via: UpgradeVia;
}

export interface V0Dependency {
  package: string;
  bundle: string;
  version: string;
  image: string;
  catalog: string;
  channel: string;
  /** The bundle whose property asks for it. */
  requiredBy: string;
  /** The property, e.g. `olm.package.required etcd >=0.9.0` or `olm.gvk.required etcd.database.coreos.com/v1beta2/EtcdCluster`. */
  reason: string;
}

export interface SubscriptionResolution {
  olm: 'v0';
  /** The bundle OLM installs first (nothing installed) or ends on (the last upgrade step); null when nothing resolves. */
  bundle: V0Bundle | null;
  /** OLM's resolution error, when nothing resolves. */
  error?: string;
  upgradePath: UpgradeStep[];
  /** The dependencies of `bundle`, transitively, in the order they were resolved. */
  dependencies: V0Dependency[];
  /** What was assumed or not taken, in sentences. */
  notes: string[];
}

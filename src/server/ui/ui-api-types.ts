// The JSON shapes the web UI's API (/ui/api/…) answers with, shared by the server (src/server/ui) and the front end
// (web/api.ts imports them as types): one definition, so the two cannot drift. No imports: web/ compiles it too.

/** One row of the package list: what search and the filters read. Facts are the default channel head's. */
export interface PackageSummary {
  name: string;
  displayName: string | null;
  /** One line: the CSV's description annotation, else the package description's first line. */
  summary: string;
  defaultChannel: string;
  channels: number;
  bundles: number;
  head: string | null;
  version: string | null;
  installModes: string[] | null;
  webhooks: boolean | null;
  /** Whether OLM v1 (the default target) would install the head, from the catalog alone; null: unknown. */
  olmV1: boolean | null;
  /** The first reason OLM v1 would refuse it. */
  olmV1Reason: string | null;
  deprecated: boolean;
  deprecatedBundles: number;
  /** Kinds the head provides (olm.gvk), "Kind (group/version)", sorted. */
  apis: string[];
  icon: boolean;
}

export interface GraphRow {
  name: string;
  /** The olm.package version as written ('' when the bundle is missing or has none). */
  version: string;
  /** The channel head by gantry's one rule. */
  head: boolean;
  /** One of opm's head candidates that is not the head (opm would refuse the channel). */
  otherHead: boolean;
  deprecated: string | null;
  replaces?: string;
  skips?: string[];
  skipRange?: string;
  /** Rows of the entries the skipRange matches (OLM v0 reads skipRange within the channel). */
  skipRangeRows: number[];
  /** Edge targets that are not entries of this channel (drawn as text, not as edges). */
  outside: string[];
  /** The entry names no bundle of the package has. */
  missingBundle: boolean;
}

/** The edges of one kind out of one row: from the upgrading bundle to every bundle it upgrades from. */
export interface GraphBus {
  from: number;
  kind: 'replaces' | 'skips';
  targets: number[];
  /** 0 is the lane nearest the rows. */
  lane: number;
}

export interface ChannelLayout {
  package: string;
  channel: string;
  head: string | null;
  deprecated: string | null;
  rows: GraphRow[];
  buses: GraphBus[];
  lanes: number;
}

// The on-disk form of a file-based catalog (opm's declcfg): typed blobs for the olm.* schemas, everything
// else carried as-is. Field names and order follow operator-registry's Go structs (reference §1.2).

/** Where a blob came from: the file (relative to the catalog root) and the line its object starts on. */
export interface Source {
  file: string;
  line: number;
}

/** A property value kept as parsed JSON; written back in canonical (sorted-key) form like opm's re-encode. */
export interface Property {
  type: string;
  value: unknown;
}

export interface Icon {
  base64data: string;
  mediatype: string;
}

export interface Package {
  schema: 'olm.package';
  name: string;
  defaultChannel: string;
  icon?: Icon;
  description?: string;
  properties?: Property[];
  /** Fields this version of gantry does not know, carried through untouched. */
  extra?: Record<string, unknown>;
  source?: Source;
}

export interface ChannelEntry {
  name: string;
  replaces?: string;
  skips?: string[];
  skipRange?: string;
  extra?: Record<string, unknown>;
}

export interface Channel {
  schema: 'olm.channel';
  name: string;
  package: string;
  /** null when the blob had no entries (opm writes `"entries": null`). */
  entries: ChannelEntry[] | null;
  properties?: Property[];
  extra?: Record<string, unknown>;
  source?: Source;
}

export interface RelatedImage {
  name: string;
  image: string;
}

export interface Bundle {
  schema: 'olm.bundle';
  name: string;
  package: string;
  image: string;
  properties?: Property[];
  relatedImages?: RelatedImage[];
  extra?: Record<string, unknown>;
  source?: Source;
}

export interface DeprecationEntry {
  reference: { schema: string; name?: string };
  message: string;
}

export interface Deprecation {
  schema: 'olm.deprecations';
  package: string;
  entries: DeprecationEntry[];
  extra?: Record<string, unknown>;
  source?: Source;
}

/** A blob of any other schema: the parsed object, untouched. */
export interface Other {
  schema: string;
  package?: string;
  name?: string;
  blob: Record<string, unknown>;
  source?: Source;
}

export interface DeclarativeConfig {
  packages: Package[];
  channels: Channel[];
  bundles: Bundle[];
  deprecations: Deprecation[];
  others: Other[];
}

export function emptyConfig(): DeclarativeConfig {
  return { packages: [], channels: [], bundles: [], deprecations: [], others: [] };
}

/** A problem found while loading or validating, with where it is. */
export interface CatalogIssue {
  /** Stable identifier of the rule, e.g. "duplicate-package", "multiple-heads". */
  rule: string;
  message: string;
  /** Errors fail validation; warnings describe content OLM accepts but handles in a way users rarely expect. */
  severity?: 'error' | 'warning';
  hint?: string;
  file?: string;
  line?: number;
  package?: string;
  channel?: string;
  bundle?: string;
}

// index.json of an OCI image layout as data: parsing and validating it, the edits the store makes (tag, add a
// root, drop roots made redundant) and serialising it. Pure; unknown fields are carried through untouched.
import { GantryError } from '../errors.js';
import { isDigest, type Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';

/** image-spec annotations.md: the name of a reference inside an image layout. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export interface LayoutIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  /** Fields we do not interpret (annotations, subject, …), kept as they were. */
  [field: string]: unknown;
}

// image-spec annotations.md, org.opencontainers.image.ref.name:
//   ref := component ("/" component)*;  component := alphanum (separator alphanum)*;  separator := [-._:@+] | "--"
const REF_NAME = /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/;

/** True when `name` is a valid value of org.opencontainers.image.ref.name. */
export function isValidRefName(name: string): boolean {
  return REF_NAME.test(name);
}

export function createEmptyLayoutIndex(): LayoutIndex {
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
}

/** Parses index.json text; `file` names the file in LAYOUT_INVALID messages. */
export function parseLayoutIndex(text: string, file: string): LayoutIndex {
  const invalid = (why: string): never => {
    throw new GantryError('LAYOUT_INVALID', `${file}: ${why}`, {
      hint: 'index.json must be an OCI image index (image-spec image-layout.md); restore it or recreate the layout',
    });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    invalid(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return invalid('not a JSON object');
  const o = doc as Record<string, unknown>;
  if (o.schemaVersion !== 2) invalid(`schemaVersion is ${JSON.stringify(o.schemaVersion)}, expected 2`);
  if (!Array.isArray(o.manifests)) invalid('has no manifests array');
  (o.manifests as unknown[]).forEach((m, i) => {
    if (typeof m !== 'object' || m === null) invalid(`manifests[${i}] is not an object`);
    const d = m as Record<string, unknown>;
    if (typeof d.mediaType !== 'string') invalid(`manifests[${i}] has no mediaType`);
    if (typeof d.digest !== 'string' || !isDigest(d.digest)) invalid(`manifests[${i}] has an invalid digest ${JSON.stringify(d.digest)}`);
    if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) invalid(`manifests[${i}] has an invalid size`);
  });
  return o as LayoutIndex;
}

/** Compact JSON, as skopeo and umoci write it; key order is kept, so equal indexes give equal bytes. */
export function serializeLayoutIndex(index: LayoutIndex): string {
  return JSON.stringify(index);
}

export function refNameOf(d: Descriptor): string | undefined {
  return d.annotations?.[REF_NAME_ANNOTATION];
}

/** The first entry named `name`, as containers/image picks it when names repeat. */
export function findTaggedEntry(index: LayoutIndex, name: string): Descriptor | undefined {
  return index.manifests.find((d) => refNameOf(d) === name);
}

/** An entry for `digest`, untagged ones first (their mediaType is as good and they carry no name). */
export function findDigestEntry(index: LayoutIndex, digest: Digest): Descriptor | undefined {
  return (
    index.manifests.find((d) => d.digest === digest && refNameOf(d) === undefined) ??
    index.manifests.find((d) => d.digest === digest)
  );
}

/** Ref names in the index, sorted and unique. */
export function listRefNames(index: LayoutIndex): string[] {
  const names = new Set<string>();
  for (const d of index.manifests) {
    const n = refNameOf(d);
    if (n !== undefined) names.add(n);
  }
  return [...names].sort();
}

function sameContent(a: Descriptor, b: Descriptor): boolean {
  return a.digest === b.digest && a.mediaType === b.mediaType && a.size === b.size;
}

/**
 * Points `name` at `target`: the first entry with that name is replaced in place (kept as is when it already
 * points there, so fields other tools wrote survive), later duplicates and untagged entries for the same
 * digest (the tag now roots it) are dropped; otherwise the entry is appended.
 */
export function setTaggedEntry(index: LayoutIndex, target: Descriptor, name: string): LayoutIndex {
  const entry: Descriptor = {
    mediaType: target.mediaType,
    digest: target.digest,
    size: target.size,
    annotations: { [REF_NAME_ANNOTATION]: name },
  };
  const manifests: Descriptor[] = [];
  let placed = false;
  for (const d of index.manifests) {
    const n = refNameOf(d);
    if (n === name) {
      if (placed) continue;
      manifests.push(sameContent(d, target) ? d : entry);
      placed = true;
    } else if (n === undefined && d.digest === target.digest) {
      continue;
    } else {
      manifests.push(d);
    }
  }
  if (!placed) manifests.push(entry);
  return { ...index, manifests };
}

/** Adds an untagged entry for `target` unless some entry (tagged or not) already roots its digest. */
export function addRootEntry(index: LayoutIndex, target: Descriptor): LayoutIndex {
  if (index.manifests.some((d) => d.digest === target.digest)) return index;
  const entry: Descriptor = { mediaType: target.mediaType, digest: target.digest, size: target.size };
  return { ...index, manifests: [...index.manifests, entry] };
}

/**
 * Drops untagged entries for `digests`. Used when an index is pushed: its children were pushed by digest just
 * before (and so became roots), but are now reachable through the parent, as skopeo leaves them.
 */
export function dropUntaggedEntries(index: LayoutIndex, digests: ReadonlySet<string>): LayoutIndex {
  const manifests = index.manifests.filter((d) => !(refNameOf(d) === undefined && digests.has(d.digest)));
  return manifests.length === index.manifests.length ? index : { ...index, manifests };
}

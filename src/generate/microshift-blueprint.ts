// The Image Builder blueprint's [[containers]] for MicroShift: which images a device that never reaches a registry
// needs in its local storage, and under which names its manifests will look them up. Pure: images in, entries out.
import { byteOrder } from '../order.js';
import type { Digest } from '../oci/digest.js';
import type { Reference } from '../oci/reference.js';

export interface BlueprintImage {
  /** The reference as the manifests use it (CSV, relatedImages, CatalogSource): with its tag when named by tag. */
  source: Reference;
  /** The digest the manifests refer to: a multi-platform image's index digest. Absent for an unresolved tag. */
  digest?: Digest;
  /** Where the image was mirrored (used with `location: 'mirror'`). */
  mirror?: Reference;
  /** relatedImages names the catalog gives the image (the seed's jq recipe excludes architectures by name). */
  names?: string[];
  /** Architectures in the image's index; absent when it is a single manifest or was not read. */
  architectures?: string[];
}

export interface BlueprintRules {
  /** Architectures the device is not (ppc64le, s390x): images named for them, or with no other, are left out. */
  excludeArchitectures?: string[];
  /**
   * `source` (default): pull from where the manifests name the image. `mirror`: pull from the mirror and store under
   * the source name (Image Builder's `name` field: "the name under which the container image will be saved").
   */
  location?: 'source' | 'mirror';
}

export interface ContainerEntry {
  /** Where Image Builder pulls from. */
  source: string;
  /** The local name, when it differs from `source`. */
  name?: string;
  /** The manifests name this image by tag (listed loudly: MicroShift cannot resolve a tag offline). */
  byTag?: boolean;
}

export interface Blueprint {
  containers: ContainerEntry[];
  /** Images left out by the architecture rules, with why. */
  excluded: { image: string; reason: string }[];
  /** References the manifests use by tag, as written. */
  byTag: string[];
}

/**
 * Substrings of relatedImages names that mark an architecture. The seed's jq recipe drops names containing "ppc" and
 * "s390x"; the other architectures follow the same idea with the spellings operators use.
 */
const NAME_MARKS: Record<string, string[]> = {
  ppc64le: ['ppc'],
  s390x: ['s390x'],
  arm64: ['arm64', 'aarch64'],
  amd64: ['amd64', 'x86_64'],
};

const repoOf = (r: Reference) => `${r.registry}/${r.repository}`;

/** Why an image is left out under the architecture rules, or undefined when it is kept. */
function exclusionReason(image: BlueprintImage, excluded: ReadonlySet<string>): string | undefined {
  if (excluded.size === 0) return undefined;
  // Like the recipe, which drops relatedImages entries by name: an image is left out when every entry naming it is.
  const marked = (n: string) => [...excluded].find((arch) => (NAME_MARKS[arch] ?? [arch]).some((m) => n.toLowerCase().includes(m)));
  const names = image.names ?? [];
  if (names.length > 0 && names.every((n) => marked(n) !== undefined)) return `its related-image name "${names[0]}" marks ${marked(names[0]!)}`;
  // "unknown" entries are attestations (buildx), not platforms a device could run.
  const archs = (image.architectures ?? []).filter((a) => a !== 'unknown');
  if (archs.length > 0 && archs.every((a) => excluded.has(a.toLowerCase()))) return `its index has only ${[...new Set(archs)].sort(byteOrder).join(', ')}`;
  return undefined;
}

function entryOf(image: BlueprintImage, location: 'source' | 'mirror'): ContainerEntry {
  const { source, digest } = image;
  const byTag = source.tag !== undefined && source.digest === undefined;
  // By tag, the device looks the image up by tag, so that is the name it must be stored under.
  const localName = byTag ? `${repoOf(source)}:${source.tag}` : `${repoOf(source)}@${digest ?? source.digest}`;
  const from = location === 'mirror' && image.mirror ? image.mirror : source;
  let pull: string;
  if (digest ?? source.digest) pull = `${repoOf(from)}@${digest ?? source.digest}`;
  else pull = from === source ? localName : `${repoOf(from)}:${from.tag ?? source.tag}`;
  return { source: pull, ...(pull !== localName ? { name: localName } : {}), ...(byTag ? { byTag: true } : {}) };
}

/**
 * The images of a run plus images listed besides them (MicroShift's own, from release-<arch>.json): an extra image
 * the run also mirrored (same repository and digest) joins that entry with its names, so it is listed once and,
 * with `location: 'mirror'`, pulled from the mirror rather than from a source a device may never reach.
 */
export function withExtraImages(images: BlueprintImage[], extra: readonly BlueprintImage[]): BlueprintImage[] {
  const key = (i: BlueprintImage) => (i.digest ? `${repoOf(i.source)}@${i.digest}` : undefined);
  const out = images.map((i) => ({ ...i }));
  const byKey = new Map(out.flatMap((i) => (key(i) ? [[key(i)!, i] as const] : [])));
  for (const e of extra) {
    const same = key(e) ? byKey.get(key(e)!) : undefined;
    if (!same) {
      out.push(e);
      continue;
    }
    const names = [...new Set([...(same.names ?? []), ...(e.names ?? [])])];
    if (names.length) same.names = names;
  }
  return out;
}

/** The [[containers]] entries for these images: one per distinct local name, sorted. */
export function planBlueprint(images: BlueprintImage[], rules: BlueprintRules = {}): Blueprint {
  const excludedArchs = new Set((rules.excludeArchitectures ?? []).map((a) => a.toLowerCase()));
  const entries = new Map<string, ContainerEntry>();
  const excluded = new Map<string, string>();
  const byTag = new Set<string>();
  for (const image of images) {
    const entry = entryOf(image, rules.location ?? 'source');
    const local = entry.name ?? entry.source;
    const reason = exclusionReason(image, excludedArchs);
    if (reason !== undefined) {
      excluded.set(local, reason);
      continue;
    }
    if (entry.byTag) byTag.add(`${repoOf(image.source)}:${image.source.tag}`);
    entries.set(`${local}\0${entry.source}`, entry);
  }
  // An image kept under one name (another related-image name, another bundle) is not excluded under it.
  for (const e of entries.values()) excluded.delete(e.name ?? e.source);
  const containers = [...entries.values()].sort((a, b) => byteOrder(a.name ?? a.source, b.name ?? b.source) || byteOrder(a.source, b.source));
  return {
    containers,
    excluded: [...excluded].map(([image, reason]) => ({ image, reason })).sort((a, b) => byteOrder(a.image, b.image)),
    byTag: [...byTag].sort(byteOrder),
  };
}

function tomlString(s: string): string {
  return JSON.stringify(s); // a TOML basic string escapes like a JSON string for the characters references use
}

/** The blueprint fragment as TOML, to merge into a RHEL for Edge blueprint. */
export function formatBlueprintToml(bp: Blueprint): string {
  const out = [
    '# Generated by gantry: merge into a RHEL for Edge blueprint (Image Builder [[containers]]).',
    '# Each image is stored under the name the manifests use, by digest, so pods find it with no registry.',
    '',
  ];
  for (const c of bp.containers) {
    if (c.byTag) out.push(`# WARNING: the manifests use this image by tag. It is stored under the tag${c.source.includes('@') ? ', pinned to the digest read' : ''}; a pod that pulls Always (the default for :latest) fails offline.`);
    out.push('[[containers]]', `source = ${tomlString(c.source)}`);
    if (c.name !== undefined) out.push(`name = ${tomlString(c.name)}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The same as JSON, in the shape of the Image Builder service's `containers` customization. */
export function formatBlueprintJson(bp: Blueprint): string {
  const containers = bp.containers.map((c) => ({ source: c.source, ...(c.name !== undefined ? { name: c.name } : {}) }));
  return `${JSON.stringify({ containers, excluded: bp.excluded, byTag: bp.byTag }, null, 2)}\n`;
}

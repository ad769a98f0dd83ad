// The record of what has been mirrored to a destination so far: merging a run's images into it, and its JSON form.
// Cluster resources generated from the record cover every image mirrored there, not only this run's.
import { byteOrder } from '../order.js';
import { isDigest, type Digest } from '../oci/digest.js';
import { formatReference, isTag, parseReference, type Reference } from '../oci/reference.js';
import type { ImageKind, MirroredImage } from './cluster-resources.js';

export const MIRRORED_RECORD_VERSION = 1;

const KINDS: readonly ImageKind[] = ['catalog', 'generic', 'graph', 'operator', 'release'];
/** host[:port] or [ipv6][:port]. A bare word ("mirror") is a valid host here, though a reference text would read it as
 * a Docker Hub namespace: that is why records keep references as parts. */
const REGISTRY = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]+)?$/;

/** A record's identity: its destination as pushed. One destination holds one image at a time. */
export function mirroredKey(image: MirroredImage): string {
  return formatReference(image.dest);
}

function compareMirrored(a: MirroredImage, b: MirroredImage): number {
  return byteOrder(mirroredKey(a), mirroredKey(b));
}

/**
 * Every destination in either list, once, sorted by destination. Where both name one destination (a catalog tag
 * rebuilt to a new digest, an image re-pushed), `current` wins; within one list the later entry wins.
 */
export function mergeMirrored(previous: readonly MirroredImage[], current: readonly MirroredImage[]): MirroredImage[] {
  const byDest = new Map<string, MirroredImage>();
  for (const i of [...previous, ...current]) byDest.set(mirroredKey(i), i);
  return [...byDest.values()].sort(compareMirrored);
}

interface RecordFile {
  version: typeof MIRRORED_RECORD_VERSION;
  images: { source: Reference; dest: Reference; digest: string; kind: ImageKind }[];
}

/**
 * `{ "version": 1, "images": [...] }`, sorted by destination, two-space JSON with a final newline. References are
 * stored as their parts (registry, repository, tag, digest) rather than as text: a registry host without a dot or
 * port ("mirror/ns/x") would read back as a Docker Hub path.
 */
export function serializeMirrored(images: readonly MirroredImage[]): string {
  const ref = (r: Reference): Reference => ({
    registry: r.registry,
    repository: r.repository,
    ...(r.tag !== undefined ? { tag: r.tag } : {}),
    ...(r.digest !== undefined ? { digest: r.digest } : {}),
  });
  const file: RecordFile = {
    version: MIRRORED_RECORD_VERSION,
    images: [...images].sort(compareMirrored).map((i) => ({ source: ref(i.source), dest: ref(i.dest), digest: i.digest, kind: i.kind })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export interface MirroredRecordIssue {
  code: 'RECORD_SYNTAX' | 'RECORD_VERSION' | 'RECORD_INVALID';
  file: string;
  /** Where in the document, e.g. images[3].dest.tag ('' for the document). */
  path: string;
  message: string;
  hint?: string;
}

export interface ParseMirroredResult {
  /** Absent when any issue was found: a damaged record is not half-used. */
  images?: MirroredImage[];
  issues: MirroredRecordIssue[];
}

const HINT = 'gantry writes this file; if it was damaged, move it away and mirror every image set for this destination again';

/** Never throws. Unknown fields are ignored (a newer v1 writer may add some); every bad record is reported. */
export function parseMirrored(text: string, file: string): ParseMirroredResult {
  const issues: MirroredRecordIssue[] = [];
  const bad = (path: string, message: string) => issues.push({ code: 'RECORD_INVALID', file, path, message, hint: HINT });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { issues: [{ code: 'RECORD_SYNTAX', file, path: '', message: `not JSON: ${(err as Error).message}`, hint: HINT }] };
  }
  if (!isRecord(data)) {
    bad('', 'expected a JSON object { "version": 1, "images": [...] }');
    return { issues };
  }
  if (data.version !== MIRRORED_RECORD_VERSION) {
    const newer = typeof data.version === 'number' && data.version > MIRRORED_RECORD_VERSION;
    return {
      issues: [
        {
          code: 'RECORD_VERSION',
          file,
          path: 'version',
          message: `unsupported record version ${JSON.stringify(data.version ?? null)} (this gantry reads version ${MIRRORED_RECORD_VERSION})`,
          hint: newer ? 'written by a newer gantry: upgrade gantry' : HINT,
        },
      ],
    };
  }
  if (!Array.isArray(data.images)) {
    bad('images', 'images must be a list');
    return { issues };
  }
  const images: MirroredImage[] = [];
  data.images.forEach((entry: unknown, n: number) => {
    const at = `images[${n}]`;
    if (!isRecord(entry)) {
      bad(at, 'each image must be an object with source, dest, digest and kind');
      return;
    }
    const before = issues.length;
    const source = readReference(entry.source, `${at}.source`, bad);
    const dest = readReference(entry.dest, `${at}.dest`, bad);
    if (typeof entry.digest !== 'string' || !isDigest(entry.digest)) bad(`${at}.digest`, `digest ${JSON.stringify(entry.digest ?? null)} is not a digest (sha256:<64 hex>)`);
    if (!KINDS.includes(entry.kind as ImageKind)) bad(`${at}.kind`, `kind ${JSON.stringify(entry.kind ?? null)} is not one of ${KINDS.join(', ')}`);
    if (issues.length === before && source && dest) images.push({ source, dest, digest: entry.digest as Digest, kind: entry.kind as ImageKind });
  });
  return issues.length > 0 ? { issues } : { images, issues };
}

function readReference(v: unknown, path: string, bad: (path: string, message: string) => void): Reference | undefined {
  if (!isRecord(v)) {
    bad(path, 'must be an object { registry, repository, tag?, digest? }');
    return undefined;
  }
  let ok = true;
  const fail = (field: string, message: string) => {
    ok = false;
    bad(`${path}.${field}`, message);
  };
  const { registry, repository, tag, digest } = v;
  if (typeof registry !== 'string' || !REGISTRY.test(registry)) fail('registry', `registry ${JSON.stringify(registry ?? null)} is not a host[:port]`);
  if (typeof repository !== 'string' || !isRepositoryPath(repository)) {
    fail('repository', `repository ${JSON.stringify(repository ?? null)} is not a repository path`);
  }
  if (tag !== undefined && (typeof tag !== 'string' || !isTag(tag))) fail('tag', `tag ${JSON.stringify(tag)} is not a tag`);
  if (digest !== undefined && (typeof digest !== 'string' || !isDigest(digest))) fail('digest', `digest ${JSON.stringify(digest)} is not a digest`);
  if (!ok) return undefined;
  return {
    registry: registry as string,
    repository: repository as string,
    ...(tag !== undefined ? { tag: tag as string } : {}),
    ...(digest !== undefined ? { digest: digest as Digest } : {}),
  };
}

/** The repository grammar of parseReference (one grammar), checked under a host it never rewrites. */
function isRepositoryPath(repository: string): boolean {
  try {
    return parseReference(`localhost/${repository}`, { defaultTag: null }).repository === repository;
  } catch {
    return false;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// The mirror archive format: tar files named mirror_seq<N>_<part>.tar whose members, unpacked together, form a
// standard OCI image layout plus gantry/ metadata. Each part opens with its own member list and checksums.
import { GantryError } from '../errors.js';

export const ARCHIVE_FORMAT = 'gantry.archive/v1';

/** A member of one part: its path inside the archive, size, and sha256 (hex) of its bytes. */
export interface PartMember {
  name: string;
  size: number;
  sha256: string;
}

/** The first member of every part: which archive it belongs to and what follows it, in order. */
export interface PartIndex {
  format: typeof ARCHIVE_FORMAT;
  archiveId: string;
  sequence: number;
  part: number;
  parts: number;
  members: PartMember[];
}

export type ArchivedKind = 'operator' | 'generic' | 'release' | 'catalog' | 'graph';

/** One image in the archive: where it came from, how to name it at a destination, what it is. */
export interface ArchivedImage {
  /** Its org.opencontainers.image.ref.name in index.json. */
  key: string;
  kind: ArchivedKind;
  /** The source reference (for catalogs: the catalog image the configuration names). */
  source: string;
  targetRepo?: string;
  targetTag?: string;
  digest: string;
  mediaType: string;
  size: number;
  /** Bundles that need the image (catalog package bundle), for error reports on the disconnected side. */
  neededBy?: string[];
  /** Catalogs: the targetCatalogSourceTemplate the configuration named, carried so disk to mirror can apply it. */
  catalogSourceTemplate?: { file: string; text: string };
  /** Signatures, attestations, SBOMs and referrer indexes of the image, pushed next to it under these tags. */
  attachments?: ArchivedAttachment[];
}

export interface ArchivedAttachment {
  /** The digest it is about, when not the image's own: one of its platforms' manifests. */
  subject?: string;
  /** sha256-<hex>.sig|.att|.sbom (cosign) or sha256-<hex> (the OCI referrers fallback index) of the subject. */
  tag: string;
  kind: 'signature' | 'attestation' | 'sbom' | 'referrers';
  digest: string;
  mediaType: string;
  size: number;
}

export interface ArchiveFailure {
  what: string;
  code: string;
  message: string;
  /** Bundles that need the image (catalog/package/bundle). */
  bundles: string[];
}

/** gantry/archive-seq<N>.json: the whole image set of this sequence (every manifest, even if shipped earlier). */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  archiveId: string;
  sequence: number;
  created: string;
  gantryVersion: string;
  /** True when some images failed to mirror: the archive holds only what succeeded. */
  partial: boolean;
  images: ArchivedImage[];
  /** Every manifest (children of indexes too) → its media type: blobs alone do not say. */
  manifests: Record<string, string>;
  /** Blobs in this archive, and blobs left out because an earlier sequence carried them. */
  carried: { blobs: number; bytes: number };
  omitted: { blobs: number; bytes: number; sequences: number[] };
  failed: ArchiveFailure[];
  /** blockedImages patterns (Go regexes): disk to mirror applies them to the destination names it chooses. */
  blockedImages?: string[];
  /** The releases of this sequence's image set and their verified signatures (members under gantry/signatures/). */
  releases?: ArchivedRelease[];
}

/**
 * A release the archive carries, by its payload digest: the OpenPGP signatures that verified when the archive was
 * made, each a member gantry/signatures/sha256-<hex>-<n> (every sequence carries them again: they are tiny), or
 * 'skipped' when it was made with --ignore-release-signature.
 */
export interface ArchivedRelease {
  version: string;
  arch: string;
  digest: string;
  signatures: 'skipped' | { member: string; keyId: string; dockerReference: string; created?: string }[];
}

export const LAYOUT_FILE = 'oci-layout';
export const INDEX_FILE = 'index.json';
export const partIndexName = (sequence: number, part: number) => `gantry/parts/seq${sequence}-${String(part).padStart(6, '0')}.json`;
export const archiveManifestName = (sequence: number) => `gantry/archive-seq${sequence}.json`;
export const configCopyName = (sequence: number) => `gantry/imageset-config-seq${sequence}.yaml`;
export const blobMemberName = (digest: string) => `blobs/${digest.replace(':', '/')}`;

const PART_FILE = /^mirror_seq([1-9][0-9]{0,8})_([0-9]{6})\.tar$/;
export const partFileName = (sequence: number, part: number) => `mirror_seq${sequence}_${String(part).padStart(6, '0')}.tar`;

export function parsePartFileName(name: string): { sequence: number; part: number } | undefined {
  const m = PART_FILE.exec(name);
  return m ? { sequence: Number(m[1]), part: Number(m[2]) } : undefined;
}

// Every name a gantry archive may hold; anything else (../x, /etc/x, links, directories) is rejected on read.
const MEMBER_NAME = /^(?:oci-layout|index\.json|gantry\/(?:parts\/|signatures\/)?[a-z0-9][a-z0-9._-]*|blobs\/sha256\/[0-9a-f]{64})$/;

export function isArchiveMemberName(name: string): boolean {
  return MEMBER_NAME.test(name) && !name.includes('..');
}

function invalid(where: string, message: string): GantryError {
  return new GantryError('ARCHIVE_INVALID', `${where}: ${message}`, { hint: 'the archive was damaged or altered; copy it again from where it was made' });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function parsePartIndex(bytes: Uint8Array, where: string): PartIndex {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalid(where, 'its member list is not JSON');
  }
  if (!isRecord(v) || v.format !== ARCHIVE_FORMAT) throw invalid(where, `not a ${ARCHIVE_FORMAT} part`);
  if (typeof v.archiveId !== 'string' || !isCount(v.sequence) || !isCount(v.part) || !isCount(v.parts) || !Array.isArray(v.members)) {
    throw invalid(where, 'its member list is incomplete');
  }
  for (const m of v.members as unknown[]) {
    if (!isRecord(m) || typeof m.name !== 'string' || !isCount(m.size) || typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) {
      throw invalid(where, 'its member list has a malformed entry');
    }
    if (!isArchiveMemberName(m.name)) throw invalid(where, `unexpected member name "${m.name}"`);
  }
  return v as unknown as PartIndex;
}

export function parseArchiveManifest(bytes: Uint8Array, where: string): ArchiveManifest {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalid(where, 'not JSON');
  }
  if (!isRecord(v) || v.format !== ARCHIVE_FORMAT || !isCount(v.sequence) || !Array.isArray(v.images) || !isRecord(v.manifests)) {
    throw invalid(where, `not a ${ARCHIVE_FORMAT} manifest`);
  }
  for (const i of v.images as unknown[]) {
    if (!isRecord(i) || typeof i.key !== 'string' || typeof i.source !== 'string' || typeof i.digest !== 'string' || typeof i.mediaType !== 'string') {
      throw invalid(where, 'an image entry is malformed');
    }
  }
  if (v.releases !== undefined && (!Array.isArray(v.releases) || !v.releases.every(isArchivedRelease))) throw invalid(where, 'a release entry is malformed');
  return v as unknown as ArchiveManifest;
}

const SIGNATURE_MEMBER = /^gantry\/signatures\/sha256-([0-9a-f]{64})-[1-9][0-9]?$/;

/** A release entry: its signatures, when listed, are members under gantry/signatures/ named for that digest. */
function isArchivedRelease(r: unknown): boolean {
  if (!isRecord(r) || typeof r.version !== 'string' || typeof r.arch !== 'string' || typeof r.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(r.digest)) return false;
  if (r.signatures === 'skipped') return true;
  const hex = r.digest.slice(7);
  return (
    Array.isArray(r.signatures) &&
    r.signatures.every((s) => isRecord(s) && typeof s.member === 'string' && SIGNATURE_MEMBER.exec(s.member)?.[1] === hex && typeof s.keyId === 'string' && typeof s.dockerReference === 'string')
  );
}

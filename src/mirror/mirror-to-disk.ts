// Mirror to disk: downloads what the plan selects into a staging layout beside the archive (resumable), rebuilds the
// filtered catalogs there, then packs an archive sequence of blobs the destination has not received yet.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ARCHIVE_FORMAT,
  INDEX_FILE,
  LAYOUT_FILE,
  archiveManifestName,
  blobMemberName,
  configCopyName,
  parsePartFileName,
  type ArchiveManifest,
  type ArchivedAttachment,
  type ArchivedRelease,
  type ArchivedImage,
} from '../archive/archive-format.js';
import { appendHistory, nextSequence, readHistory, shippedBlobs } from '../archive/history.js';
import { createStagingStore, type StagingStore } from '../archive/staging-store.js';
import { writeParts, type MemberSource } from '../archive/write-parts.js';
import type { MirrorEventListener } from './mirror-events.js';
import { GantryError } from '../errors.js';
import { createLayoutStore } from '../layout/index.js';
import { blobPath } from '../layout/layout-dir.js';
import { digestHex, type Digest } from '../oci/digest.js';
import { parseManifest, manifestBlobs } from '../oci/manifest.js';
import { formatReference } from '../oci/reference.js';
import type { StoreResolver } from './store-resolver.js';
import { copyPlan, type CopyFailure } from './copy-plan.js';
import type { CopiedAttachment } from './image-attachments.js';
import { failureRecords } from './failure-records.js';
import type { MirrorPlan, PlannedCatalog, PlannedImage } from './plan-mirror.js';
import { GRAPH_ARCHIVE_KEY, type GraphImageBuild } from './plan-graph-image.js';

export interface MirrorToDiskOptions {
  dir: string;
  source: StoreResolver;
  /** The ImageSetConfiguration as written, kept in the archive for reference. */
  configText: string;
  /** Largest tar part, in bytes. */
  archiveSize: number;
  /** Carry every blob, as if nothing had been archived for this directory before. */
  ignoreHistory?: boolean;
  gantryVersion: string;
  /** blockedImages patterns, recorded so disk to mirror can apply them to destination names. */
  blockedImages?: string[];
  /** The releases of the plan and their verified signatures (archive members gantry/signatures/…). */
  releaseSignatures?: { releases: ArchivedRelease[]; members: { name: string; bytes: Uint8Array }[] };
  /** targetCatalogSourceTemplate files by catalog (as the configuration names it), carried in the archive. */
  templates?: ReadonlyMap<string, { file: string; text: string }>;
  onEvent?: MirrorEventListener;
  /** Leave signatures, attestations, SBOMs and referrers out of the archive (--remove-signatures). */
  removeSignatures?: boolean;
  onPart?: (info: { file: string; part: number; parts: number; bytes: number }) => void;
  onPartBytes?: (file: string, done: number, total: number) => void;
  failFast?: boolean;
  /** platform.graph: the graph image with its data read, built into the archive (d2m then needs no network). */
  graph?: GraphImageBuild;
  signal?: AbortSignal;
}

export interface MirrorToDiskResult {
  /** Undefined when --fail-fast stopped the run before an archive was written (the staging is kept for a re-run). */
  manifest?: ArchiveManifest;
  files: string[];
  failed: CopyFailure[];
  /** Members larger than archiveSize, each in a part of its own. */
  oversized: string[];
}

export const STAGING_DIR = join('.gantry', 'staging');
/** Release images are keyed by their name too: one component image is tagged for every release that lists it. */
export const imageKey = (i: PlannedImage) => (i.kind === 'release' ? `${formatReference(i.source)}/as/${i.naming.targetRepo}/tag/${i.naming.targetTag}` : formatReference(i.source));
/** One key per rebuilt catalog: the same catalog may be listed twice with different targetCatalog/targetTag. */
export const attachmentKey = (i: PlannedImage, tag: string) => `${imageKey(i)}#attachment/${tag}`;
export const catalogKey = (c: PlannedCatalog) =>
  `gantry-catalog/${formatReference(c.source)}${c.naming.targetRepo ? `/as/${c.naming.targetRepo}` : ''}${c.naming.targetTag ? `/tag/${c.naming.targetTag}` : ''}`;

export async function mirrorToDisk(plan: MirrorPlan, opts: MirrorToDiskOptions): Promise<MirrorToDiskResult> {
  const { dir } = opts;
  await mkdir(dir, { recursive: true });
  const history = await readHistory(dir);
  const shipped = opts.ignoreHistory ? new Map<string, { size: number; sequence: number }>() : shippedBlobs(history);
  const sequence = nextSequence(history);
  await removeUnrecordedParts(dir, sequence);

  const layout = createLayoutStore({ path: join(dir, STAGING_DIR), create: true });
  await layout.cleanTempFiles();
  const staging = createStagingStore({ layout, shipped, location: `file://${dir}` });
  const { copied, failed } = await copyPlan(plan, {
    source: opts.source,
    sink: {
      image: (i) => ({ store: staging, ref: imageKey(i) }),
      catalog: (c) => ({ store: staging, ref: catalogKey(c) }),
      // One staging store holds every repository: an attachment's key says whose it is.
      attachment: (i, tag) => ({ store: staging, ref: attachmentKey(i, tag) }),
      graph: () => ({ store: staging, ref: GRAPH_ARCHIVE_KEY }),
    },
    ...(opts.graph ? { graph: opts.graph } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    ...(opts.removeSignatures ? { removeSignatures: true } : {}),
    ...(opts.failFast ? { failFast: true } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (opts.signal?.aborted) throw opts.signal.reason;
  if (opts.failFast && failed.length > 0) return { files: [], failed, oversized: [] };

  const images: ArchivedImage[] = copied.map((item) => {
    if ('graph' in item) {
      const d = staging.tagged.get(GRAPH_ARCHIVE_KEY);
      if (!d) throw new GantryError('INTERNAL', 'the graph image was built but not staged');
      // Its source is the base it was built on; disk to mirror names it from targetRepo/targetTag alone.
      const g = item.graph;
      return { key: GRAPH_ARCHIVE_KEY, kind: 'graph', source: formatReference(g.base), targetRepo: g.naming.targetRepo, targetTag: g.naming.targetTag, digest: d.digest, mediaType: d.mediaType, size: d.size };
    }
    const key = 'catalog' in item ? catalogKey(item.catalog) : imageKey(item.image);
    const d = staging.tagged.get(key);
    if (!d) throw new GantryError('INTERNAL', `${key} was copied but not staged`);
    const naming = 'catalog' in item ? item.catalog.naming : item.image.naming;
    return {
      key,
      kind: 'catalog' in item ? 'catalog' : item.image.kind,
      source: formatReference('catalog' in item ? item.catalog.source : item.image.source),
      ...(naming.targetRepo ? { targetRepo: naming.targetRepo } : {}),
      ...(naming.targetTag ? { targetTag: naming.targetTag } : {}),
      digest: d.digest,
      mediaType: d.mediaType,
      size: d.size,
      ...('image' in item && item.attachments?.length ? { attachments: archivedAttachments(staging, item.digest, item.attachments) } : {}),
      ...('image' in item && neededBy(item.image).length > 0 ? { neededBy: neededBy(item.image) } : {}),
      ...('catalog' in item && opts.templates?.has(item.catalog.catalog) ? { catalogSourceTemplate: opts.templates.get(item.catalog.catalog)! } : {}),
    };
  });
  images.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const { manifests, blobs, omitted } = await collectContent(staging, images, shipped);
  const archiveId = randomUUID();
  const created = new Date();
  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    archiveId,
    sequence,
    created: created.toISOString(),
    gantryVersion: opts.gantryVersion,
    partial: failed.length > 0,
    images,
    manifests: Object.fromEntries([...manifests.values()].map((m) => [m.digest, m.mediaType]).sort()),
    carried: { blobs: manifests.size + blobs.size, bytes: [...manifests.values(), ...blobs.values()].reduce((n, b) => n + b.size, 0) },
    omitted: { blobs: omitted.size, bytes: [...omitted.values()].reduce((n, o) => n + o.size, 0), sequences: [...new Set([...omitted.values()].map((o) => o.sequence))].sort((a, b) => a - b) },
    failed: failureRecords(failed),
    ...(opts.blockedImages?.length ? { blockedImages: opts.blockedImages } : {}),
    ...(opts.releaseSignatures ? { releases: opts.releaseSignatures.releases } : {}),
  };

  const members: MemberSource[] = [
    textMember(LAYOUT_FILE, `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`),
    textMember(INDEX_FILE, `${JSON.stringify(layoutIndex(images), null, 2)}\n`),
    textMember(archiveManifestName(sequence), `${JSON.stringify(manifest, null, 2)}\n`),
    textMember(configCopyName(sequence), opts.configText),
    ...(opts.releaseSignatures?.members ?? []).map((m) => bytesMember(m.name, m.bytes)),
    ...[...manifests.values(), ...blobs.values()].map((b) => ({ name: blobMemberName(b.digest), size: b.size, sha256: digestHex(b.digest as Digest), content: { file: blobPath(layout.path, b.digest as Digest) } })),
  ];
  const written = await writeParts({
    dir,
    archiveId,
    sequence,
    members,
    limit: opts.archiveSize,
    mtime: created,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onPart ? { onPart: opts.onPart } : {}),
    ...(opts.onPartBytes ? { onBytes: opts.onPartBytes } : {}),
  });
  await appendHistory(dir, history, {
    sequence,
    archiveId,
    created: manifest.created,
    partial: manifest.partial,
    blobs: Object.fromEntries([...manifests.values(), ...blobs.values()].map((b) => [b.digest, b.size])),
  });
  // Everything staged is in the archive now; keeping it would be the cache users complain about.
  await rm(join(dir, STAGING_DIR), { recursive: true, force: true });
  return { manifest, files: written.files, failed, oversized: written.oversized };
}

/** Attachments as the archive records them: the tag to push under, and the staged manifest's descriptor. */
function archivedAttachments(staging: StagingStore, image: string, list: CopiedAttachment[]): ArchivedAttachment[] {
  return list.map((a) => {
    const d = staging.manifests.get(a.digest);
    if (!d) throw new GantryError('INTERNAL', `attachment ${a.tag} (${a.digest}) was copied but not staged`);
    // Staged under its own key, never under the image's: the tag is kept, disk to mirror decides at the destination.
    return { ...(a.subject !== image ? { subject: a.subject } : {}), tag: a.tag, kind: a.kind, digest: d.digest, mediaType: d.mediaType, size: d.size };
  });
}

function neededBy(image: PlannedImage): string[] {
  return [...new Set(image.reasons.flatMap((r) => ('bundle' in r ? [`${r.catalog} ${r.package} ${r.bundle}`] : [])))].sort();
}

function textMember(name: string, text: string): MemberSource {
  return bytesMember(name, Buffer.from(text));
}

function bytesMember(name: string, content: Uint8Array): MemberSource {
  const bytes = Buffer.from(content);
  return { name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), content: bytes };
}

function layoutIndex(images: ArchivedImage[]) {
  return {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: images.map((i) => ({ mediaType: i.mediaType, digest: i.digest, size: i.size, annotations: { 'org.opencontainers.image.ref.name': i.key } })),
  };
}

interface Sized {
  digest: string;
  size: number;
  mediaType: string;
}

/** Every manifest of the archived images (always carried: small, and they make each sequence complete) and the blobs not shipped before. */
async function collectContent(staging: StagingStore, images: ArchivedImage[], shipped: ReadonlyMap<string, { size: number; sequence: number }>) {
  const manifests = new Map<string, Sized>();
  const blobs = new Map<string, Sized>();
  const omitted = new Map<string, { size: number; sequence: number }>();
  async function visit(digest: string): Promise<void> {
    if (manifests.has(digest)) return;
    const d = staging.manifests.get(digest);
    if (!d) throw new GantryError('INTERNAL', `manifest ${digest} was not staged`);
    manifests.set(digest, d);
    const { bytes } = await staging.fetchManifest(digest);
    const m = parseManifest(bytes, d.mediaType);
    if (m.kind === 'index') {
      for (const child of m.manifests) await visit(child.digest);
      return;
    }
    for (const b of manifestBlobs(m)) {
      const earlier = shipped.get(b.digest);
      if (earlier) omitted.set(b.digest, earlier);
      else blobs.set(b.digest, { digest: b.digest, size: b.size, mediaType: b.mediaType });
    }
  }
  for (const i of images) {
    await visit(i.digest);
    for (const a of i.attachments ?? []) await visit(a.digest);
  }
  return { manifests, blobs, omitted };
}

/** Parts of a sequence the history does not record come from a run that did not finish: they are replaced. */
async function removeUnrecordedParts(dir: string, sequence: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const p = parsePartFileName(name);
    const tmp = /^mirror_seq\d+_\d{6}\.tar\.[0-9a-f]+\.tmp-gantry$/.test(name);
    if ((p && p.sequence >= sequence) || tmp) await rm(join(dir, name), { force: true });
  }
}

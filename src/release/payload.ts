// A release image's payload (what `oc adm release info` reads): release-manifests/image-references (an ImageStream:
// component name → image by digest) and release-manifests/release-metadata (the version), per architecture.
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { GantryError, isGantryError } from '../errors.js';
import type { Store } from '../content/store.js';
import { collectBytes } from '../content/chunks.js';
import { isDigest, verifyStream, type Digest } from '../oci/digest.js';
import { parseManifest, type Descriptor } from '../oci/manifest.js';
import { formatPlatform, type Platform } from '../oci/platform.js';
import { parseReference } from '../oci/reference.js';
import { byteOrder } from '../order.js';

export const IMAGE_REFERENCES = 'release-manifests/image-references';
export const RELEASE_METADATA = 'release-manifests/release-metadata';
/** Neither file is large (a real 4.16 image-references is ~150 KB); a cap keeps a hostile layer from filling memory. */
const MAX_FILE = 16 * 1024 * 1024;

export interface ReleasePayload {
  /** The release version (release-metadata, else the ImageStream's name). */
  version: string;
  /** The platform architecture of this payload (amd64, arm64, ...). */
  arch: string;
  /** The single-architecture image the payload was read from. */
  digest: Digest;
  /** Component name → image by digest, sorted by name. */
  components: Map<string, string>;
  /** Versions this release updates from, when release-metadata lists them. */
  previous?: string[];
  /** The files asked for with ReadReleaseOptions.manifests that the payload has (path → bytes). */
  manifests?: Map<string, Uint8Array>;
}

export interface ReleaseImage {
  /** The digest of the image as named (an index for a multi-arch release). */
  digest: Digest;
  mediaType: string;
  multiArch: boolean;
  /** One payload per architecture, in index order (one for a single-arch release). */
  payloads: ReleasePayload[];
}

export interface ReadReleaseOptions {
  signal?: AbortSignal;
  /** Only this architecture of a multi-arch release (platform spelling: amd64, arm64, ...). */
  arch?: string;
  /**
   * More payload files to return, read in the same pass (e.g. release-manifests/0000_50_installer_coreos-bootimages.yaml).
   * A file that is absent is simply not in ReleasePayload.manifests.
   */
  manifests?: readonly string[];
}

/** Cincinnati/oc-mirror spell architectures in release tags as the kernel does: 4.16.1-x86_64. */
const TAG_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', ppc64le: 'ppc64le', s390x: 's390x', multi: 'multi' };

/** The arch as release tags spell it (amd64 → x86_64, arm64 → aarch64, multi stays multi). */
export function releaseTagArch(arch: string): string {
  return TAG_ARCH[arch] ?? arch;
}

/** Parses image-references: an ImageStream whose spec.tags[] name the components, from.name the image by digest. */
export function parseImageReferences(bytes: Uint8Array, where: string): { name?: string; components: Map<string, string> } {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new GantryError('RELEASE_INVALID', `${where}: ${IMAGE_REFERENCES} is not JSON: ${(err as Error).message}`);
  }
  const o = (doc ?? {}) as { kind?: unknown; metadata?: { name?: unknown }; spec?: { tags?: unknown } };
  if (o.kind !== 'ImageStream' || !Array.isArray(o.spec?.tags)) {
    throw new GantryError('RELEASE_INVALID', `${where}: ${IMAGE_REFERENCES} is not an ImageStream with spec.tags`);
  }
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  for (const [n, t] of (o.spec.tags as unknown[]).entries()) {
    const tag = (t ?? {}) as { name?: unknown; from?: { kind?: unknown; name?: unknown } };
    if (typeof tag.name !== 'string' || tag.name === '') throw new GantryError('RELEASE_INVALID', `${where}: ${IMAGE_REFERENCES} spec.tags[${n}] has no name`);
    const image = tag.from?.name;
    if (typeof image !== 'string' || image === '') throw new GantryError('RELEASE_INVALID', `${where}: component ${tag.name} has no image (spec.tags[${n}].from.name)`);
    // A release pins every component by digest: a tag could move under the cluster after it was mirrored.
    let digest: string | undefined;
    try {
      digest = parseReference(image).digest;
    } catch (err) {
      throw new GantryError('RELEASE_INVALID', `${where}: component ${tag.name}: ${(err as Error).message}`);
    }
    if (!digest || !isDigest(digest)) {
      throw new GantryError('RELEASE_INVALID', `${where}: component ${tag.name} is not pinned by digest (${image})`, { hint: 'a release payload names every component image by digest; rebuild the release with oc adm release new' });
    }
    if (seen.has(tag.name)) throw new GantryError('RELEASE_INVALID', `${where}: component ${tag.name} is listed twice in ${IMAGE_REFERENCES}`);
    seen.add(tag.name);
    entries.push([tag.name, image]);
  }
  entries.sort((a, b) => byteOrder(a[0], b[0]));
  const name = typeof o.metadata?.name === 'string' && o.metadata.name !== '' ? o.metadata.name : undefined;
  return { ...(name ? { name } : {}), components: new Map(entries) };
}

/** Parses release-metadata (kind cincinnati-metadata-v0): the version and the versions it updates from. */
export function parseReleaseMetadata(bytes: Uint8Array, where: string): { version?: string; previous?: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new GantryError('RELEASE_INVALID', `${where}: ${RELEASE_METADATA} is not JSON: ${(err as Error).message}`);
  }
  const o = (doc ?? {}) as { version?: unknown; previous?: unknown };
  const previous = Array.isArray(o.previous) ? o.previous.filter((p): p is string => typeof p === 'string') : undefined;
  return { ...(typeof o.version === 'string' && o.version !== '' ? { version: o.version } : {}), ...(previous ? { previous } : {}) };
}

const cleanPath = (name: string) => name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');

/** The wanted files a layer holds (whiteouts and other entries skipped), reading the layer as a (gzip) tar. */
async function readLayerFiles(store: Store, layer: Descriptor, wanted: ReadonlySet<string>, signal?: AbortSignal): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  const source = Readable.from(verifyStream(await store.fetchBlob(layer, signal ? { signal } : {}), layer.digest, layer.size));
  // Release layers are gzip tars in practice; the magic bytes decide, so an uncompressed tar works too.
  const input = /gzip/.test(layer.mediaType) || layer.mediaType === 'application/vnd.docker.image.rootfs.diff.tar.gzip' ? source.pipe(createGunzip()) : source;
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const name = cleanPath(header.name);
      if (!wanted.has(name) || (header.type !== 'file' && header.type !== 'contiguous-file')) {
        stream.on('end', next);
        stream.resume();
        return;
      }
      collectBytes(stream as AsyncIterable<Uint8Array>, MAX_FILE, `${name} in layer ${layer.digest}`).then((bytes) => {
        found.set(name, bytes);
        next();
      }, reject);
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
    input.on('error', reject);
  });
  input.pipe(ex);
  try {
    await done;
  } catch (err) {
    if (isGantryError(err) || signal?.aborted) throw err;
    throw new GantryError('LAYER_INVALID', `layer ${layer.digest} (${layer.mediaType}) cannot be read: ${(err as Error).message}`, { cause: err });
  } finally {
    source.destroy();
    if (input !== source) input.destroy();
  }
  return found;
}

/** Reads one single-architecture release image: the files from the last layer that has each. */
async function readPayload(store: Store, digest: Digest, where: string, platform: Platform | undefined, extra: readonly string[], signal?: AbortSignal): Promise<ReleasePayload> {
  const fetched = await store.fetchManifest(digest, signal ? { signal } : {});
  const m = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
  if (m.kind !== 'manifest') throw new GantryError('MANIFEST_UNSUPPORTED', `${where}: nested index (${digest})`);
  const wanted = new Set([IMAGE_REFERENCES, RELEASE_METADATA, ...extra]);
  const files = new Map<string, Uint8Array>();
  // Later layers win, so read from the top down and stop once every file is found: the payload files sit in the
  // release image's top layer while its base layers hold hundreds of megabytes that need not be read. An extra
  // file that is absent would otherwise send the search through every base layer; `oc adm release new` writes
  // release-manifests/ as one layer, so the search also stops once image-references and release-metadata are found.
  for (const layer of [...m.layers].reverse()) {
    const left = new Set([...wanted].filter((f) => !files.has(f)));
    if (left.size === 0 || (files.has(IMAGE_REFERENCES) && files.has(RELEASE_METADATA))) break;
    for (const [k, v] of await readLayerFiles(store, layer, left, signal)) files.set(k, v);
  }
  const refs = files.get(IMAGE_REFERENCES);
  if (!refs) {
    throw new GantryError('RELEASE_INVALID', `${where} is not a release image: no ${IMAGE_REFERENCES} in its layers${platform ? ` (${formatPlatform(platform)})` : ''}`, {
      hint: 'name an OpenShift or OKD release image, e.g. quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64',
    });
  }
  const parsed = parseImageReferences(refs, where);
  const meta = files.has(RELEASE_METADATA) ? parseReleaseMetadata(files.get(RELEASE_METADATA)!, where) : {};
  const version = meta.version ?? parsed.name;
  if (!version) throw new GantryError('RELEASE_INVALID', `${where}: no version (neither ${RELEASE_METADATA} nor the ImageStream's name gives one)`);
  let arch = platform?.architecture;
  if (!arch) {
    const cfg = JSON.parse((await collectBytes(verifyStream(await store.fetchBlob(m.config, signal ? { signal } : {}), m.config.digest, m.config.size), MAX_FILE, 'image config')).toString('utf8')) as { architecture?: unknown };
    arch = typeof cfg.architecture === 'string' && cfg.architecture !== '' ? cfg.architecture : 'amd64';
  }
  const manifests = new Map(extra.flatMap((f) => (files.has(f) ? [[f, files.get(f)!] as const] : [])));
  return { version, arch, digest, components: parsed.components, ...(meta.previous ? { previous: meta.previous } : {}), ...(extra.length > 0 ? { manifests } : {}) };
}

/**
 * Reads a release image by tag or digest: one payload for a single-arch release, one per architecture of a
 * multi-arch release (its index's image manifests; attestation and unknown-platform entries skipped).
 */
export async function readReleaseImage(store: Store, reference: string, opts: ReadReleaseOptions = {}): Promise<ReleaseImage> {
  const { signal } = opts;
  const where = `${store.location}${isDigest(reference) ? '@' : ':'}${reference}`;
  const fetched = await store.fetchManifest(reference, signal ? { signal } : {});
  const m = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
  const top = { digest: fetched.descriptor.digest, mediaType: fetched.descriptor.mediaType };
  if (m.kind === 'manifest') {
    const p = await readPayload(store, top.digest, where, undefined, opts.manifests ?? [], signal);
    if (opts.arch && p.arch !== opts.arch) throw new GantryError('PLATFORM_NOT_FOUND', `${where} is a ${p.arch} release, not ${opts.arch}`);
    return { ...top, multiArch: false, payloads: [p] };
  }
  const children = m.manifests.filter((d) => d.platform && d.platform.architecture !== 'unknown' && (!opts.arch || d.platform.architecture === opts.arch));
  if (children.length === 0) {
    const archs = m.manifests.flatMap((d) => (d.platform && d.platform.architecture !== 'unknown' ? [d.platform.architecture] : []));
    throw new GantryError('PLATFORM_NOT_FOUND', `${where} has no ${opts.arch ?? 'image'} manifest`, { ...(archs.length ? { hint: `architectures: ${archs.join(', ')}` } : {}) });
  }
  const payloads: ReleasePayload[] = [];
  for (const c of children) payloads.push(await readPayload(store, c.digest, where, c.platform, opts.manifests ?? [], signal));
  return { ...top, multiArch: true, payloads };
}

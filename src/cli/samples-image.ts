// Samples inputs read from images: the Cluster Samples Operator image (its assets under /opt/openshift/operator in
// its layers) or a release payload (its cluster-samples-operator component, then that image); and payload components.
//
// Facts (openshift/cluster-samples-operator Dockerfile and manifests/image-references at eee95ba, read not copied):
// the operator image COPYs assets/operator/ocp-<arch> to /opt/openshift/operator/<arch> for every architecture (OKD's
// Dockerfile.okd its okd-<arch> to the same place); the payload names the image as component
// `cluster-samples-operator`. Release images carry the label io.openshift.release (oc adm release new).
import { readImageFiles } from '../catalog-image/image-tree.js';
import type { FileTree } from '../catalog/fbc/file-tree.js';
import type { Store } from '../content/store.js';
import { GantryError, isGantryError } from '../errors.js';
import { formatReference, parseReference, type Reference } from '../oci/reference.js';
import { IMAGE_REFERENCES, readReleaseImage, type ReleasePayload } from '../release/index.js';
import type { RegistryAccess, RegistrySession } from '../registry/registry-session.js';
import { readSamplesTree, type SamplesSet } from '../samples/index.js';
import { openLocation, parseImageLocation, type ImageLocation } from './locations.js';
import { accessFrom, openSession } from './registry-flags.js';

export const OPERATOR_ASSETS_ROOT = 'opt/openshift/operator';
export const SAMPLES_OPERATOR_COMPONENT = 'cluster-samples-operator';
export const MUST_GATHER_COMPONENT = 'must-gather';
const RELEASE_LABEL = 'io.openshift.release';
/** oc-mirror v2 puts a release's components in <mirror>/openshift/release next to <mirror>/openshift/release-images. */
const MIRRORED_RELEASE_REPO = /(^|\/)release-images$/;

/** `docker://REF` and `oci:PATH[:REF]` always; a bare reference only when it names a registry host (no file has). */
export function isImageInput(text: string): boolean {
  if (/^(docker:\/\/|oci:)/.test(text)) return true;
  const slash = text.indexOf('/');
  if (slash <= 0) return false;
  const first = text.slice(0, slash);
  if (!(first.includes('.') || first.includes(':') || first === 'localhost')) return false;
  try {
    parseReference(text);
    return /[:@][^/]+$/.test(text.slice(slash));
  } catch {
    return false;
  }
}

/** Opens image locations with one registry session, made on first use (reading files needs none). */
export interface ImageOpener {
  open(loc: ImageLocation): Promise<{ store: Store; reference: string }>;
  close(): Promise<void>;
}

/** The command's registry flags (`prefix` '' or 'src' for samples mirror's source side) → an opener. */
export function createImageOpener(opts: Record<string, unknown>, prefix: '' | 'src' = ''): ImageOpener {
  let session: Promise<RegistrySession> | undefined;
  let access: RegistryAccess | undefined;
  return {
    async open(loc) {
      session ??= openSession(opts);
      access ??= accessFrom(opts, prefix);
      const opened = await openLocation(loc, await session, access);
      if (!opened.reference) throw new GantryError('USAGE', `${loc.text} names no tag or digest`);
      return { store: opened.store, reference: opened.reference };
    },
    async close() {
      if (session) await (await session).close();
    },
  };
}

class ReleaseLabelled extends Error {}

/** The operator's assets below OPERATOR_ASSETS_ROOT, or undefined for a release image (seen by its label) or none. */
async function readAssets(store: Store, reference: string, signal?: AbortSignal): Promise<{ tree?: FileTree; release: boolean }> {
  try {
    const { tree } = await readImageFiles(
      store,
      reference,
      (labels) => {
        // Read no layer of a release image for assets: its payload sits in its top layer (release/payload.ts).
        if (labels[RELEASE_LABEL] !== undefined) throw new ReleaseLabelled();
        return OPERATOR_ASSETS_ROOT;
      },
      signal ? { signal } : {},
    );
    return (await tree.list()).length > 0 ? { tree, release: false } : { release: false };
  } catch (err) {
    if (err instanceof ReleaseLabelled) return { release: true };
    throw err;
  }
}

export interface SamplesImageRead {
  set: SamplesSet;
  /** What was read, for a note on stderr: "the samples operator image …" or "release 4.16.1 → …". */
  description: string;
}

const NEITHER_HINT =
  'give the cluster-samples-operator image (its assets are under /opt/openshift/operator/<arch>/) or an OpenShift/OKD release image (its cluster-samples-operator component is read), e.g. docker://quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64';

/**
 * Reads the samples from an image given as --from: the operator image's assets, or, for a release payload, its
 * cluster-samples-operator component's. Only files below /opt/openshift/operator are kept; layers are streamed.
 */
export async function readSamplesImage(text: string, opener: ImageOpener, opts: { signal?: AbortSignal } = {}): Promise<SamplesImageRead> {
  const loc = parseImageLocation(text);
  const { store, reference } = await opener.open(loc);
  const assets = await readAssets(store, reference, opts.signal);
  if (assets.tree) {
    return { set: await readSamplesTree(assets.tree, `${text}:/${OPERATOR_ASSETS_ROOT}`, opts), description: `the samples operator image ${text}` };
  }
  let payload: ReleasePayload;
  try {
    payload = pickPayload((await readReleaseImage(store, reference, opts)).payloads);
  } catch (err) {
    // Only "no image-references in its layers" means "not a release": a damaged payload's own error is kept.
    if (!assets.release && isGantryError(err, 'RELEASE_INVALID') && err.message.includes(`no ${IMAGE_REFERENCES} in its layers`)) {
      throw new GantryError('CONFIG_INVALID', `${text} is neither the samples operator image (no files under /${OPERATOR_ASSETS_ROOT}/ in its layers) nor a release payload (no release-manifests/image-references)`, { hint: NEITHER_HINT });
    }
    throw err;
  }
  const component = componentOf(payload, SAMPLES_OPERATOR_COMPONENT, text);
  const found = await openComponent(component, loc, opener, opts.signal);
  const inner = await readAssets(found.store, found.reference, opts.signal);
  if (!inner.tree) {
    throw new GantryError('CONFIG_INVALID', `release ${payload.version}'s ${SAMPLES_OPERATOR_COMPONENT} image ${found.text} has no files under /${OPERATOR_ASSETS_ROOT}/`, {
      hint: 'the payload names another image than the samples operator: check it with gantry release info',
    });
  }
  return {
    set: await readSamplesTree(inner.tree, `${found.text}:/${OPERATOR_ASSETS_ROOT}`, opts),
    description: `release ${payload.version} (${payload.arch}): its ${SAMPLES_OPERATOR_COMPONENT} image ${found.text}`,
  };
}

/** amd64's payload of a multi-arch release (every payload names the same samples), else the only one. */
function pickPayload(payloads: readonly ReleasePayload[]): ReleasePayload {
  return payloads.find((p) => p.arch === 'amd64') ?? payloads[0]!;
}

function componentOf(payload: ReleasePayload, name: string, text: string): string {
  const image = payload.components.get(name);
  if (image === undefined) {
    const names = [...payload.components.keys()];
    throw new GantryError('NOT_FOUND', `release ${payload.version} (${text}) has no ${name} component in its image-references`, {
      hint: `${names.length} components${names.length ? `, e.g. ${names.slice(0, 8).join(', ')}` : ''}; an OKD/OCP release payload lists ${name}`,
    });
  }
  return image;
}

/**
 * Where a payload component can be read, by its digest (so any copy is the same content): as the payload names it
 * and, for a release read from a mirror, the places mirroring puts components — oc-mirror's openshift/release next
 * to openshift/release-images, or the release's own repository (oc adm release mirror --to). The release's side
 * is asked first when it is another registry: a disconnected site reaches its mirror, not quay.io.
 */
export function componentCandidates(component: string, release: ImageLocation): ImageLocation[] {
  const named = parseReference(component);
  const digest = named.digest!;
  const asNamed: ImageLocation = { transport: 'docker', ref: named, text: `docker://${component}` };
  const near: ImageLocation[] = [];
  if (release.transport === 'oci') near.push({ transport: 'oci', path: release.path, reference: digest, text: `oci:${release.path}@${digest}` });
  else {
    const repos = [release.ref.repository.replace(MIRRORED_RELEASE_REPO, '$1release'), release.ref.repository];
    for (const repository of repos) {
      const ref: Reference = { registry: release.ref.registry, repository, digest };
      near.push({ transport: 'docker', ref, text: `docker://${formatReference(ref)}` });
    }
  }
  const sameRegistry = release.transport === 'docker' && release.ref.registry === named.registry;
  const all = sameRegistry ? [asNamed, ...near] : [...near, asNamed];
  const seen = new Set<string>();
  return all.filter((l) => (seen.has(l.text) ? false : (seen.add(l.text), true)));
}

async function openComponent(component: string, release: ImageLocation, opener: ImageOpener, signal?: AbortSignal): Promise<{ store: Store; reference: string; text: string }> {
  const tried: string[] = [];
  for (const loc of componentCandidates(component, release)) {
    const digest = loc.transport === 'docker' ? loc.ref.digest! : loc.reference!;
    try {
      const { store } = await opener.open(loc);
      if (await store.statManifest(digest, signal ? { signal } : {})) return { store, reference: digest, text: loc.text.replace(/^docker:\/\//, '') };
      tried.push(`${loc.text}: not there`);
    } catch (err) {
      if (signal?.aborted) throw err;
      tried.push(`${loc.text}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new GantryError('NOT_FOUND', `the payload's image ${component} was found nowhere (${tried.join('; ')})`, {
    hint: 'mirror the release first (gantry mirror with a platform release), or give the component image itself with --from docker://IMAGE@DIGEST',
  });
}

/**
 * A release payload's component image by digest, as the payload names it (`oc adm release info --image-for NAME`):
 * `--release` on the samples commands resolves must-gather so.
 */
export async function releaseComponent(text: string, name: string, opener: ImageOpener, opts: { signal?: AbortSignal } = {}): Promise<{ image: string; version: string }> {
  const { store, reference } = await opener.open(parseImageLocation(text));
  const payload = pickPayload((await readReleaseImage(store, reference, opts)).payloads);
  // parseImageReferences has refused any component not pinned by digest.
  return { image: componentOf(payload, name, text), version: payload.version };
}

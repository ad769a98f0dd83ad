// The samples mirror plan: each selected DockerImage tag as {imagestream, tag, image}, the images once each with
// where the operator will pull them under samplesRegistry, and the ImageSetConfiguration fragment for gantry mirror.
import { isGantryError } from '../errors.js';
import { byteOrder } from '../order.js';
import { parseReference } from '../oci/reference.js';
import type { SampleArchitecture, SamplesIssue, SamplesPlanEntry, SamplesSet } from './samples-model.js';
import { operatorPullSpec, type SamplesMirror } from './samples-registry.js';

export interface PlannedImage {
  /** The source pull spec, as the inputs write it. */
  image: string;
  /** Every imagestream tag that imports it ("ruby:3.3-ubi9"), sorted. */
  usedBy: string[];
  /** Architectures of the asset trees it came from (empty when the input names none). */
  architectures: SampleArchitecture[];
  /** With a mirror: where the operator pulls it once samplesRegistry is set (operatorPullSpec). */
  destination?: string;
  /**
   * The repository path below the mirror's prefix when it differs from the source's path (the operator's rule and
   * gantry mirror's naming disagree: docker.io's library/, no "/" or more than two); the ISC's targetRepo.
   */
  targetRepo?: string;
  /**
   * Another source lands at the same destination (the rewrite drops the host: registry.redhat.io/ubi8/x and
   * registry.access.redhat.com/ubi8/x are one path under the mirror): that image is mirrored, this one is not.
   */
  sameDestinationAs?: string;
}

export interface SamplesPlan {
  /** One per selected tag with an image, aliases left out (they import their target's image); sorted. */
  entries: SamplesPlanEntry[];
  /** One per distinct image; sorted by image. */
  images: PlannedImage[];
  mirror?: SamplesMirror;
  issues: SamplesIssue[];
}

export function planSamples(set: SamplesSet, opts: { mirror?: SamplesMirror } = {}): SamplesPlan {
  const issues = [...set.issues];
  const entries = new Map<string, SamplesPlanEntry>();
  const images = new Map<string, PlannedImage>();
  for (const s of set.imagestreams) {
    for (const t of s.tags) {
      if (t.from.kind !== 'DockerImage' || t.image === undefined) continue;
      const entry: SamplesPlanEntry = { imagestream: s.name, tag: t.tag, image: t.image };
      entries.set(`${s.name}\u0000${t.tag}\u0000${t.image}`, entry);
      let img = images.get(t.image);
      if (!img) {
        img = { image: t.image, usedBy: [], architectures: [] };
        images.set(t.image, img);
      }
      const use = `${s.name}:${t.tag}`;
      if (!img.usedBy.includes(use)) img.usedBy.push(use);
      if (s.architecture !== undefined && !img.architectures.includes(s.architecture)) img.architectures.push(s.architecture);
    }
  }
  const plan: SamplesPlan = {
    entries: [...entries.values()].sort((a, b) => byteOrder(a.imagestream, b.imagestream) || byteOrder(a.tag, b.tag) || byteOrder(a.image, b.image)),
    images: [...images.values()].sort((a, b) => byteOrder(a.image, b.image)),
    issues,
  };
  for (const img of plan.images) {
    img.usedBy.sort(byteOrder);
    img.architectures.sort(byteOrder);
  }
  if (opts.mirror) {
    plan.mirror = opts.mirror;
    for (const img of plan.images) nameDestination(img, opts.mirror, issues, set);
  } else {
    for (const img of plan.images) nameBelowAnyMirror(img, issues, set);
  }
  findSharedDestinations(plan, set);
  return plan;
}

/**
 * Stands for samplesRegistry when none is given: the operator's rewrite keeps everything after the registry it
 * puts in front, so the path below any mirror (and so targetRepo) is the same whatever the mirror is. A reserved
 * name (RFC 2606 .invalid) that no pull spec starts with, so the "already at samplesRegistry" rule never applies.
 */
const ANY_MIRROR = 'samples-mirror.invalid';

/** The operator's path for a pull spec below samplesRegistry ("ruby:2.7" → "ruby:2.7", "a/b/c:1" → "b/c:1"). */
function belowMirror(image: string): string {
  return operatorPullSpec(image, ANY_MIRROR).slice(ANY_MIRROR.length + 1);
}

/** gantry mirror puts a source at <mirror>/<source repository>: where the operator's path differs, targetRepo says it. */
function setTargetRepo(img: PlannedImage, below: string): void {
  let sourceRepo: string | undefined;
  try {
    sourceRepo = parseReference(img.image).repository;
  } catch {
    sourceRepo = undefined;
  }
  if (below !== sourceRepo) img.targetRepo = below;
}

/**
 * Without --mirror the ISC must still put each image where the operator will pull it under any samplesRegistry
 * (gantry mirror -c … docker://HOST[/PREFIX] puts targetRepo below the prefix): docker.io's "ruby:2.7" is
 * library/ruby to gantry mirror but ruby to the operator. A path that is no repository is said once, as a warning.
 */
function nameBelowAnyMirror(img: PlannedImage, issues: SamplesIssue[], set: SamplesSet): void {
  let below;
  try {
    below = parseReference(`${ANY_MIRROR}/${belowMirror(img.image)}`, { defaultTag: null }).repository;
  } catch (err) {
    if (!isGantryError(err)) throw err;
    const [imagestream, tag] = img.usedBy[0]!.split(':') as [string, string];
    const at = locateTag(set, imagestream, tag, img.image);
    issues.push({
      severity: 'warning',
      code: 'DESTINATION_INVALID',
      message: `under any samplesRegistry the operator would pull <samplesRegistry>/${belowMirror(img.image)}, which is no image reference (${err.message}): mirror this image by hand or skip the imagestream`,
      file: at?.file ?? '(input)',
      ...(at?.line === undefined ? {} : { line: at.line }),
      imagestream,
      tag,
    });
    return;
  }
  setTargetRepo(img, below);
}

/**
 * The destination is what the operator will pull (operatorPullSpec), so it is right by construction; gantry
 * mirror puts a source at <mirror>/<source repository>, so where the two differ the ISC entry carries targetRepo.
 * A destination that is no valid reference (a host:port inside the path) cannot be mirrored: an error on the tags.
 */
function nameDestination(img: PlannedImage, mirror: SamplesMirror, issues: SamplesIssue[], set: SamplesSet): void {
  const destination = operatorPullSpec(img.image, mirror.samplesRegistry);
  let dest;
  try {
    dest = parseReference(destination, { defaultTag: null });
  } catch (err) {
    if (!isGantryError(err)) throw err;
    for (const use of img.usedBy) {
      const [imagestream, tag] = use.split(':') as [string, string];
      const at = locateTag(set, imagestream, tag, img.image);
      issues.push({
        severity: 'error',
        code: 'DESTINATION_INVALID',
        message: `under samplesRegistry ${mirror.samplesRegistry} the operator would pull ${destination}, which is no image reference (${err.message}); mirror this image by hand or skip the imagestream`,
        file: at?.file ?? '(input)',
        ...(at?.line === undefined ? {} : { line: at.line }),
        imagestream,
        tag,
      });
    }
    return;
  }
  img.destination = destination;
  if (dest.registry !== mirror.registry) return;
  const below = mirror.prefix === '' ? dest.repository : dest.repository.slice(mirror.prefix.length + 1);
  setTargetRepo(img, below);
}

/** Where the tag importing `image` was read (of any architecture). */
function locateTag(set: SamplesSet, imagestream: string, tag: string, image: string): { file: string; line?: number } | undefined {
  for (const s of set.imagestreams) {
    if (s.name !== imagestream) continue;
    const t = s.tags.find((x) => x.tag === tag && x.image === image);
    if (t) return t.at;
  }
  return undefined;
}

/** Where an image lands below the mirror: its destination, or (without a mirror) the operator's path below any. */
function landingOf(img: PlannedImage, mirrored: boolean): string | undefined {
  if (mirrored) return img.destination;
  try {
    const ref = parseReference(`${ANY_MIRROR}/${belowMirror(img.image)}`);
    return `${ref.repository}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
  } catch {
    return undefined;
  }
}

function findSharedDestinations(plan: SamplesPlan, set: SamplesSet): void {
  const first = new Map<string, PlannedImage>();
  for (const img of plan.images) {
    const landing = landingOf(img, plan.mirror !== undefined);
    if (landing === undefined) continue;
    const prior = first.get(landing);
    if (!prior) {
      first.set(landing, img);
      continue;
    }
    img.sameDestinationAs = prior.image;
    const [imagestream, tag] = img.usedBy[0]!.split(':') as [string, string];
    const at = locateTag(set, imagestream, tag, img.image);
    plan.issues.push({
      severity: 'warning',
      code: 'DESTINATION_SHARED',
      message: `${img.image} lands at the same place as ${prior.image} (${landing}; the host is not part of the mirrored path): only ${prior.image} is mirrored, make sure both are the same image`,
      file: at?.file ?? '(input)',
      ...(at?.line === undefined ? {} : { line: at.line }),
      imagestream,
      tag,
    });
  }
}

/** The apiVersion of the ImageSetConfiguration fragment (oc-mirror v2; gantry mirror reads it). */
export const ISC_API_VERSION = 'mirror.openshift.io/v2alpha1';

/** An ImageSetConfiguration with mirror.additionalImages: one entry per image (targetRepo where needed). */
export function imageSetFragment(plan: SamplesPlan): Record<string, unknown> {
  return {
    kind: 'ImageSetConfiguration',
    apiVersion: ISC_API_VERSION,
    mirror: {
      additionalImages: plan.images.filter((i) => i.sameDestinationAs === undefined && (plan.mirror === undefined || i.destination !== undefined)).map((i) => ({ name: i.image, ...(i.targetRepo === undefined ? {} : { targetRepo: i.targetRepo }) })),
    },
  };
}

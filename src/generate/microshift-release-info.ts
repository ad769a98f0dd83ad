// MicroShift's own images, as the microshift-release-info package lists them in release-<arch>.json
// ({"release": {"base": "4.x.y"}, "images": {"name": "registry/repo@sha256:…"}}), turned into blueprint images.
import { GantryError } from '../errors.js';
import { parseReference } from '../oci/reference.js';
import type { BlueprintImage } from './microshift-blueprint.js';

export interface ReleaseInfo {
  /** release.base: the OpenShift version MicroShift is built from. */
  base: string;
  images: BlueprintImage[];
}

function lineOf(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

const invalid = (file: string, message: string) =>
  new GantryError('CONFIG_INVALID', `${file}: ${message}`, { hint: 'pass the release-<arch>.json of the microshift-release-info package (/usr/share/microshift/release)' });

/** Parses release-<arch>.json; every image must be a valid reference (they are by digest in the package). */
export function parseReleaseInfo(text: string, file: string): ReleaseInfo {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    throw invalid(at ? `${file}:${lineOf(text, Number(at[1]))}` : file, `invalid JSON: ${(err as Error).message}`);
  }
  const root = doc as { release?: { base?: unknown }; images?: unknown };
  if (typeof root !== 'object' || root === null || typeof root.images !== 'object' || root.images === null || Array.isArray(root.images)) {
    throw invalid(file, 'no "images" object: not a MicroShift release-<arch>.json');
  }
  const base = typeof root.release?.base === 'string' ? root.release.base : '';
  const images: BlueprintImage[] = [];
  for (const [name, value] of Object.entries(root.images as Record<string, unknown>)) {
    if (typeof value !== 'string') throw invalid(file, `images.${name} is not a string`);
    let source;
    try {
      source = parseReference(value, { defaultTag: null });
    } catch (err) {
      throw invalid(file, `images.${name}: ${(err as Error).message}`);
    }
    images.push({ source, ...(source.digest ? { digest: source.digest } : {}), names: [name] });
  }
  return { base, images };
}

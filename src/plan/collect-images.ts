// The images a (selected) catalog needs mirrored, each with why: bundle images and every relatedImages entry,
// deduplicated by reference, with every package/channel/bundle path that asks for it (what plan.json shows).
import { byteOrder } from '../order.js';
import type { DeclarativeConfig } from '../catalog/fbc/types.js';
import { parseReference, type Reference } from '../oci/reference.js';

export interface ImageReason {
  catalog: string;
  package: string;
  channels: string[];
  bundle: string;
  /** "bundle" for the bundle image itself, else the relatedImages name ("" when unnamed). */
  as: string;
}

export interface CollectedImage {
  /** The reference as the catalog writes it. */
  image: string;
  ref: Reference;
  reasons: ImageReason[];
}

export interface CollectIssue {
  code: 'IMAGE_REFERENCE_INVALID';
  message: string;
  package: string;
  bundle: string;
}

/** Every image of every bundle in the catalog (run it on the selected catalog), sorted by reference. */
export function collectCatalogImages(catalog: DeclarativeConfig, catalogName: string): { images: CollectedImage[]; issues: CollectIssue[] } {
  const channelsOf = new Map<string, string[]>();
  for (const c of catalog.channels) {
    for (const e of c.entries ?? []) {
      const key = `${c.package}\n${e.name}`;
      channelsOf.set(key, [...(channelsOf.get(key) ?? []), c.name].sort(byteOrder));
    }
  }
  const byImage = new Map<string, CollectedImage>();
  const issues: CollectIssue[] = [];
  const add = (image: string, reason: ImageReason) => {
    if (image === '') return;
    let entry = byImage.get(image);
    if (!entry) {
      let ref: Reference;
      try {
        ref = parseReference(image, { defaultTag: null });
      } catch (err) {
        issues.push({ code: 'IMAGE_REFERENCE_INVALID', message: `${reason.bundle}: ${(err as Error).message}`, package: reason.package, bundle: reason.bundle });
        return;
      }
      entry = { image, ref, reasons: [] };
      byImage.set(image, entry);
    }
    entry.reasons.push(reason);
  };
  for (const b of catalog.bundles) {
    const base = { catalog: catalogName, package: b.package, channels: channelsOf.get(`${b.package}\n${b.name}`) ?? [], bundle: b.name };
    add(b.image, { ...base, as: 'bundle' });
    // The bundle image is usually listed among relatedImages too (opm adds it unnamed): one entry, two reasons.
    for (const r of b.relatedImages ?? []) if (r.image !== b.image) add(r.image, { ...base, as: r.name });
  }
  const images = [...byImage.values()].sort((a, b) => byteOrder(a.image, b.image));
  for (const i of images) i.reasons.sort((a, b) => byteOrder(a.package, b.package) || byteOrder(a.bundle, b.bundle) || byteOrder(a.as, b.as));
  return { images, issues };
}

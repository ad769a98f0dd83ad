// The images a MicroShift device needs for operators of a catalog, chosen as the documented jq recipe chooses them:
// every bundle of a package (or of the catalog), narrowed by channel and version, and each bundle's related images.
import { byteOrder } from '../catalog/fbc/file-tree.js';
import type { Bundle, DeclarativeConfig } from '../catalog/fbc/types.js';
import { compareVersions, parseVersionTolerant, tryParseVersion, type Version } from '../catalog/semver/index.js';
import { GantryError } from '../errors.js';
import { parseReference } from '../oci/reference.js';
import type { BlueprintImage } from './microshift-blueprint.js';

export interface BundleSelection {
  /** Only this package (the recipe's `select(.package == P)`). */
  package?: string;
  /** Only bundles in this channel's entries. */
  channel?: string;
  /** Inclusive version bounds on the bundle's olm.package version. */
  minVersion?: string;
  maxVersion?: string;
}

export interface CatalogImages {
  images: BlueprintImage[];
  /** How many bundles were selected. */
  bundles: number;
  /** Related images whose reference does not parse: named with their bundle, left out. */
  invalid: string[];
}

function bundleVersion(b: Bundle): Version | undefined {
  const p = b.properties?.find((x) => x.type === 'olm.package');
  const v = (p?.value as { version?: unknown } | undefined)?.version;
  return typeof v === 'string' ? tryParseVersion(v) : undefined;
}

function bound(text: string | undefined, flag: string): Version | undefined {
  if (text === undefined) return undefined;
  try {
    return parseVersionTolerant(text);
  } catch {
    throw new GantryError('USAGE', `${flag} "${text}" is not a version`, { hint: 'e.g. 1.2.0' });
  }
}

/** The selected bundles, by the recipe's filters; unknown packages and channels are errors, not empty output. */
export function selectBundles(config: DeclarativeConfig, sel: BundleSelection): Bundle[] {
  const min = bound(sel.minVersion, '--min-version');
  const max = bound(sel.maxVersion, '--max-version');
  if (sel.package !== undefined && !config.packages.some((p) => p.name === sel.package) && !config.bundles.some((b) => b.package === sel.package)) {
    throw new GantryError('NOT_FOUND', `package "${sel.package}" is not in the catalog`);
  }
  let inChannel: Set<string> | undefined;
  if (sel.channel !== undefined) {
    const channels = config.channels.filter((c) => c.name === sel.channel && (sel.package === undefined || c.package === sel.package));
    if (channels.length === 0) throw new GantryError('NOT_FOUND', `channel "${sel.channel}" is not in ${sel.package ? `package "${sel.package}"` : 'the catalog'}`);
    inChannel = new Set(channels.flatMap((c) => (c.entries ?? []).map((e) => `${c.package}\0${e.name}`)));
  }
  return config.bundles.filter((b) => {
    if (sel.package !== undefined && b.package !== sel.package) return false;
    if (inChannel && !inChannel.has(`${b.package}\0${b.name}`)) return false;
    if (min || max) {
      const v = bundleVersion(b);
      if (!v) return false;
      if (min && compareVersions(v, min) < 0) return false;
      if (max && compareVersions(v, max) > 0) return false;
    }
    return true;
  });
}

/** Each selected bundle's image and related images, merged by reference with every name they are given. */
export function catalogBlueprintImages(config: DeclarativeConfig, sel: BundleSelection): CatalogImages {
  const bundles = selectBundles(config, sel);
  const byRef = new Map<string, BlueprintImage>();
  const invalid: string[] = [];
  const add = (image: string, name: string | undefined, bundle: string) => {
    if (image === '') return;
    let entry = byRef.get(image);
    if (!entry) {
      let source;
      try {
        source = parseReference(image, { defaultTag: null });
      } catch (err) {
        invalid.push(`${bundle}: ${(err as Error).message}`);
        return;
      }
      // A reference with neither tag nor digest pulls "latest": it is a tag reference all the same.
      if (!source.tag && !source.digest) source.tag = 'latest';
      entry = { source, ...(source.digest ? { digest: source.digest } : {}), names: [] };
      byRef.set(image, entry);
    }
    // The bundle image itself carries no related-image name: it never marks an architecture.
    entry.names!.push(name ?? '');
  };
  for (const b of bundles) {
    add(b.image, undefined, b.name);
    for (const r of b.relatedImages ?? []) add(r.image, r.name ?? '', b.name);
  }
  const images = [...byRef.keys()].sort(byteOrder).map((k) => byRef.get(k)!);
  return { images, bundles: bundles.length, invalid };
}

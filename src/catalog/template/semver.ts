// The semver template (`olm.semver`): bundle lists per archetype read with opm's strict rules and expanded into a
// package, channels and bundles (OR:alpha/template/semver/semver.go readFile, Render, getVersionsFromChannel).
import type { DeclarativeConfig, Package } from '../fbc/types.js';
import { BundleVersionError, readBundlePackage } from '../graph/bundle-version.js';
import { formatVersion, quoteGoString, type Version } from '../../semver/index.js';
import { csvOfBundle, packageMetadataFromCsv } from './csv-metadata.js';
import { CHANNEL_ARCHETYPES, generateSemverChannels, type ChannelArchetype, type StreamKind } from './semver-channels.js';
import { decodeGoValue, keyForField, type GoType } from './go-json-decode.js';
import type { ReadContext } from './read-context.js';
import { renderBundles, type ExpandOptions, type TemplateDeps } from './render-bundles.js';
import { TemplateError } from './template-error.js';

export const SEMVER_SCHEMA = 'olm.semver';


export interface SemverBundleRef {
  image: string;
  /** The template line of this entry, when known. */
  line?: number;
}

export interface SemverTemplate {
  schema: typeof SEMVER_SCHEMA;
  /** Resolved as opm resolves them: neither flag set means minor channels only. */
  generateMajorChannels: boolean;
  generateMinorChannels: boolean;
  /** Resolved: defaults to the generated kind (minor when both are generated). */
  defaultChannelTypePreference: StreamKind;
  candidate: SemverBundleRef[];
  fast: SemverBundleRef[];
  stable: SemverBundleRef[];
  file?: string;
}

// opm's SemverTemplateData, decoded as sigs.k8s.io/yaml UnmarshalStrict does (unknown fields are errors).
const BUNDLE_ENTRY: GoType = { kind: 'struct', name: 'bundleEntry', type: 'semver.bundleEntry', fields: { image: { kind: 'string', type: 'string' } } };
const CHANNEL_BUNDLES: GoType = {
  kind: 'struct',
  name: 'channelBundles',
  type: 'semver.channelBundles',
  fields: { bundles: { kind: 'slice', type: '[]semver.bundleEntry', of: BUNDLE_ENTRY } },
};
const SEMVER_TYPE: GoType = {
  kind: 'struct',
  name: 'SemverTemplateData',
  type: 'semver.SemverTemplateData',
  fields: {
    schema: { kind: 'string', type: 'string' },
    generateMajorChannels: { kind: 'bool' },
    generateMinorChannels: { kind: 'bool' },
    defaultChannelTypePreference: { kind: 'string', type: 'semver.StreamType' },
    candidate: CHANNEL_BUNDLES,
    fast: CHANNEL_BUNDLES,
    stable: CHANNEL_BUNDLES,
  },
};

// sigs.k8s.io/yaml wraps every decoding error in these two prefixes.
const STRICT_PREFIX = 'error unmarshaling JSON: while decoding JSON: ';

interface SemverTemplateData {
  schema?: string;
  generateMajorChannels?: boolean;
  generateMinorChannels?: boolean;
  defaultChannelTypePreference?: string;
  candidate?: { bundles?: ({ image?: string } | undefined)[] };
  fast?: { bundles?: ({ image?: string } | undefined)[] };
  stable?: { bundles?: ({ image?: string } | undefined)[] };
}

/** Reads a parsed semver template document (opm's readFile); problems go to ctx.issues. */
export function readSemverTemplate(value: unknown, ctx: ReadContext): SemverTemplate | undefined {
  const before = ctx.issues.length;
  const { value: decoded, problems } = decodeGoValue(value, SEMVER_TYPE, { strict: true });
  for (const p of problems) ctx.fail(p.kind === 'unknown-field' ? 'template-field-unknown' : 'template-field-type', STRICT_PREFIX + p.message, p.path);
  if (decoded === undefined) return undefined;
  const data = decoded as SemverTemplateData;
  const keyOf = (field: string) => keyForField(value, field);
  if (ctx.issues.length > before) return undefined;

  if ((data.schema ?? '') !== SEMVER_SCHEMA) {
    ctx.fail('template-schema-unknown', `readFile: input file has unknown schema, should be ${quoteGoString(SEMVER_SCHEMA)}`, [keyOf('schema')]);
    return undefined;
  }
  let major = data.generateMajorChannels ?? false;
  let minor = data.generateMinorChannels ?? false;
  if (!major && !minor) minor = true;
  const prefPath = [keyOf('defaultChannelTypePreference')];
  let preference: StreamKind;
  switch (data.defaultChannelTypePreference ?? '') {
    case '':
      preference = minor ? 'minor' : 'major';
      break;
    case 'minor':
      if (!minor) {
        ctx.fail('template-schema-mismatch', "schema attribute mismatch: DefaultChannelTypePreference set to 'minor' doesn't make sense if not generating minor-version channels", prefPath);
        return undefined;
      }
      preference = 'minor';
      break;
    case 'major':
      if (!major) {
        ctx.fail('template-schema-mismatch', "schema attribute mismatch: DefaultChannelTypePreference set to 'major' doesn't make sense if not generating major-version channels", prefPath);
        return undefined;
      }
      preference = 'major';
      break;
    default:
      ctx.fail(
        'template-channel-preference',
        `unknown DefaultChannelTypePreference: ${quoteGoString(data.defaultChannelTypePreference!)}\nValid values are 'major' or 'minor'`,
        prefPath,
      );
      return undefined;
  }

  const refs = (arch: ChannelArchetype): SemverBundleRef[] => {
    const archKey = keyOf(arch);
    const list = data[arch]?.bundles ?? [];
    const bundlesKey = keyForField((value as Record<string, unknown>)[archKey], 'bundles');
    return list.map((b, i) => {
      const path = [archKey, bundlesKey, i];
      const image = b?.image ?? '';
      // opm would pass "" to the renderer and fail there; saying so here points at the line.
      if (image === '') ctx.fail('template-image-empty', `${arch} bundle ${i} has no image`, path);
      return { image, line: ctx.entryLineOf(path) };
    });
  };
  const template: SemverTemplate = {
    schema: SEMVER_SCHEMA,
    generateMajorChannels: major,
    generateMinorChannels: minor,
    defaultChannelTypePreference: preference,
    candidate: refs('candidate'),
    fast: refs('fast'),
    stable: refs('stable'),
    file: ctx.file,
  };
  return ctx.issues.length > before ? undefined : template;
}

// ---- expansion ----

const POST_PROCESS = 'render: unable to post-process bundle info: ';

/**
 * Expands a semver template: renders every bundle image (each once), reads the versions, generates and links
 * the channels, and sets the package's default channel, description and icon. Throws TemplateError.
 */
export async function expandSemverTemplate(doc: SemverTemplate, deps: TemplateDeps, opts: ExpandOptions = {}): Promise<DeclarativeConfig> {
  const refOf = new Map<string, SemverBundleRef>();
  for (const arch of CHANNEL_ARCHETYPES) for (const ref of doc[arch]) if (!refOf.has(ref.image)) refOf.set(ref.image, ref);
  const images = [...refOf.keys()];
  const at = (ref: SemverBundleRef | undefined, image?: string) => ({
    ...(doc.file ? { file: doc.file } : {}),
    ...(ref?.line !== undefined ? { line: ref.line } : {}),
    ...(image !== undefined ? { image } : {}),
  });

  const bundles = await renderBundles(images, deps, opts, (i, cause) => {
    const message = (cause as Error)?.message ?? String(cause);
    return new TemplateError('TEMPLATE_BUNDLE_RENDER_FAILED', message, { ...at(refOf.get(images[i]!), images[i]!), cause });
  });
  if (bundles.length === 0) throw new TemplateError('TEMPLATE_EMPTY', 'render: no bundles specified or no bundles could be rendered', at(undefined));
  const renderedImage = new Map(images.map((image, i) => [image, bundles[i]!.image]));

  const packages: Package[] = [];
  let packageName = '';
  const versions: Partial<Record<ChannelArchetype, Map<string, Version>>> = {};
  for (const arch of CHANNEL_ARCHETYPES) {
    const entries = new Map<string, Version>();
    const refByName = new Map<string, SemverBundleRef>();
    for (const ref of doc[arch]) {
      const fail = (message: string, cause?: unknown): never => {
        throw new TemplateError('TEMPLATE_BUNDLE_INVALID', POST_PROCESS + message, { ...at(ref, ref.image), ...(cause ? { cause } : {}) });
      };
      const b = bundles.find((x) => x.image === renderedImage.get(ref.image));
      if (b === undefined) return fail(`supplied bundle image name ${quoteGoString(ref.image)} not found in rendered bundle images`);
      let pkg;
      try {
        pkg = readBundlePackage(b);
      } catch (err) {
        if (err instanceof BundleVersionError) return fail(err.message, err);
        throw err;
      }
      if (packageName !== '') {
        if (pkg.packageName !== packageName) fail(`bundle ${quoteGoString(pkg.packageName)} does not belong to this package: ${quoteGoString(packageName)}`);
      } else {
        packages.push({ schema: 'olm.package', name: pkg.packageName, defaultChannel: '' });
        packageName = pkg.packageName;
      }
      if (entries.has(b.name)) fail(`duplicate bundle name ${quoteGoString(b.name)}`);
      entries.set(b.name, pkg.version);
      refByName.set(b.name, ref);
    }
    const conflict = buildMetadataConflict(entries);
    if (conflict !== undefined) {
      const ref = refByName.get(conflict.bundle);
      throw new TemplateError('TEMPLATE_BUNDLE_INVALID', POST_PROCESS + conflict.message, at(ref, ref?.image));
    }
    versions[arch] = entries;
  }

  const { channels, defaultChannel } = generateSemverChannels({
    packageName,
    generateMajorChannels: doc.generateMajorChannels,
    generateMinorChannels: doc.generateMinorChannels,
    defaultChannelTypePreference: doc.defaultChannelTypePreference,
    versions,
  });
  const pkg = packages[0]!;
  pkg.defaultChannel = defaultChannel;

  // The head of the default channel is its last entry (entries are in increasing version order).
  const head = channels.find((c) => c.name === defaultChannel)?.entries?.at(-1)?.name;
  const headBundle = head === undefined ? undefined : bundles.find((b) => b.name === head);
  const csv = headBundle === undefined ? undefined : csvOfBundle(headBundle);
  if (csv !== undefined) {
    const meta = packageMetadataFromCsv(csv);
    if (meta.description !== undefined) pkg.description = meta.description;
    if (meta.icon !== undefined) pkg.icon = meta.icon;
  }
  return { packages, channels, bundles, deprecations: [], others: [] };
}

/**
 * Versions that differ only in build metadata cannot be ordered (opm's withoutBuildMetadataConflict);
 * the message lists each later duplicate, in a k8s aggregate (`[a, b]` when more than one).
 */
function buildMetadataConflict(entries: ReadonlyMap<string, Version>): { message: string; bundle: string } | undefined {
  const seen = new Set<string>();
  const errs: string[] = [];
  let first = '';
  for (const [name, v] of entries) {
    const stripped = formatVersion({ ...v, build: [] });
    if (!seen.has(stripped)) {
      seen.add(stripped);
      continue;
    }
    if (errs.length === 0) first = name;
    errs.push(`bundle version ${quoteGoString(formatVersion(v))} cannot be compared to ${quoteGoString(stripped)}`);
  }
  if (errs.length === 0) return undefined;
  const unique = [...new Set(errs)];
  const aggregate = errs.length === 1 ? errs[0]! : unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
  return { message: `encountered bundle versions which differ only by build metadata, which cannot be ordered: ${aggregate}`, bundle: first };
}

// gantry catalog blueprint CATALOG: the Image Builder [[containers]] a MicroShift device needs for operators of a
// catalog, as the documented jq recipe builds them, from the catalog alone (no mirroring). TOML or JSON on stdout.
import { outputOption } from '../output-flag.js';
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { loadCatalog } from '../../catalog/fbc/load.js';
import { catalogBlueprintImages } from '../../generate/microshift-catalog.js';
import { formatBlueprintJson, formatBlueprintToml, planBlueprint, type BlueprintImage } from '../../generate/microshift-blueprint.js';
import { releaseInfoImages } from '../mirror-flags.js';
import { readBlueprintImages } from '../../mirror/plan-blueprint.js';
import { parseReference } from '../../oci/reference.js';
import type { Digest } from '../../oci/digest.js';
import { openCatalogSource } from '../catalog-source.js';
import { openLocation, parseImageLocation } from '../locations.js';
import { accessFrom, addAccessFlags, addCommonRegistryFlags, openSession } from '../registry-flags.js';
import type { CliContext } from '../context.js';

interface BlueprintFlags extends Record<string, unknown> {
  output: string;
  package?: string;
  channel?: string;
  minVersion?: string;
  maxVersion?: string;
  excludeArch?: string;
  strictDigests?: boolean;
  microshiftReleaseInfo: string[];
  catalogImage?: string;
  resolve?: boolean;
}

const FORMATS = ['toml', 'json'];

export function registerCatalogBlueprint(catalog: Command, ctx: CliContext): void {
  addCommonRegistryFlags(addAccessFlags(catalog.command('blueprint'), '', 'image'))
    .description("MicroShift: Image Builder [[containers]] for a catalog's operators, as the documented jq recipe builds them")
    .argument('<catalog>', 'a directory, a file, - for stdin, an http(s) URL, or a catalog image (docker://…, oci:…)')
    .option('-p, --package <name>', 'only this package')
    .option('--channel <name>', "only the bundles in this channel's entries")
    .option('--min-version <version>', 'only bundles at this version or later')
    .option('--max-version <version>', 'only bundles at this version or earlier')
    .option('--exclude-arch <archs>', 'leave out images named for these architectures, e.g. ppc64le,s390x (as the recipe does)')
    .option('--strict-digests', 'fail when a related image is referenced by tag (MicroShift cannot resolve it offline)')
    .option('--resolve', "read each image's manifest from its registry: tags become digests, and --exclude-arch also drops images whose index has no other architecture")
    .option('--microshift-release-info <file>', "also MicroShift's own images: release-<arch>.json of microshift-release-info (repeatable)", (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--catalog-image <ref>', 'the catalog image the CatalogSource names, by digest (for a catalog given as a directory or file)')
    .addOption(outputOption(FORMATS, 'toml'))
    .action(async (ref: string, opts: BlueprintFlags) => {
      const excludeArchitectures = (opts.excludeArch ?? '').split(',').map((a) => a.trim()).filter(Boolean);
      const extra = await releaseInfoImages(opts, ctx);
      const catalogImage = opts.catalogImage !== undefined ? catalogImageByDigest(opts.catalogImage) : await resolveCatalogImage(ref, opts);
      const tree = await openCatalogSource(catalogImage?.pinned ?? ref, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts });
      const loaded = await loadCatalog(tree, { signal: ctx.signal });
      if (loaded.issues.length > 0) {
        throw new GantryError('CATALOG_INVALID', `${loaded.issues.length} problem${loaded.issues.length === 1 ? '' : 's'} while loading ${ref}`, { hint: 'gantry catalog validate shows them with file and line' });
      }
      const selected = catalogBlueprintImages(loaded.config, {
        ...(opts.package !== undefined ? { package: opts.package } : {}),
        ...(opts.channel !== undefined ? { channel: opts.channel } : {}),
        ...(opts.minVersion !== undefined ? { minVersion: opts.minVersion } : {}),
        ...(opts.maxVersion !== undefined ? { maxVersion: opts.maxVersion } : {}),
      });
      for (const i of selected.invalid) ctx.stderr.write(`warning: left out, not an image reference: ${i}\n`);
      let images = [...(catalogImage ? [catalogImage.image] : []), ...selected.images, ...extra];
      if (opts.resolve) images = await resolveImages(images, opts, ctx);
      const bp = planBlueprint(images, { excludeArchitectures });
      for (const e of bp.excluded) ctx.stderr.write(`excluded: ${e.image} (${e.reason})\n`);
      if (bp.byTag.length > 0) {
        for (const t of bp.byTag) ctx.stderr.write(`warning: referenced by tag, not digest: ${t}\n`);
        const unresolved = bp.containers.filter((c) => c.byTag && !c.source.includes('@')).length;
        const message =
          `${bp.byTag.length} image${bp.byTag.length === 1 ? ' is' : 's are'} referenced by tag; ` +
          (unresolved > 0 ? 'MicroShift cannot resolve a tag without a registry, so installing them fails unless found under the tag (never for a pod that pulls Always, the default for :latest)' : 'each is stored under its tag at the digest it has now, and a later push to the tag is not seen');
        if (opts.strictDigests) throw new GantryError('CATALOG_INVALID', message, { hint: 'use a catalog whose related images are pinned by digest, or drop --strict-digests to list them by tag' });
        ctx.stderr.write(`WARNING: ${message}\n`);
      }
      if (!catalogImage) ctx.stderr.write('note: the catalog image is not in the blueprint; give the catalog as docker://…, or --catalog-image REF@DIGEST\n');
      ctx.stdout.write(opts.output === 'json' ? formatBlueprintJson(bp) : formatBlueprintToml(bp));
      ctx.stderr.write(`${selected.bundles} bundle${selected.bundles === 1 ? '' : 's'}, ${bp.containers.length} container${bp.containers.length === 1 ? '' : 's'}, ${bp.excluded.length} excluded\n`);
    });
}

/** --resolve: every image read where it is named, one session for all. */
async function resolveImages(images: BlueprintImage[], opts: BlueprintFlags, ctx: CliContext): Promise<BlueprintImage[]> {
  const session = await openSession(opts);
  try {
    const access = accessFrom(opts, '');
    const read = await readBlueprintImages(images, { storeFor: (ref) => session.store(ref.registry, ref.repository, access), signal: ctx.signal });
    for (const u of read.unreadable) ctx.stderr.write(`warning: could not read ${u.image} (${u.error}); listed as the catalog names it\n`);
    return read.images;
  } finally {
    await session.close();
  }
}

interface CatalogImage {
  image: BlueprintImage;
  /** The catalog read at the digest it is listed with, so the two cannot differ. */
  pinned?: string;
}

function catalogImageByDigest(text: string): CatalogImage {
  const source = parseReference(text.replace(/^docker:\/\//, ''), { defaultTag: null });
  if (!source.digest) throw new GantryError('USAGE', `--catalog-image ${text} names no digest`, { hint: 'the blueprint lists images by digest: REGISTRY/REPO@sha256:…' });
  return { image: { source: { registry: source.registry, repository: source.repository }, digest: source.digest } };
}

/** A catalog given as docker://…: its digest (a tag is resolved once), so the blueprint lists it as it was read. */
async function resolveCatalogImage(ref: string, opts: BlueprintFlags): Promise<CatalogImage | undefined> {
  if (!ref.startsWith('docker://')) return undefined;
  const loc = parseImageLocation(ref);
  if (loc.transport !== 'docker') return undefined;
  let digest: Digest | undefined = loc.ref.digest;
  if (!digest) {
    const session = await openSession(opts);
    try {
      const opened = await openLocation(loc, session, accessFrom(opts, ''));
      const found = await opened.store.statManifest(opened.reference ?? 'latest');
      if (!found) throw new GantryError('NOT_FOUND', `catalog image ${ref} not found`);
      digest = found.digest;
    } finally {
      await session.close();
    }
  }
  const { registry, repository } = loc.ref;
  return { image: { source: { registry, repository }, digest }, pinned: `docker://${registry}/${repository}@${digest}` };
}

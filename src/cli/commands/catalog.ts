// gantry catalog …: thin commands over the catalog library (validate now; render, query, graph follow).
import type { Command } from 'commander';
import { renderIssueTree } from '../../catalog/model/issue-tree.js';
import { openCatalogSource, readStream } from '../catalog-source.js';
import type { CliContext } from '../context.js';
import { GantryError } from '../../errors.js';
import { addAccessFlags, addCommonRegistryFlags } from '../registry-flags.js';
import { registerCatalogQueries } from './catalog-query.js';
import { outputOption } from '../output-flag.js';
import { registerCatalogBlueprint } from './catalog-blueprint.js';
import { registerCatalogMirror } from './catalog-mirror.js';
import { loadCatalog } from '../../catalog/fbc/load.js';
import { emptyConfig, type DeclarativeConfig } from '../../catalog/fbc/types.js';
import { checkPackageDirs, mayCollideAsPackageDir } from '../../catalog/fbc/package-dirs.js';
import { writeCatalogFiles, writeCatalogJson, writeCatalogYaml, writeCatalogYamlFiles } from '../../catalog/fbc/write.js';
import { writeFileAtomic, writeFileTree } from '../../files/write-tree.js';
import { generateDockerfile, parseExtraLabels } from '../../catalog/dockerfile.js';
import { initPackage } from '../../catalog/init-package.js';
import { buildCatalogImage } from '../../catalog-image/index.js';
import { renderMermaidGraph } from '../../catalog/graph/index.js';
import { migrateSqliteIndex } from '../../catalog/sqlite/index.js';
import { openSqliteBytes, openSqliteFile } from '../../files/sqlite-file.js';
import { indexDatabaseFromImage } from '../render-inputs.js';
import { validateCatalog, hasErrors } from '../../catalog/model/validate.js';
import { parseTemplate, renderTemplate, TemplateError, type TemplateType } from '../../catalog/template/index.js';
import { formatPlatform, parsePlatform } from '../../oci/platform.js';
import { accessFrom, openSession } from '../registry-flags.js';
import { openLocation, parseImageLocation } from '../locations.js';
import { checkCatalog } from '../../catalog/validate-catalog.js';
import { openRenderInput, renderBundleImage, throwIfBundleWithoutMetadata, type MigrateLevel } from '../render-inputs.js';
import { normalizeRendered } from '../../catalog/render/index.js';
import { OPM_REFERENCE_VERSION } from '../../catalog/opm-version.js';
import { openRenderSink } from '../render-output.js';
import { loadStreamPackages, planCatalogStream, writeCatalogStream, type CatalogInput } from '../../catalog/fbc/write-stream.js';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** A scratch catalog has opm's entrypoint but no /bin/opm: say how a cluster can serve it (opm-olm.md, extractContent). */
const SCRATCH_NOTE =
  'note: the base is scratch, so the image has no /bin/opm to run. A CatalogSource must set\n' +
  '  spec.grpcPodConfig.extractContent: {catalogDir: /configs, cacheDir: /tmp/cache}  (OLM then serves it with its own opm)\n' +
  '  or build on an opm image: --base docker://quay.io/operator-framework/opm:TAG\n';

/** Package names become directories under --output-dir: a hostile one is an input error, before anything is written. */
function throwIfBadPackageDirs(config: DeclarativeConfig, ctx: CliContext): void {
  const bad = checkPackageDirs(config);
  if (bad.length === 0) return;
  if (bad.length > 1) ctx.stderr.write(renderIssueTree(bad, 'package names that cannot be directories'));
  const at = bad[0]!.file ? `${bad[0]!.file}${bad[0]!.line ? `:${bad[0]!.line}` : ''}: ` : '';
  throw new GantryError('CATALOG_INVALID', `${at}${bad[0]!.message}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}`, { hint: 'nothing was written' });
}

export function registerCatalog(program: Command, ctx: CliContext): void {
  const catalog = program.command('catalog').description('file-based catalogs: validate, render, query');
  registerCatalogQueries(catalog, ctx);
  registerCatalogBlueprint(catalog, ctx);
  registerCatalogMirror(catalog, ctx);

  addCommonRegistryFlags(addAccessFlags(catalog.command('validate'), '', 'catalog image'))
    .description('check a catalog against every rule opm applies; all problems in one run, with file and line')
    .argument('<catalog>', 'a directory, a file, - for stdin, an http(s) URL, or a catalog image (docker://…, oci:…)')
    .addOption(outputOption(['text', 'json'], 'text'))
    .action(async (ref: string, opts: { output: string } & Record<string, unknown>) => {
      const report = await checkCatalog(await openCatalogSource(ref, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts }), { signal: ctx.signal });
      const c = report.counts;
      if (opts.output === 'json') {
        const { config: _config, ...rest } = report;
        ctx.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
      } else {
        if (report.issues.length > 0) ctx.stdout.write(renderIssueTree(report.issues, report.passed ? 'catalog has warnings' : 'invalid catalog'));
        const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
        const summary = `${n(c.packages, 'package')}, ${n(c.channels, 'channel')}, ${n(c.bundles, 'bundle')} in ${n(c.files, 'file')}`;
        const tally = `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
        ctx.stdout.write(report.passed ? `catalog is valid: ${summary} (${tally})\n` : `catalog is invalid: ${tally} (${summary})\n`);
      }
      ctx.exitCode = report.passed ? 0 : 1;
    });

  addCommonRegistryFlags(addAccessFlags(catalog.command('render'), '', 'catalog image'))
    .description(`render catalogs, bundle directories and bundle or catalog images into one file-based catalog, as opm render ${OPM_REFERENCE_VERSION} writes it`)
    .argument('<ref...>', 'catalog directories or files, -, URLs, registry+v1 bundle directories, catalog or bundle images (docker://…, oci:…)')
    .addOption(outputOption(['json', 'yaml'], 'json'))
    .option('--output-dir <dir>', 'write <package>/catalog.json (or .yaml) files, like opm migrate, instead of one stream')
    .option('--output-file <file>', 'write the stream to this file (atomically) instead of stdout')
    .option('--force', 'replace --output-dir if it exists')
    .option('--sort-keys', "sort keys inside values as opm's re-encode does (default: keep the input's order)")
    .option('--migrate-level <level>', 'for bundles: none (olm.bundle.object) or bundle-object-to-csv-metadata (olm.csv.metadata)', 'none')
    .action(async (refs: string[], opts: { output: 'json' | 'yaml'; outputDir?: string; outputFile?: string; force?: boolean; sortKeys?: boolean; migrateLevel: string } & Record<string, unknown>) => {
      const rctx = { stdin: process.stdin, signal: ctx.signal, registryFlags: opts, migrateLevel: opts.migrateLevel as MigrateLevel };
      const inputs: CatalogInput[] = [];
      for (const ref of refs) inputs.push(await openRenderInput(ref, rctx));
      // Read once to find every problem before a byte is written, then again one package at a time while
      // writing: the catalog never lives whole in memory, as objects or as text.
      const plan = await planCatalogStream(inputs, { signal: ctx.signal });
      let problems = 0;
      plan.issues.forEach((issues, n) => {
        throwIfBundleWithoutMetadata(refs[n]!, issues);
        for (const i of issues) ctx.stderr.write(`${i.severity ?? 'error'}: ${refs[n]}: ${i.message}${i.file ? ` (${i.file}${i.line ? `:${i.line}` : ''})` : ''}\n`);
        problems += issues.filter((i) => i.severity !== 'warning').length;
      });
      if (problems > 0) throw new GantryError('CATALOG_INVALID', `${problems} problem${problems === 1 ? '' : 's'} while loading; nothing was written`, { hint: 'gantry catalog validate shows every problem with its file and line' });
      if (opts.outputDir) {
        // Only a suspicious name costs a second look, at the blobs that carry it, for the file and line.
        const suspects = plan.packages.filter((p) => mayCollideAsPackageDir(p, plan.rootOthers.length > 0));
        if (suspects.length > 0) throwIfBadPackageDirs(await loadStreamPackages(plan, suspects, { signal: ctx.signal }), ctx);
      }
      const sink = await openRenderSink({ format: opts.output, stdout: ctx.stdout, ...(opts.outputDir ? { outputDir: opts.outputDir, replace: Boolean(opts.force) } : {}), ...(opts.outputFile ? { outputFile: opts.outputFile } : {}) });
      try {
        await writeCatalogStream(plan, sink, { keyOrder: opts.sortKeys ? 'sorted' : 'preserve', normalize: normalizeRendered, signal: ctx.signal });
        await sink.finish();
      } catch (err) {
        await sink.abort();
        throw err;
      }
    });

  catalog
    .command('init')
    .description('write an olm.package blob (opm init)')
    .argument('<package>')
    .option('--default-channel <channel>', 'the default channel (opm init spells it -c; in gantry -c means --config)')
    .option('-i, --icon <file>', 'icon image (PNG, JPEG, GIF, WebP, BMP, ICO, TIFF, SVG)')
    .option('-d, --description <file>', 'a file whose content becomes the description')
    .addOption(outputOption(['json', 'yaml'], 'json'))
    .action(async (name: string, opts: { defaultChannel?: string; icon?: string; description?: string; output: string }) => {
      const pkg = initPackage({
        name,
        ...(opts.defaultChannel ? { defaultChannel: opts.defaultChannel } : {}),
        ...(opts.icon ? { icon: { bytes: await readFile(opts.icon), file: opts.icon } } : {}),
        ...(opts.description ? { description: await readFile(opts.description, 'utf8') } : {}),
      });
      const config = emptyConfig();
      config.packages.push(pkg);
      ctx.stdout.write(opts.output === 'yaml' ? writeCatalogYaml(config) : writeCatalogJson(config));
    });

  const generate = catalog.command('generate').description('generate files for a catalog');
  generate
    .command('dockerfile')
    .description('write DIR.Dockerfile next to a catalog directory, as opm generate dockerfile does')
    .argument('<dir>', 'the catalog directory')
    .option('-i, --base-image <image>', 'the image the catalog runs on', 'quay.io/operator-framework/opm:latest')
    .option('-b, --builder-image <image>', 'the image that pre-builds the serve cache', 'quay.io/operator-framework/opm:latest')
    .option('-l, --extra-labels <key=value>', 'another label (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--force', 'replace DIR.Dockerfile if it exists (opm always does)')
    .action(async (dir: string, opts: { baseImage: string; builderImage: string; extraLabels: string[]; force?: boolean }) => {
      const root = resolve(dir);
      const st = await stat(root).catch(() => undefined);
      if (!st?.isDirectory()) throw new GantryError('USAGE', `${dir} is not a directory`);
      const target = join(dirname(root), `${basename(root)}.Dockerfile`);
      if (!opts.force && (await stat(target).catch(() => undefined))) throw new GantryError('USAGE', `${target} already exists`, { hint: 'pass --force to replace it' });
      const text = generateDockerfile({ indexDir: basename(root), baseImage: opts.baseImage, builderImage: opts.builderImage, extraLabels: parseExtraLabels(opts.extraLabels) });
      await writeFileAtomic(target, text);
      ctx.stderr.write(`wrote ${target}\n`);
    });

  const build = catalog
    .command('build')
    .description('build a catalog image (FBC at /configs) and push it to a registry or an OCI layout; no podman needed')
    .argument('<catalog>', 'the catalog: a directory, a file, or a catalog image')
    .requiredOption('-t, --tag <image>', 'where to push: docker://HOST/REPO:TAG or oci:PATH:TAG')
    .option('--base <image>', 'base image (docker://…, oci:…) or scratch', 'scratch')
    .option('--platform <os/arch[/variant]>', 'only these platforms of a multi-platform base (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--label <key=value>', 'another label (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--no-validate', 'build even if the catalog does not validate');
  addAccessFlags(build, 'src-', 'base image');
  addAccessFlags(build, 'dest-', 'destination');
  addCommonRegistryFlags(build);
  build.action(async (ref: string, opts: { tag: string; base: string; platform: string[]; label: string[]; validate: boolean } & Record<string, unknown>) => {
    const tree = await openCatalogSource(ref, { stdin: process.stdin, signal: ctx.signal, registryFlags: { ...opts, tlsVerify: opts.srcTlsVerify, certDir: opts.srcCertDir, creds: opts.srcCreds, plainHttp: opts.srcPlainHttp } });
    if (opts.validate) {
      const report = await checkCatalog(tree, { signal: ctx.signal });
      if (!report.passed) {
        ctx.stderr.write(renderIssueTree(report.issues));
        throw new GantryError('CATALOG_INVALID', `the catalog does not validate (${report.errors} errors); no image was built`, { hint: 'fix the problems above, or pass --no-validate to build anyway' });
      }
    }
    const session = await openSession(opts);
    try {
      const dest = await openLocation(parseImageLocation(opts.tag, 'dest'), session, accessFrom(opts, 'dest'), { create: true });
      if (!dest.reference) throw new GantryError('USAGE', `--tag ${opts.tag} names no tag`);
      let base: 'scratch' | { store: import('../../content/store.js').Store; reference: string } = 'scratch';
      if (opts.base !== 'scratch') {
        const b = await openLocation(parseImageLocation(opts.base), session, accessFrom(opts, 'src'));
        if (!b.reference) throw new GantryError('USAGE', `--base ${opts.base} names no tag or digest`);
        base = { store: b.store, reference: b.reference };
      }
      const labels = parseExtraLabels(opts.label);
      const result = await buildCatalogImage({
        catalog: tree,
        base,
        dest: dest.store,
        tag: dest.reference,
        ...(opts.platform.length ? { platforms: opts.platform.map(parsePlatform) } : {}),
        ...(Object.keys(labels).length ? { labels } : {}),
        signal: ctx.signal,
      });
      ctx.stdout.write(`${opts.tag}@${result.digest}\n`);
      if (base === 'scratch') ctx.stderr.write(SCRATCH_NOTE);
      ctx.stderr.write(`built ${result.manifests.length} platform${result.manifests.length === 1 ? '' : 's'} (${result.manifests.map((m) => formatPlatform(m.platform)).join(', ')}); catalog layer ${result.layer.digest}, ${result.layer.files} file${result.layer.files === 1 ? '' : 's'}\n`);
    } finally {
      await session.close();
    }
  });

  addCommonRegistryFlags(addAccessFlags(catalog.command('graph'), '', 'catalog image'))
    .description('the upgrade graph as Mermaid, as opm alpha render-graph draws it')
    .argument('<catalog>', 'a directory, a file, -, a URL or a catalog image')
    .option('-p, --package <name>', 'only this package (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--minimum-edge <bundle>', 'only the part of the graph reachable from this bundle')
    .option('--v0-semantics', 'also draw what OLM v0 skips over (as opm render-template -o mermaid)')
    .action(async (ref: string, opts: { package: string[]; minimumEdge?: string; v0Semantics?: boolean } & Record<string, unknown>) => {
      const loaded = await loadCatalog(await openCatalogSource(ref, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts }), { signal: ctx.signal });
      const loadErrors = loaded.issues.filter((i) => i.severity !== 'warning');
      for (const w of loaded.issues) if (w.severity === 'warning') ctx.stderr.write(`warning: ${w.message} (${w.file}${w.line ? `:${w.line}` : ''})\n`);
      if (loadErrors.length > 0) {
        throw new GantryError('CATALOG_INVALID', `${loadErrors.length} problem${loadErrors.length === 1 ? '' : 's'} while loading ${ref}`, { hint: 'gantry catalog validate shows them with file and line' });
      }
      ctx.stdout.write(
        renderMermaidGraph(loaded.config, {
          ...(opts.package.length ? { packages: opts.package } : {}),
          ...(opts.minimumEdge ? { minimumEdge: opts.minimumEdge } : {}),
          ...(opts.v0Semantics ? { drawV0Semantics: true } : {}),
          onWarning: (msg) => ctx.stderr.write(`warning: ${msg}\n`),
        }),
      );
    });

  addCommonRegistryFlags(addAccessFlags(catalog.command('template'), '', 'bundle image'))
    .description('render a basic or semver catalog template into a file-based catalog (bundles rendered from their images)')
    .argument('<type-or-file>', 'basic, semver, or the template file (the type is then read from its schema)')
    .argument('[file]', 'the template file (- for stdin)')
    .addOption(outputOption(['json', 'yaml', 'mermaid'], 'json'))
    .option('--migrate-level <level>', 'none or bundle-object-to-csv-metadata', 'none')
    .action(async (a: string, b: string | undefined, opts: { output: string; migrateLevel: string } & Record<string, unknown>) => {
      const type = b === undefined ? undefined : (a as TemplateType);
      if (type !== undefined && type !== 'basic' && type !== 'semver') throw new GantryError('USAGE', `unknown template type "${type}"`, { hint: 'basic or semver' });
      const file = b ?? a;
      const text = file === '-' ? Buffer.from(await readStream(process.stdin, ctx.signal)).toString('utf8') : await readFile(file, 'utf8');
      const parsed = parseTemplate(text, file, type ? { type } : {});
      const errors = parsed.issues.filter((i) => i.severity !== 'warning');
      for (const w of parsed.issues.filter((i) => i.severity === 'warning')) ctx.stderr.write(`warning: ${w.message} (${w.file}:${w.line})\n`);
      if (!parsed.template || errors.length > 0) {
        ctx.stderr.write(renderIssueTree(errors, 'invalid template'));
        throw new GantryError('CATALOG_INVALID', `${file} is not a valid template`);
      }
      const rctx = { stdin: process.stdin, signal: ctx.signal, registryFlags: opts, migrateLevel: opts.migrateLevel as MigrateLevel };
      const config = await renderTemplate(parsed.template, { renderBundle: (image) => renderBundleImage(image, rctx) }, { signal: ctx.signal }).catch((err: unknown) => {
        if (!(err instanceof TemplateError)) throw err;
        // Say where in the template the failing image is.
        const where = err.file ? `${err.file}${err.line ? `:${err.line}` : ''}: ` : '';
        const what = err.image ? `bundle image ${err.image}: ` : err.path ? `${err.path}: ` : '';
        throw new GantryError('CATALOG_INVALID', `${where}${what}${err.message}`, { cause: err });
      });
      if (opts.output === 'mermaid') ctx.stdout.write(renderMermaidGraph(config, { drawV0Semantics: true }));
      else if (opts.output === 'yaml') ctx.stdout.write(writeCatalogYaml(config));
      else ctx.stdout.write(writeCatalogJson(config));
    });

  addCommonRegistryFlags(addAccessFlags(catalog.command('migrate'), '', 'index image'))
    .description('convert a SQLite index database (OpenShift 4.6-4.10 catalogs) to a file-based catalog, as opm migrate does')
    .argument('<index>', 'the SQLite index: a file, or an index image (docker://…, oci:…) holding it')
    .argument('<out-dir>', 'where to write <package>/catalog.json (or .yaml)')
    .addOption(outputOption(['json', 'yaml'], 'json'))
    .option('--force', 'replace out-dir if it exists')
    .action(async (dbPath: string, outDir: string, opts: { output: string; force?: boolean } & Record<string, unknown>) => {
      const db = /^(docker:\/\/|oci:)/.test(dbPath) ? await openSqliteBytes(await indexDatabaseFromImage(dbPath, { signal: ctx.signal, registryFlags: opts })) : await openSqliteFile(dbPath, { signal: ctx.signal });
      let config;
      try {
        config = migrateSqliteIndex(db);
      } finally {
        db.close();
      }
      // opm validated the model before writing; so do we, and nothing is written when it fails.
      const issues = validateCatalog(config);
      if (hasErrors(issues)) {
        ctx.stderr.write(renderIssueTree(issues, 'the converted catalog is invalid'));
        throw new GantryError('CATALOG_INVALID', `${dbPath} converts to an invalid catalog; nothing was written`);
      }
      throwIfBadPackageDirs(config, ctx);
      const files = opts.output === 'yaml' ? writeCatalogYamlFiles(config) : writeCatalogFiles(config);
      await writeFileTree(outDir, files, { replace: Boolean(opts.force) });
      ctx.stderr.write(`wrote ${config.packages.length} packages, ${config.bundles.length} bundles to ${outDir}\n`);
    });
}

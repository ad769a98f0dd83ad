// gantry release graph: a channel's releases from the update graph (an update service, or a saved graph file)
// and the shortest update path between two versions; gantry release info: a release image's payload, like
// `oc adm release info`. Thin: flags → release/ → rendering.
import { Option, type Command } from 'commander';
import { GantryError, isGantryError } from '../../errors.js';
import { BOOTIMAGES_MANIFEST, cincinnatiArch, parseBootImages, readReleaseImage, reportChannel, streamArch, type ChannelReport, type KubeVirtImage, type ReleaseImage, type ReleasePayload, type ReleaseType } from '../../release/index.js';
import type { CliContext } from '../context.js';
import { openLocation, parseImageLocation } from '../locations.js';
import { outputOption } from '../output-flag.js';
import { accessFrom, addAccessFlags, addCommonRegistryFlags, openSession } from '../registry-flags.js';
import { addUpdateGraphFlags, graphReader } from '../update-graphs.js';
import { registerReleaseVerify } from '../release-verify.js';

export function registerRelease(program: Command, ctx: CliContext): void {
  const release = program.command('release').description('OpenShift and OKD releases: update graphs and channels, release payloads');
  registerReleaseInfo(release, ctx);
  const graph = release
    .command('graph')
    .description("show a channel's releases (head marked) and, with --from/--to, the shortest update path between two versions")
    .requiredOption('--channel <name>', 'the channel, e.g. stable-4.16, eus-4.16, or an OKD channel with --type okd')
    .option('--arch <arch>', 'amd64, arm64, ppc64le, s390x or multi (x86_64 and aarch64 are accepted)', 'amd64')
    .addOption(new Option('--type <type>', 'the release type, choosing the default update service').choices(['ocp', 'okd']).default('ocp'))
    .option('--from <version>', 'with --to: print the shortest update path from this version')
    .option('--to <version>', 'with --from: the version the path ends at')
    .addOption(outputOption(['text', 'json'], 'text'));
  addUpdateGraphFlags(graph, { accessFlags: true });
  registerReleaseVerify(release, ctx);
  graph.action(async (opts: Record<string, unknown>) => {
    if ((opts.from === undefined) !== (opts.to === undefined)) throw new GantryError('USAGE', '--from and --to go together');
    const channel = opts.channel as string;
    const arch = cincinnatiArch(opts.arch as string);
    const read = graphReader(opts, ctx.signal);
    const report = reportChannel(await read({ type: opts.type as ReleaseType, channel, arch }), { ...(typeof opts.from === 'string' ? { from: opts.from } : {}), ...(typeof opts.to === 'string' ? { to: opts.to } : {}) });
    ctx.stdout.write(opts.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  });
}

function renderReport(r: ChannelReport): string {
  const lines = [`channel ${r.channel} (${r.arch}): ${r.releases.length} release${r.releases.length === 1 ? '' : 's'}, head ${r.head}`, `source: ${r.source}`];
  const width = Math.max(...r.releases.map((x) => x.version.length));
  for (const x of r.releases) lines.push(`  ${x.version.padEnd(width)}  ${x.payload}${x.head ? '  (head)' : ''}`);
  if (r.path) {
    const n = r.path.edges.length;
    lines.push(`path ${r.path.from} → ${r.path.to}: ${n} update${n === 1 ? '' : 's'}`);
    for (const e of r.path.edges) {
      lines.push(`  ${e.from} → ${e.to}${e.conditional ? `  conditional: ${e.risks.map((k) => k.name).join(', ') || 'unnamed risk'}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function registerReleaseInfo(release: Command, ctx: CliContext): void {
  const info = release
    .command('info')
    .description('show a release image (like oc adm release info): version, and every component image by digest')
    .argument('<image>', 'the release image: docker://REF, oci:PATH[:TAG] or a bare reference, by tag or digest')
    .option('--image-for <name>', 'print only the image of this component, by digest (e.g. must-gather)')
    .option('--arch <arch>', 'for a multi-arch release, the architecture whose payload is shown (default: amd64, else the first)')
    .addOption(outputOption(['text', 'json'], 'text'));
  addAccessFlags(info, '', 'release image');
  addCommonRegistryFlags(info);
  info.action(async (image: string, opts: Record<string, unknown>) => {
    const session = await openSession(opts);
    try {
      const loc = await openLocation(parseImageLocation(image), session, accessFrom(opts, ''));
      if (!loc.reference) throw new GantryError('USAGE', `${image} names no tag or digest`);
      const arch = typeof opts.arch === 'string' ? cincinnatiArch(opts.arch) : undefined;
      if (arch === 'multi') throw new GantryError('USAGE', '--arch names one architecture of a multi-arch release, not multi');
      const read = await readReleaseImage(loc.store, loc.reference, { signal: ctx.signal, manifests: [BOOTIMAGES_MANIFEST], ...(arch ? { arch } : {}) });
      const payload = read.payloads.find((p) => p.arch === 'amd64') ?? read.payloads[0]!;
      if (typeof opts.imageFor === 'string') {
        const found = payload.components.get(opts.imageFor);
        if (!found) {
          const names = [...payload.components.keys()];
          throw new GantryError('NOT_FOUND', `release ${payload.version} has no component "${opts.imageFor}"`, { hint: `${names.length} components, e.g. ${names.slice(0, 8).join(', ')}` });
        }
        ctx.stdout.write(`${found}\n`);
        return;
      }
      const kubeVirt = kubeVirtOf(image, payload, ctx);
      ctx.stdout.write(opts.output === 'json' ? `${JSON.stringify(infoJson(image, read, payload, kubeVirt), null, 2)}\n` : renderInfo(image, read, payload, kubeVirt));
    } finally {
      await session.close();
    }
  });
}

/**
 * The KubeVirt container of the shown payload's architecture (coreos-bootimages ConfigMap), when the payload has
 * one. A malformed ConfigMap does not hide the rest of the release: it is a warning here (mirroring refuses it).
 */
function kubeVirtOf(image: string, p: ReleasePayload, ctx: CliContext): KubeVirtImage | undefined {
  const bytes = p.manifests?.get(BOOTIMAGES_MANIFEST);
  if (!bytes) return undefined;
  try {
    return parseBootImages(bytes, `release ${p.version} (${image})`).kubevirt.get(streamArch(p.arch));
  } catch (err) {
    if (!isGantryError(err)) throw err;
    ctx.stderr.write(`warning: ${err.message} (${err.code})\n`);
    return undefined;
  }
}

function infoJson(image: string, r: ReleaseImage, p: ReleasePayload, kubeVirt: KubeVirtImage | undefined) {
  return {
    image,
    digest: r.digest,
    version: p.version,
    arch: p.arch,
    ...(r.multiArch ? { architectures: Object.fromEntries(r.payloads.map((x) => [x.arch, x.digest])) } : {}),
    ...(p.previous ? { previous: p.previous } : {}),
    components: Object.fromEntries(p.components),
    ...(kubeVirt ? { kubeVirtContainer: kubeVirt.image } : {}),
  };
}

function renderInfo(image: string, r: ReleaseImage, p: ReleasePayload, kubeVirt: KubeVirtImage | undefined): string {
  const lines = [`Name:      ${p.version}`, `Digest:    ${r.digest}`, `OS/Arch:   linux/${r.multiArch ? 'multi' : p.arch}`];
  if (r.multiArch) {
    lines.push(`Manifests: ${r.payloads.length}`);
    for (const x of r.payloads) lines.push(`  linux/${x.arch.padEnd(8)} ${x.digest}`);
  }
  lines.push('', `Pull From: ${image.replace(/^docker:\/\//, '')}`, '', 'Release Metadata:', `  Version:  ${p.version}`);
  if (p.previous?.length) lines.push(`  Upgrades: ${p.previous.join(', ')}`);
  if (kubeVirt) lines.push(`  KubeVirt: ${kubeVirt.image}${kubeVirt.rhcos ? ` (RHCOS ${kubeVirt.rhcos})` : ''}`);
  lines.push('', `Images:${r.multiArch ? ` (${p.arch})` : ''}`);
  const width = Math.max(4, ...[...p.components.keys()].map((k) => k.length));
  lines.push(`  ${'NAME'.padEnd(width)}  DIGEST`);
  for (const [name, ref] of p.components) lines.push(`  ${name.padEnd(width)}  ${ref.slice(ref.indexOf('@') + 1)}`);
  return `${lines.join('\n')}\n`;
}

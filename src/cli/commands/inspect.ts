// gantry inspect REF (digest, media type, platforms, layers and sizes, config; --raw, --config, -o json)
// and gantry tags REF.
import { outputOption } from '../output-flag.js';
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { canListTags } from '../../content/store.js';
import { fetchConfig, inspectImage, type ImageInfo } from '../../inspect.js';
import { parseManifest } from '../../oci/manifest.js';
import { parsePlatform } from '../../oci/platform.js';
import { openLocation, parseImageLocation } from '../locations.js';
import { formatBytes } from '../output.js';
import { accessFrom, addAccessFlags, addCommonRegistryFlags, openSession } from '../registry-flags.js';
import type { CliContext } from '../context.js';

export function registerInspect(program: Command, ctx: CliContext): void {
  const inspect = program
    .command('inspect')
    .description('show an image: digest, media type, platforms, layers and sizes, config')
    .argument('<image>', 'docker://REF, oci:PATH[:TAG] or a bare reference')
    .option('--raw', 'print the manifest bytes exactly as stored')
    .option('--config', 'print the image config JSON')
    .option('--platform <os/arch[/variant]>', 'for a multi-platform image, inspect this platform')
    .addOption(outputOption(['text', 'json'], 'text'));
  addAccessFlags(inspect, '', 'image');
  addCommonRegistryFlags(inspect);
  inspect.action(async (image: string, opts: Record<string, unknown>) => {
    const session = await openSession(opts);
    try {
      const loc = await openLocation(parseImageLocation(image), session, accessFrom(opts, ''));
      if (!loc.reference) throw new GantryError('USAGE', `${image} names no tag or digest`);
      const platform = typeof opts.platform === 'string' ? parsePlatform(opts.platform) : undefined;
      const { info, raw } = await inspectImage(loc.store, loc.reference, { signal: ctx.signal, ...(platform ? { platform } : {}) });
      if (opts.raw) {
        ctx.stdout.write(raw);
      } else if (opts.config) {
        const m = parseManifest(raw, info.mediaType);
        if (m.kind !== 'manifest') throw new GantryError('USAGE', `${image} is an index; choose one with --platform`, { hint: `platforms: ${info.manifests?.map((x) => x.platform).join(', ')}` });
        ctx.stdout.write(await fetchConfig(loc.store, m.config, ctx.signal));
        ctx.stdout.write('\n');
      } else if (opts.output === 'json') {
        ctx.stdout.write(`${JSON.stringify({ name: image, ...info }, null, 2)}\n`);
      } else {
        ctx.stdout.write(renderInfo(image, info));
      }
    } finally {
      await session.close();
    }
  });

  const tags = program
    .command('tags')
    .description('list the tags of a repository')
    .argument('<repository>', 'docker://HOST/REPO or oci:PATH')
    .addOption(outputOption(['text', 'json'], 'text'));
  addAccessFlags(tags, '', 'image');
  addCommonRegistryFlags(tags);
  tags.action(async (repository: string, opts: Record<string, unknown>) => {
    const session = await openSession(opts);
    try {
      const loc = await openLocation(parseImageLocation(repository), session, accessFrom(opts, ''));
      if (!canListTags(loc.store)) throw new GantryError('USAGE', `${repository} cannot list tags`);
      const list = await loc.store.listTags({ signal: ctx.signal });
      ctx.stdout.write(opts.output === 'json' ? `${JSON.stringify(list, null, 2)}\n` : list.map((t) => `${t}\n`).join(''));
    } finally {
      await session.close();
    }
  });
}

function renderInfo(name: string, info: ImageInfo): string {
  const lines = [`Name:       ${name}`, `Digest:     ${info.digest}`, `MediaType:  ${info.mediaType}`];
  if (info.artifactType) lines.push(`Artifact:   ${info.artifactType}`);
  if (info.manifests) {
    lines.push(`Manifests:  ${info.manifests.length}`);
    for (const m of info.manifests) lines.push(`  ${m.platform.padEnd(18)} ${m.digest}  ${formatBytes(m.size)}`);
  }
  if (info.config) {
    const c = info.config;
    const plat = [c.os, c.architecture, c.variant].filter(Boolean).join('/');
    if (plat) lines.push(`Platform:   ${plat}`);
    if (c.created) lines.push(`Created:    ${c.created}`);
    lines.push(`Config:     ${c.digest}  ${formatBytes(c.size)}`);
    if (c.labels) for (const [k, v] of Object.entries(c.labels).sort()) lines.push(`  label ${k}=${v}`);
  }
  if (info.layers) {
    lines.push(`Layers:     ${info.layers.length}, ${formatBytes(info.totalSize ?? 0)} in all`);
    for (const l of info.layers) lines.push(`  ${l.digest}  ${formatBytes(l.size).padStart(10)}  ${l.mediaType}`);
  }
  if (info.subject) lines.push(`Subject:    ${info.subject.digest}`);
  return `${lines.join('\n')}\n`;
}

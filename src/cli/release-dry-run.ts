// A mirror dry run's release lines: the releases `mirror.platform` selects (version, arch, channel, why, payload)
// on stderr, read through the update graph flags. Payloads are not mirrored yet, so this only explains.
import { readFile } from 'node:fs/promises';
import { parseImageSetConfig } from '../config/index.js';
import { graphRequests, readGraphs, selectReleases, type ReleaseSelection, type SelectedRelease } from '../release/index.js';
import type { CliContext } from './context.js';
import { formatError } from './output.js';
import { graphReader } from './update-graphs.js';

/** Prints the selection; a selection that cannot be made is a warning: operators and images still plan without it. */
export async function printReleaseSelection(configFile: string, flags: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const text = await readFile(configFile, 'utf8').catch(() => undefined);
  const platform = text === undefined ? undefined : parseImageSetConfig(text, configFile).config?.mirror?.platform;
  if (!platform || (platform.channels.length === 0 && platform.release === undefined)) return;
  let selection: ReleaseSelection;
  try {
    const graphs = await readGraphs(graphRequests(platform), graphReader(flags, ctx.signal));
    selection = selectReleases(platform, graphs);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.stderr.write(`warning: the releases mirror.platform selects could not be listed (they are not mirrored yet either):\n  ${formatError(err, ctx.debug).replace(/\n/g, '\n  ')}\n`);
    return;
  }
  for (const w of selection.warnings) ctx.stderr.write(`warning: ${w.message}\n`);
  const n = selection.releases.length;
  ctx.stderr.write(`releases: ${n} selected by mirror.platform; not mirrored (release payload mirroring is not built yet)\n`);
  for (const r of selection.releases) ctx.stderr.write(`  ${describeRelease(r)}\n`);
}

export function describeRelease(r: SelectedRelease): string {
  if (r.reason === 'release') return `${r.payload}  (platform.release)`;
  const why = r.edge ? `path from ${r.edge.from}${r.edge.conditional ? ` (conditional: ${r.edge.risks.map((k) => k.name).join(', ') || 'unnamed risk'})` : ''}` : r.reason;
  return `${r.version}  ${r.arch}  ${r.channel}  ${why}  ${r.payload}`;
}

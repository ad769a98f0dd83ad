// Where the CLI gets update graphs: --update-graph (a saved graph file, or a directory of ARCH-CHANNEL.json files
// as oc-mirror keeps them) or the update service (--update-url, UPDATE_URL_OVERRIDE, the public one) over http-get.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Defaults } from '../defaults.js';
import { GantryError } from '../errors.js';
import { fetchGraph, parseUpdateGraph, updateServiceUrl, type FetchText, type GraphRequest, type UpdateGraph } from '../release/index.js';
import { httpGet } from '../transport/http-get.js';
import { parseBool, parseDuration } from './registry-flags.js';

export type GraphReader = (req: Pick<GraphRequest, 'type' | 'channel' | 'arch'>) => Promise<UpdateGraph>;

/** --update-url and --update-graph (exclusive), with the update service's own TLS and timeout flags unless the command has them. */
export function addUpdateGraphFlags(cmd: Command, opts: { accessFlags: boolean }): Command {
  cmd
    .option('--update-graph <path>', 'read update graphs from a saved graph file, or a directory of ARCH-CHANNEL.json files (no network)')
    .option('--update-url <url>', "the update service's graph URL (default: UPDATE_URL_OVERRIDE for ocp, else the public service)");
  if (opts.accessFlags) {
    cmd
      .option('--tls-verify [bool]', 'verify the update service TLS certificate', true)
      .option('--cert-dir <dir>', 'certs.d-style directory (ca.crt, client.cert/key) for the update service')
      .option('--timeout <duration>', `give up on an update service that does not answer within this (default ${Defaults.requestTimeoutMs / 1000}s)`, parseDuration('--timeout'), Defaults.requestTimeoutMs);
  }
  return cmd;
}

/** A graph reader from the flags; `signal` cancels requests. */
export function graphReader(flags: Record<string, unknown>, signal: AbortSignal): GraphReader {
  if (typeof flags.updateGraph === 'string' && typeof flags.updateUrl === 'string') {
    throw new GantryError('USAGE', '--update-graph and --update-url cannot be used together');
  }
  if (typeof flags.updateGraph === 'string') {
    const path = flags.updateGraph;
    return async (req) => {
      const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
      // oc-mirror v2 keeps the graphs it read as <arch>-<channel>.json (loadGraphDataFromDisk).
      const file = isDir ? join(path, `${req.arch}-${req.channel}.json`) : path;
      const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new GantryError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read the update graph of channel "${req.channel}" (${req.arch}) from ${file}: ${err.message}`, {
          ...(isDir ? { hint: `save it as ${req.arch}-${req.channel}.json in ${path}` } : {}),
        });
      });
      return parseUpdateGraph(text, { source: file, channel: req.channel, arch: req.arch });
    };
  }
  const tlsVerify = parseBool(flags.tlsVerify as string | boolean | undefined);
  const timeoutMs = typeof flags.timeout === 'number' ? flags.timeout : Defaults.requestTimeoutMs;
  const get: FetchText = (u, o) => httpGet(u, { ...o, tlsVerify, timeoutMs, env: process.env, ...(typeof flags.certDir === 'string' ? { certDir: flags.certDir } : {}) });
  return (req) => {
    const url = updateServiceUrl(req.type, { ...(typeof flags.updateUrl === 'string' ? { updateUrl: flags.updateUrl } : {}), env: process.env });
    return fetchGraph({ channel: req.channel, arch: req.arch, url }, get, signal);
  };
}

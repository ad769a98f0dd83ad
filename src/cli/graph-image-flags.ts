// gantry mirror's graph image flags (platform.graph): --graph-data-url (http(s), file: URL or a path, so a test or a
// disconnected re-plan can give a saved tarball) and --graph-base-image, and the reader that fetches the tarball.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Defaults } from '../defaults.js';
import { GantryError } from '../errors.js';
import type { GraphDataReader, GraphImageSettings } from '../mirror/plan-graph-image.js';
import { GRAPH_BASE_IMAGE, GRAPH_DATA_LIMITS, GRAPH_DATA_URL } from '../release/index.js';
import { httpGet } from '../transport/http-get.js';
import { parseBool } from './registry-flags.js';

export function addGraphImageFlags(cmd: Command): Command {
  return cmd
    .option('--graph-data-url <url>', `platform.graph: the graph-data tar.gz, an http(s) URL, file:PATH or a path (default ${GRAPH_DATA_URL})`)
    .option('--graph-base-image <ref>', `platform.graph: the base of the graph image, with /bin/sh and cp; copied along (default ${GRAPH_BASE_IMAGE})`);
}

export function graphImageSettings(flags: Record<string, unknown>): GraphImageSettings {
  return {
    ...(typeof flags.graphDataUrl === 'string' ? { dataUrl: flags.graphDataUrl } : {}),
    ...(typeof flags.graphBaseImage === 'string' ? { baseImage: flags.graphBaseImage } : {}),
  };
}

/** http(s) through the update service's TLS flags and the environment's proxies; anything else is a file. */
export function graphDataReader(flags: Record<string, unknown>): GraphDataReader {
  return async (url, { signal }) => {
    if (!/^https?:\/\//i.test(url)) {
      const path = url.startsWith('file:') ? fileURLToPath(new URL(url.startsWith('file://') ? url : `file://${url.slice('file:'.length)}`)) : url;
      return readFile(path, signal ? { signal } : {}).catch((err: NodeJS.ErrnoException) => {
        throw new GantryError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${path}: ${err.code ?? err.message}`);
      });
    }
    const res = await httpGet(url, {
      binary: true,
      maxBytes: GRAPH_DATA_LIMITS.maxCompressedBytes,
      tlsVerify: parseBool(flags.tlsVerify as string | boolean | undefined),
      ...(typeof flags.certDir === 'string' ? { certDir: flags.certDir } : {}),
      timeoutMs: typeof flags.timeout === 'number' ? flags.timeout : Defaults.requestTimeoutMs,
      env: process.env,
      ...(signal ? { signal } : {}),
    });
    if (res.status !== 200) throw new GantryError(res.status === 404 ? 'NOT_FOUND' : 'IO_ERROR', `${res.url} answered ${res.status}`);
    return res.bytes ?? new Uint8Array();
  };
}

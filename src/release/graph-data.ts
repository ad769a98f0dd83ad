// The update graph data OpenShift Update Service builds its graph from: where oc-mirror gets it (a tar.gz of the
// cincinnati-graph-data repository: channels/, blocked-edges/, raw/metadata.json, version, LICENSE) and reading it.
import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { GantryError } from '../errors.js';
import { byteOrder } from '../order.js';

/** oc-mirror v2 internal/pkg/release/const.go graphURL; it has no environment override of its own. */
export const GRAPH_DATA_URL = 'https://api.openshift.com/api/upgrades_info/graph-data';
/** oc-mirror v2's graphBaseImage: the image needs a shell for its copy command (catalog-image/graph-data-image.ts). */
export const GRAPH_BASE_IMAGE = 'registry.access.redhat.com/ubi9/ubi:latest';

export const GRAPH_DATA_LIMITS = {
  /** The real tarball is well under 1 MiB compressed (about 600 small YAML files); anything past this is not it. */
  maxCompressedBytes: 64 * 1024 * 1024,
  maxUncompressedBytes: 256 * 1024 * 1024,
  maxFiles: 100_000,
} as const;

export interface GraphData {
  /** Relative path → content, sorted byte-wise. Directories are implied by the paths. */
  files: Map<string, Uint8Array>;
  /** The schema version in the `version` file (e.g. "1.2.0"), when there is one. */
  version?: string;
  /** Channel names from channels/<name>.yaml. */
  channels: string[];
}

function invalid(where: string, message: string): GantryError {
  return new GantryError('GRAPH_DATA_INVALID', `the graph data from ${where} ${message}`, {
    hint: `it must be the tar.gz ${GRAPH_DATA_URL} serves (channels/, blocked-edges/, raw/metadata.json, version)`,
  });
}

/** A tar entry name as a relative path, or undefined for the root itself; throws on names leaving the root. */
function entryPath(name: string, where: string): string | undefined {
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return undefined;
  if (name.startsWith('/') || segments.includes('..') || name.includes('\0') || name.includes('\\')) throw invalid(where, `has an entry "${name}" that would land outside its directory`);
  return segments.join('/');
}

/**
 * Reads the graph-data tar.gz: regular files and directories only (a link could point outside the image's
 * directory; the real tarball has none). Not gzip, not tar, or empty of channels is GRAPH_DATA_INVALID naming `where`.
 */
export async function readGraphData(bytes: Uint8Array, where: string): Promise<GraphData> {
  if (bytes.length > GRAPH_DATA_LIMITS.maxCompressedBytes) throw invalid(where, `is ${bytes.length} bytes, more than the ${GRAPH_DATA_LIMITS.maxCompressedBytes} allowed`);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw invalid(where, 'is not gzip-compressed');
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: GRAPH_DATA_LIMITS.maxUncompressedBytes });
  } catch (err) {
    throw invalid(where, `cannot be decompressed (${(err as Error).message})`);
  }
  const files = new Map<string, Uint8Array>();
  const ex = extract();
  const reading = (async () => {
    for await (const entry of ex) {
      const { name, type } = entry.header;
      const parts: Uint8Array[] = [];
      for await (const chunk of entry as AsyncIterable<Uint8Array>) parts.push(chunk);
      if (type === 'directory') continue;
      // pax headers are folded into the entry by tar-stream; anything else that is not a file is refused.
      if (type !== 'file' && type !== 'contiguous-file') throw invalid(where, `has a ${type ?? 'special'} entry "${name}"; only files and directories are carried`);
      const path = entryPath(name, where);
      if (path === undefined) continue;
      files.set(path, Buffer.concat(parts));
      if (files.size > GRAPH_DATA_LIMITS.maxFiles) throw invalid(where, `has more than ${GRAPH_DATA_LIMITS.maxFiles} files`);
    }
  })();
  Readable.from([tar]).pipe(ex);
  try {
    await reading;
  } catch (err) {
    ex.destroy();
    if (err instanceof GantryError) throw err;
    throw invalid(where, `is not a tar archive (${(err as Error).message})`);
  }
  const paths = [...files.keys()];
  for (const p of paths) if (files.has(p.split('/').slice(0, -1).join('/'))) throw invalid(where, `has "${p}" inside a file`);
  const channels = paths.filter((p) => /^channels\/[^/]+\.yaml$/.test(p)).map((p) => p.slice('channels/'.length, -'.yaml'.length));
  if (channels.length === 0) throw invalid(where, `has no channels/*.yaml (${files.size} files)`);
  const version = files.get('version');
  return {
    files: new Map(paths.sort(byteOrder).map((p) => [p, files.get(p)!])),
    ...(version ? { version: Buffer.from(version).toString('utf8').trim() } : {}),
    channels: channels.sort(byteOrder),
  };
}

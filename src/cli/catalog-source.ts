// Where a catalog comes from on the command line: a directory, a file, "-" for stdin, or an http(s) URL
// serving JSON lines (as catalogd does). Turned into a FileTree for the library.
import { GantryError } from '../errors.js';
import { createMemoryTree, type FileTree } from '../catalog/fbc/file-tree.js';
import { createDirectoryTree } from '../files/dir-tree.js';
import { createImageTree } from '../catalog-image/image-tree.js';
import { openLocation, parseImageLocation } from './locations.js';
import { accessFrom, openSession } from './registry-flags.js';

export async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(parts);
}

export interface CatalogSourceContext {
  stdin: NodeJS.ReadableStream;
  signal: AbortSignal;
  /** Registry flags (--tls-verify, --creds, --authfile, …) for catalog images. */
  registryFlags?: Record<string, unknown>;
}

export async function openCatalogSource(ref: string, ctx: CatalogSourceContext): Promise<FileTree> {
  if (ref === '-') return createMemoryTree({ '<stdin>': await readStream(ctx.stdin) });
  if (/^https?:\/\//.test(ref)) {
    const { request } = await import('undici');
    const res = await request(ref, { signal: ctx.signal, maxRedirections: 5 } as Parameters<typeof request>[1]);
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new GantryError('NOT_FOUND', `${ref} answered ${res.statusCode}`);
    }
    return createMemoryTree({ [new URL(ref).pathname.split('/').pop() || 'catalog.json']: new Uint8Array(await res.body.arrayBuffer()) });
  }
  if (ref.startsWith('docker://') || ref.startsWith('oci:')) {
    const session = await openSession(ctx.registryFlags ?? {});
    try {
      const loc = await openLocation(parseImageLocation(ref), session, accessFrom(ctx.registryFlags ?? {}, ''));
      if (!loc.reference) throw new GantryError('USAGE', `${ref} names no tag or digest`);
      return await createImageTree(loc.store, loc.reference, { signal: ctx.signal });
    } finally {
      await session.close();
    }
  }
  return createDirectoryTree(ref);
}

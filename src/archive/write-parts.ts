// Writing an archive's tar parts: each part to a temp name, its member list first, every member's sha256 checked
// while it streams in, then renamed into place. Blobs stream from files; nothing is held in memory whole.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Header } from 'tar-stream';
import { GantryError, throwIfAborted } from '../errors.js';
import { toStoreError } from '../content/abortable.js';
import { ARCHIVE_FORMAT, partFileName, partIndexName, type PartIndex } from './archive-format.js';
import { planParts } from './plan-parts.js';

export interface MemberSource {
  name: string;
  size: number;
  sha256: string;
  /** The bytes themselves (metadata) or the file holding them (blobs). */
  content: Uint8Array | { file: string };
}

export interface WritePartsOptions {
  dir: string;
  archiveId: string;
  sequence: number;
  members: MemberSource[];
  /** Largest part in bytes. */
  limit: number;
  mtime: Date;
  signal?: AbortSignal;
  onPart?: (info: { file: string; part: number; parts: number; bytes: number }) => void;
  /** Member bytes written so far in the part being written (called often: throttle what you print). */
  onBytes?: (file: string, done: number, total: number) => void;
}

export interface WrittenParts {
  files: string[];
  oversized: string[];
}

/** A generous estimate of a part's member list size, so the part stays under the limit once the list is written. */
const indexEstimate = (count: number) => 256 + count * 200;

export async function writeParts(opts: WritePartsOptions): Promise<WrittenParts> {
  const planned = planParts(opts.members, opts.limit, indexEstimate);
  const files: string[] = [];
  for (const [n, members] of planned.parts.entries()) {
    const part = n + 1;
    const index: PartIndex = {
      format: ARCHIVE_FORMAT,
      archiveId: opts.archiveId,
      sequence: opts.sequence,
      part,
      parts: planned.parts.length,
      members: members.map((m) => ({ name: m.name, size: m.size, sha256: m.sha256 })),
    };
    const indexBytes = Buffer.from(`${JSON.stringify(index)}\n`);
    const indexMember: MemberSource = { name: partIndexName(opts.sequence, part), size: indexBytes.length, sha256: createHash('sha256').update(indexBytes).digest('hex'), content: indexBytes };
    const file = join(opts.dir, partFileName(opts.sequence, part));
    const total = members.reduce((n, m) => n + m.size, 0);
    let done = 0;
    const progress = opts.onBytes ? (n: number) => opts.onBytes!(file, (done += n), total) : undefined;
    const bytes = await writeTar(file, [indexMember, ...members], opts.mtime, opts.signal, progress);
    files.push(file);
    opts.onPart?.({ file, part, parts: planned.parts.length, bytes });
  }
  return { files, oversized: planned.oversized.map((m) => m.name) };
}

async function writeTar(file: string, members: MemberSource[], mtime: Date, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<number> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp-gantry`;
  const pack = tarPack();
  const out = createWriteStream(tmp, { flags: 'wx' });
  const written = pipeline(pack, out, signal ? { signal } : {});
  // Awaited below; a write failure (ENOSPC) can come while a member is still streaming, and must not surface
  // first as an unhandled rejection that ends the process with a stack trace.
  written.catch(() => {});
  try {
    for (const m of members) {
      throwIfAborted(signal);
      // A failed file write stops the member's stream from draining: race it, or the writer would wait forever.
      await Promise.race([writeMember(pack, m, mtime, onBytes), written.then(() => undefined)]);
    }
    pack.finalize();
    await written;
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    return out.bytesWritten;
  } catch (err) {
    pack.destroy();
    await written.catch(() => {});
    await rm(tmp, { force: true });
    throw toStoreError(err, `write archive part ${basename(file)}`, signal);
  }
}

async function writeMember(pack: ReturnType<typeof tarPack>, m: MemberSource, mtime: Date, onBytes?: (n: number) => void): Promise<void> {
  const header: Partial<Header> & { name: string } = { name: m.name, size: m.size, type: 'file', mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', mtime };
  let entry!: ReturnType<typeof pack.entry>;
  const finish = new Promise<void>((resolve, reject) => {
    entry = pack.entry(header, (err) => (err ? reject(err) : resolve()));
  });
  finish.catch(() => {}); // awaited below; a failed read must not leave it unhandled meanwhile
  const hash = createHash('sha256');
  let size = 0;
  const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = m.content instanceof Uint8Array ? [m.content] : createReadStream(m.content.file, { highWaterMark: 1 << 20 });
  for await (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.byteLength;
    if (size > m.size) break;
    if (!entry.write(chunk)) await once(entry, 'drain');
    onBytes?.(chunk.byteLength);
  }
  // The staging copy was verified when written; this catches a file damaged or changed since.
  if (size !== m.size || hash.digest('hex') !== m.sha256) {
    throw new GantryError('DIGEST_MISMATCH', `${m.name} changed on disk since it was downloaded (expected ${m.size} bytes, sha256 ${m.sha256.slice(0, 12)}…)`, {
      hint: 'run the mirror again: the damaged file is downloaded anew',
    });
  }
  (entry as unknown as { end(): void }).end();
  await finish;
}

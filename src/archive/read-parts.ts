// Reading archives back: every part in a directory is checked member by member before anything is used (names on a
// fixed list, plain files only, sizes and sha256 as listed), and each member's byte range is recorded for reading.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { extract, type Header } from 'tar-stream';
import { GantryError, quoteValue, throwIfAborted } from '../errors.js';
import { archiveManifestName, parseArchiveManifest, parsePartFileName, parsePartIndex, partIndexName, type ArchiveManifest, type PartIndex } from './archive-format.js';

export interface MemberLocation {
  file: string;
  /** Where the member's bytes start in the tar file. */
  offset: number;
  size: number;
}

export interface VerifiedPart {
  file: string;
  sequence: number;
  part: number;
  bytes: number;
}

export interface ArchiveContents {
  dir: string;
  parts: VerifiedPart[];
  /** Member name → where its bytes are; the same blob in several sequences is found in the newest. */
  members: Map<string, MemberLocation>;
  /** One per sequence present, oldest first. */
  manifests: ArchiveManifest[];
}

export interface VerifyOptions {
  signal?: AbortSignal;
  onPart?: (part: VerifiedPart) => void;
  /** Bytes of member data checked so far in `file` (called often: throttle what you print). */
  onBytes?: (file: string, done: number, total: number) => void;
}

/** The largest member list we read into memory (a part of a million members is ~200 MB; this is plenty). */
const MAX_INDEX_BYTES = 256 * 1024 * 1024;

/** oc-mirror v2 names its parts mirror_000001.tar; v1 uses gantry's spelling (mirror_seq1_000000.tar). */
const OC_MIRROR_V2_PART = /^mirror_[0-9]{6}\.tar$/;
const FOREIGN_HINT = 'gantry pushes archives made by gantry mirror only: push this one with the oc-mirror that made it, or make a gantry archive from the same configuration';
/** The first members an oc-mirror v1 archive starts with (its metadata, then its file:// registry store). */
const OC_MIRROR_V1_MEMBER = /^(?:\.\/)?(?:publish\/\.metadata\.json|v2\/|catalogs\/|charts\/|release-signatures\/)/;
const BLOB_MEMBER = /^blobs\/sha256\/([0-9a-f]{64})$/;

function rejected(file: string, message: string, hint = 'copy this file again from where the archive was made; nothing was pushed'): GantryError {
  return new GantryError('ARCHIVE_INVALID', `${basename(file)}: ${message}`, { hint });
}

export async function verifyArchive(dir: string, opts: VerifyOptions = {}): Promise<ArchiveContents> {
  const names = await readdir(dir).catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read archive directory ${dir}`, { cause: err });
  });
  const found = names.flatMap((n) => {
    const p = parsePartFileName(n);
    return p ? [{ file: join(dir, n), ...p }] : [];
  });
  if (found.length === 0) {
    const foreign = names.find((n) => OC_MIRROR_V2_PART.test(n));
    if (foreign) {
      throw new GantryError('ARCHIVE_INVALID', `${dir} holds an oc-mirror v2 archive (${foreign}), not a gantry archive`, { hint: FOREIGN_HINT });
    }
    throw new GantryError('ARCHIVE_INVALID', `${dir} holds no archive (mirror_seq<N>_<part>.tar files)`, { hint: 'point --from at the directory the archive files were copied to' });
  }
  found.sort((a, b) => a.sequence - b.sequence || a.part - b.part);

  const parts: VerifiedPart[] = [];
  const members = new Map<string, MemberLocation>();
  const manifests: ArchiveManifest[] = [];
  for (const sequence of [...new Set(found.map((f) => f.sequence))]) {
    const mine = found.filter((f) => f.sequence === sequence);
    let first: PartIndex | undefined;
    for (const f of mine) {
      throwIfAborted(opts.signal);
      const { index, located, bytes } = await verifyPart(f.file, f.sequence, f.part, opts.signal, opts.onBytes);
      if (first && (index.archiveId !== first.archiveId || index.parts !== first.parts)) {
        throw rejected(f.file, `belongs to another archive than ${basename(mine[0]!.file)} (sequence ${sequence} was written twice?)`, 'keep only the files of one run for each sequence');
      }
      first ??= index;
      for (const [name, loc] of located) members.set(name, loc);
      const part = { file: f.file, sequence, part: f.part, bytes };
      parts.push(part);
      opts.onPart?.(part);
    }
    const have = new Set(mine.map((f) => f.part));
    for (let p = 1; p <= first!.parts; p++) {
      if (!have.has(p)) {
        throw new GantryError('ARCHIVE_INVALID', `sequence ${sequence} has ${first!.parts} parts but mirror_seq${sequence}_${String(p).padStart(6, '0')}.tar is missing`, {
          hint: 'copy every part of the archive into the directory; nothing was pushed',
        });
      }
    }
    const loc = members.get(archiveManifestName(sequence));
    if (!loc) throw rejected(mine[0]!.file, `sequence ${sequence} has no ${archiveManifestName(sequence)}`);
    manifests.push(parseArchiveManifest(await readMember(loc), `${basename(loc.file)}:${archiveManifestName(sequence)}`));
  }
  return { dir, parts, members, manifests };
}

/** The bytes of a small member. */
export async function readMember(loc: MemberLocation, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of openMember(loc, signal)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function openMember(loc: MemberLocation, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (loc.size === 0) return (async function* () {})();
  return createReadStream(loc.file, { start: loc.offset, end: loc.offset + loc.size - 1, highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
}

async function verifyPart(file: string, sequence: number, part: number, signal?: AbortSignal, onBytes?: VerifyOptions['onBytes']): Promise<{ index: PartIndex; located: Map<string, MemberLocation>; bytes: number }> {
  const bytes = (await stat(file)).size;
  const ex = extract();
  const input = createReadStream(file, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  input.on('error', (err) => ex.destroy(err));
  input.pipe(ex);
  let index: PartIndex | undefined;
  let expected = new Map<string, { size: number; sha256: string }>();
  const located = new Map<string, MemberLocation>();
  let done = 0;
  try {
    for await (const entry of ex) {
      // byteOffset: where the member's data starts in the tar (set by tar-stream's reader, not in its types).
      const h = entry.header as Header & { byteOffset?: number };
      const name = h.name;
      if (h.type !== 'file') throw rejected(file, `member "${name}" is a ${h.type ?? 'special entry'}; archives hold plain files only`);
      if (index === undefined) {
        const want = partIndexName(sequence, part);
        if (OC_MIRROR_V1_MEMBER.test(name)) throw rejected(file, `an oc-mirror v1 archive (its first member is ${quoteValue(name)}), not a gantry archive`, FOREIGN_HINT);
        if (name !== want) throw rejected(file, `first member is ${quoteValue(name)}, not its member list ${want}`);
        if ((h.size ?? 0) > MAX_INDEX_BYTES) throw rejected(file, 'its member list is too large');
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        index = parsePartIndex(Buffer.concat(chunks), `${basename(file)}:${name}`);
        if (index.sequence !== sequence || index.part !== part) throw rejected(file, `its member list says sequence ${index.sequence} part ${index.part}; the file name says otherwise`);
        expected = new Map(index.members.map((m) => [m.name, { size: m.size, sha256: m.sha256 }]));
        if (expected.size !== index.members.length) throw rejected(file, 'its member list names a member twice');
        continue;
      }
      const want = expected.get(name);
      if (!want) throw rejected(file, located.has(name) ? `member "${name}" appears twice` : `unexpected member "${name}" (not in its member list)`);
      if (h.size !== want.size) throw rejected(file, `member "${name}" is ${h.size} bytes; its list says ${want.size}`);
      if (typeof h.byteOffset !== 'number') throw new GantryError('INTERNAL', 'tar reader gave no member offsets');
      const hash = createHash('sha256');
      for await (const c of entry) {
        hash.update(c as Buffer);
        done += (c as Buffer).byteLength;
        onBytes?.(file, done, bytes);
      }
      const actual = hash.digest('hex');
      if (actual !== want.sha256) throw rejected(file, `member "${name}" does not match its checksum (damaged in transit?)`);
      // A member list can be recomputed by whoever altered the archive; a blob's name is its digest, so compare that
      // too, here, before anything is pushed (the copy would find it only when it reached this blob).
      const blob = BLOB_MEMBER.exec(name);
      if (blob && blob[1] !== actual) throw rejected(file, `member "${name}" does not match its digest name (the archive was altered)`, 'the archive was altered after it was made; copy it again from where it was made; nothing was pushed');
      expected.delete(name);
      located.set(name, { file, offset: h.byteOffset, size: want.size });
    }
  } catch (err) {
    input.destroy();
    if (err instanceof GantryError) throw err;
    if (signal?.aborted) throw err;
    throw rejected(file, `not a readable tar file (${(err as Error).message})`);
  }
  if (!index) throw rejected(file, 'empty: no member list');
  if (expected.size > 0) throw rejected(file, `truncated: ${expected.size} listed member${expected.size === 1 ? ' is' : 's are'} missing (first: ${[...expected.keys()][0]})`);
  return { index, located, bytes };
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArchiveManifest, ArchivedImage } from '../archive/archive-format.js';
import { isGantryError } from '../errors.js';
import { sha256 } from '../oci/digest.js';
import { checkArchivedImages } from './check-archived-images.js';

const digest = sha256('image');
const hex = digest.slice(7);
const image = (attachments: unknown): ArchivedImage =>
  ({ key: 'example.com/app:1', kind: 'generic', source: 'example.com/app:1', digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 10, attachments }) as ArchivedImage;
const archive = (i: ArchivedImage) => ({ images: [i] }) as unknown as ArchiveManifest;
const att = (tag: string, kind: string) => ({ tag, kind, digest: sha256(tag), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 });

test('check-archived-images/attachments of the image itself pass', () => {
  checkArchivedImages(archive(image([att(`sha256-${hex}.sig`, 'signature'), att(`sha256-${hex}`, 'referrers')])), 'dir');
  const child = sha256('platform manifest');
  checkArchivedImages(archive(image([{ ...att(`sha256-${child.slice(7)}.sig`, 'signature'), subject: child }])), 'dir');
});

test('check-archived-images/altered attachment entries are refused before anything is pushed', () => {
  const cases: [string, unknown][] = [
    ['error/not a list', { tag: 'x' }],
    ['error/another digest', [att(`sha256-${sha256('other').slice(7)}.sig`, 'signature')]],
    ['error/an ordinary tag', [att('latest', 'signature')]],
    ['error/kind does not match the suffix', [att(`sha256-${hex}.att`, 'signature')]],
    ['error/digest not a digest', [{ ...att(`sha256-${hex}.sig`, 'signature'), digest: 'nope' }]],
    ['error/tag of another subject', [{ ...att(`sha256-${hex}.sig`, 'signature'), subject: sha256('x') }]],
    ['error/subject not a digest', [{ ...att(`sha256-${hex}.sig`, 'signature'), subject: 'sha256:1' }]],
  ];
  for (const [name, attachments] of cases) {
    assert.throws(() => checkArchivedImages(archive(image(attachments)), 'dir'), (e) => isGantryError(e, 'ARCHIVE_INVALID'), name);
  }
});

// Everything an archive carries about its images is checked before the first push: sources, digests, target
// names and CatalogSource templates. An altered archive is refused whole, not found out after some images landed.
import type { ArchiveManifest, ArchivedImage } from '../archive/archive-format.js';
import { GantryError, quoteValue } from '../errors.js';
import { compileGoRegex } from '../config/go-regex.js';
import { parseCatalogSourceTemplate } from '../config/catalog-source-template.js';
import { isDigest } from '../oci/digest.js';
import { isTag, parseReference } from '../oci/reference.js';
import { attachmentKindOf } from '../oci/attachment-tags.js';

/** A repository path: lowercase components separated by single slashes (distribution's path grammar). */
const REPOSITORY_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

function refused(where: string, message: string): GantryError {
  return new GantryError('ARCHIVE_INVALID', `${where}: ${message}`, {
    hint: 'the archive was altered or made by an incompatible tool; copy it again from where it was made; nothing was pushed',
  });
}

function checkImage(i: ArchivedImage, where: string): void {
  const at = `${where}: image ${quoteValue(i.key)}`;
  try {
    parseReference(i.source);
  } catch (err) {
    throw refused(at, `its source is not an image reference (${(err as Error).message})`);
  }
  if (!isDigest(i.digest)) throw refused(at, `its digest ${quoteValue(i.digest)} is not a digest`);
  if (i.targetRepo !== undefined && (typeof i.targetRepo !== 'string' || !REPOSITORY_PATH.test(i.targetRepo))) {
    throw refused(at, `its target repository ${quoteValue(String(i.targetRepo))} is not a repository path`);
  }
  if (i.targetTag !== undefined && (typeof i.targetTag !== 'string' || !isTag(i.targetTag))) {
    throw refused(at, `its target tag ${quoteValue(String(i.targetTag))} is not a tag`);
  }
  if (i.attachments !== undefined) {
    if (!Array.isArray(i.attachments)) throw refused(at, 'its attachments entry is not a list');
    for (const a of i.attachments) {
      // Only the image's own attachment tags: an altered entry must not re-tag something else at the destination.
      const subject = (a as { subject?: unknown } | null)?.subject ?? i.digest;
      const ok =
        typeof a === 'object' && a !== null && typeof a.tag === 'string' && typeof a.digest === 'string' && isDigest(a.digest) && typeof subject === 'string' && isDigest(subject) && attachmentKindOf(a.tag, subject) === a.kind;
      if (!ok) throw refused(at, `its attachment ${quoteValue(String((a as { tag?: unknown } | null)?.tag))} is not a signature, attestation, SBOM or referrers tag of ${String(subject)}`);
    }
  }
  const t = i.catalogSourceTemplate;
  if (t !== undefined) {
    if (typeof t !== 'object' || t === null || typeof t.file !== 'string' || typeof t.text !== 'string') throw refused(at, 'its CatalogSource template entry is malformed');
    const first = parseCatalogSourceTemplate(t.text, t.file).issues.find((x) => x.severity === 'error');
    if (first) throw refused(at, `its CatalogSource template ${t.file}:${first.line}:${first.column}: ${first.message}`);
  }
}

/**
 * Throws ARCHIVE_INVALID at the first image entry that could not be pushed as written, or at a blockedImages
 * pattern that does not compile (skipping it would push images the configuration blocked).
 */
export function checkArchivedImages(archive: ArchiveManifest, where: string): void {
  for (const i of archive.images) checkImage(i, where);
  for (const p of archive.blockedImages ?? []) {
    const re = typeof p === 'string' ? compileGoRegex(p) : { error: 'not a string' };
    if (!(re instanceof RegExp)) throw refused(where, `blockedImages pattern ${quoteValue(String(p))} does not compile (${re.error})`);
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachmentKindOf, attachmentTags, cosignTags, isAttachmentTag, referrersTag } from './attachment-tags.js';
import { sha256 } from './digest.js';

const d = sha256('image');
const hex = d.slice('sha256:'.length);

test('attachment-tags/cosign suffixes on the digest with ":" turned into "-"', () => {
  assert.deepEqual(
    cosignTags(d).map((t) => t.tag),
    [`sha256-${hex}.sig`, `sha256-${hex}.att`, `sha256-${hex}.sbom`],
  );
  assert.deepEqual(cosignTags(d).map((t) => t.kind), ['signature', 'attestation', 'sbom']);
});

test('attachment-tags/referrers fallback tag has no suffix and is listed last', () => {
  assert.equal(referrersTag(d), `sha256-${hex}`);
  assert.deepEqual(attachmentTags(d).at(-1), { tag: `sha256-${hex}`, kind: 'referrers' });
});

test('attachment-tags/kind of a tag is only known for the digest it names', () => {
  assert.equal(attachmentKindOf(`sha256-${hex}.att`, d), 'attestation');
  assert.equal(attachmentKindOf(`sha256-${hex}.att`, sha256('other')), undefined);
  assert.equal(attachmentKindOf('latest', d), undefined);
});

test('attachment-tags/isAttachmentTag accepts the four shapes and nothing else', () => {
  for (const ok of [`sha256-${hex}`, `sha256-${hex}.sig`, `sha256-${hex}.att`, `sha256-${hex}.sbom`]) assert.ok(isAttachmentTag(ok), ok);
  for (const bad of ['latest', `sha256-${hex}.exe`, `sha256-${hex.slice(1)}.sig`, `sha256:${hex}`, `sha256-${hex.toUpperCase()}`]) assert.ok(!isAttachmentTag(bad), bad);
});

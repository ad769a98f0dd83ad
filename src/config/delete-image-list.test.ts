// Table tests for the DeleteImageList: the written form (sorted, byte-stable, a golden text), the round trip,
// oc-mirror's own items, and every rule with its exact position; plus a property that no input makes it throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDeleteImageList, parseDeleteImageList, type DeleteItem } from './delete-image-list.js';

const D1 = `sha256:${'1'.repeat(64)}` as const;
const D2 = `sha256:${'2'.repeat(64)}` as const;
const HEAD = 'apiVersion: mirror.openshift.io/v2alpha1\nkind: DeleteImageList\n';
const TARGET = { registry: 'mirror.example:5000', namespace: 'ocp' };

const items: DeleteItem[] = [
  { imageName: 'quay.io/b/tool:1', imageReference: `docker://mirror.example:5000/ocp/b/tool@${D2}`, tag: '1' },
  { imageName: `quay.io/a/op@${D1}`, imageReference: `docker://mirror.example:5000/ocp/a/op@${D1}`, tag: `sha256-${'1'.repeat(64)}` },
];

test('delete-list/format: sorted by destination, byte-stable whatever the input order (golden)', () => {
  const text = formatDeleteImageList(items);
  assert.equal(text, formatDeleteImageList([...items].reverse()));
  assert.equal(
    text,
    [
      '# Manifests that `gantry delete --delete-yaml-file` deletes, by digest. Review; remove an item to keep it.',
      'apiVersion: mirror.openshift.io/v2alpha1',
      'kind: DeleteImageList',
      'items:',
      `  - imageName: quay.io/a/op@${D1}`,
      `    imageReference: docker://mirror.example:5000/ocp/a/op@${D1}`,
      `    tag: sha256-${'1'.repeat(64)}`,
      '  - imageName: quay.io/b/tool:1',
      `    imageReference: docker://mirror.example:5000/ocp/b/tool@${D2}`,
      '    tag: "1"',
      '',
    ].join('\n'),
  );
  assert.equal(formatDeleteImageList([]), '# Manifests that `gantry delete --delete-yaml-file` deletes, by digest. Review; remove an item to keep it.\napiVersion: mirror.openshift.io/v2alpha1\nkind: DeleteImageList\nitems: []\n');
});

test('delete-list/round trip: what is written reads back, with destinations and lines', () => {
  const r = parseDeleteImageList(formatDeleteImageList(items), 'list.yaml', { target: TARGET });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(
    r.items?.map((i) => [i.imageName, i.dest.repository, i.dest.digest, i.tag, i.line]),
    [
      [`quay.io/a/op@${D1}`, 'ocp/a/op', D1, `sha256-${'1'.repeat(64)}`, 5],
      ['quay.io/b/tool:1', 'ocp/b/tool', D2, '1', 8],
    ],
  );
});

test("delete-list/oc-mirror's items (type, relatedBlobs) are read; an empty or null list is no items", () => {
  const r = parseDeleteImageList(`${HEAD}items:\n- imageName: quay.io/a/b:1\n  imageReference: docker://mirror.example:5000/ocp/a/b@${D1}\n  type: 4\n  relatedBlobs: []\n`, 'l.yaml', { target: TARGET });
  assert.deepEqual(r.issues, []);
  assert.equal(r.items?.length, 1);
  assert.deepEqual(parseDeleteImageList(`${HEAD}items:\n`, 'l.yaml').items, []);
});

/** [code, path, line, column] — the structured fields, not the prose. */
type Expected = [string, string, number, number];

const issueCases: { name: string; text: string; want: Expected[] }[] = [
  { name: 'error/yaml syntax', text: `${HEAD}items:\n- imageName: [\n`, want: [['YAML_SYNTAX', '', 5, 1]] },
  { name: 'error/not a mapping', text: '- a\n', want: [['NOT_A_MAPPING', '', 1, 1]] },
  {
    name: 'error/the configuration instead of the list',
    text: 'apiVersion: mirror.openshift.io/v2alpha1\nkind: DeleteImageSetConfiguration\n',
    want: [['KIND_UNSUPPORTED', 'kind', 2, 7]],
  },
  { name: 'error/kind and apiVersion missing', text: 'items: []\n', want: [['FIELD_REQUIRED', 'kind', 1, 1], ['FIELD_REQUIRED', 'apiVersion', 1, 1]] },
  { name: 'error/items not a list', text: `${HEAD}items: 3\n`, want: [['TYPE_MISMATCH', 'items', 3, 8]] },
  {
    name: 'error/a tag instead of a digest',
    text: `${HEAD}items:\n- imageName: quay.io/a/b:1\n  imageReference: docker://mirror.example:5000/ocp/a/b:1\n`,
    want: [['DIGEST_REQUIRED', 'items[0].imageReference', 5, 19]],
  },
  {
    name: 'error/no transport, bad source name',
    text: `${HEAD}items:\n- imageName: Quay.io/UP/b\n  imageReference: mirror.example:5000/ocp/a/b@${D1}\n`,
    want: [
      ['IMAGE_REF_INVALID', 'items[0].imageName', 4, 14],
      ['IMAGE_REF_INVALID', 'items[0].imageReference', 5, 19],
    ],
  },
  {
    name: 'error/another registry, another namespace',
    text: `${HEAD}items:\n- imageName: quay.io/a/b:1\n  imageReference: docker://other:5000/ocp/a/b@${D1}\n- imageName: quay.io/a/b:1\n  imageReference: docker://mirror.example:5000/ocpx/a/b@${D1}\n`,
    want: [
      ['DESTINATION_MISMATCH', 'items[0].imageReference', 5, 19],
      ['DESTINATION_MISMATCH', 'items[1].imageReference', 7, 19],
    ],
  },
  {
    name: 'error/required fields and a typo',
    text: `${HEAD}items:\n- imageRefernce: docker://mirror.example:5000/ocp/a/b@${D1}\n`,
    want: [
      ['FIELD_UNKNOWN', 'items[0].imageRefernce', 4, 3],
      ['FIELD_REQUIRED', 'items[0].imageName', 4, 3],
      ['FIELD_REQUIRED', 'items[0].imageReference', 4, 3],
    ],
  },
  { name: 'error/invalid tag', text: `${HEAD}items:\n- imageName: quay.io/a/b:1\n  imageReference: docker://mirror.example:5000/ocp/a/b@${D1}\n  tag: -x\n`, want: [['TARGET_TAG_INVALID', 'items[0].tag', 6, 8]] },
];

for (const c of issueCases) {
  test(`delete-list/${c.name}`, () => {
    const r = parseDeleteImageList(c.text, 'list.yaml', { target: TARGET });
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.path, i.line, i.column]),
      c.want,
    );
    assert.equal(r.items, undefined, 'a list with an error yields no items: it is deleted whole or not at all');
    assert.ok(r.issues.every((i) => i.file === 'list.yaml'));
  });
}

test('delete-list/property: never throws, and items only without errors', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      const r = parseDeleteImageList(text, 'x.yaml');
      assert.equal(r.items !== undefined, !r.issues.some((i) => i.severity === 'error'));
    }),
    { numRuns: 300 },
  );
});

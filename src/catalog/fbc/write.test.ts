import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryTree } from './file-tree.js';
import { loadCatalog } from './load.js';
import { writeCatalogFiles, writeCatalogJson } from './write.js';
import { emptyConfig } from './types.js';

test('write/typed blobs in Go struct order, with opm\'s omitempty rules', () => {
  const c = emptyConfig();
  c.packages.push({ schema: 'olm.package', name: 'a', defaultChannel: '' });
  c.channels.push({ schema: 'olm.channel', name: 'stable', package: 'a', entries: null });
  c.bundles.push({ schema: 'olm.bundle', name: 'a.v1', package: 'a', image: '', relatedImages: [{ name: '', image: 'quay.io/x:1' }] });
  assert.equal(
    writeCatalogJson(c),
    [
      '{',
      '    "schema": "olm.package",',
      '    "name": "a",',
      '    "defaultChannel": ""',
      '}',
      '{',
      '    "schema": "olm.channel",',
      '    "name": "stable",',
      '    "package": "a",',
      '    "entries": null',
      '}',
      '{',
      '    "schema": "olm.bundle",',
      '    "name": "a.v1",',
      '    "package": "a",',
      '    "image": "",',
      '    "relatedImages": [',
      '        {',
      '            "name": "",',
      '            "image": "quay.io/x:1"',
      '        }',
      '    ]',
      '}',
      '',
    ].join('\n'),
  );
});

test('write/opm\'s object order: packages by name; package, channels, bundles, others, deprecations; root others last', async () => {
  const blobs = [
    { schema: 'custom.root', name: 'r' },
    { schema: 'olm.deprecations', package: 'b', entries: [{ reference: { schema: 'olm.package' }, message: 'm' }] },
    { schema: 'olm.bundle', package: 'b', name: 'b.z', image: 'i' },
    { schema: 'olm.bundle', package: 'b', name: 'b.a', image: 'i' },
    { schema: 'zz.custom', package: 'b', name: 'x' },
    { schema: 'aa.custom', package: 'b', name: 'y' },
    { schema: 'olm.channel', package: 'b', name: 'z', entries: [] },
    { schema: 'olm.channel', package: 'b', name: 'a', entries: [] },
    { schema: 'olm.package', name: 'b', defaultChannel: 'a' },
    { schema: 'olm.package', name: 'a', defaultChannel: 'c' },
  ];
  const { config } = await loadCatalog(createMemoryTree({ 'x.json': blobs.map((b) => JSON.stringify(b)).join('\n') }));
  const out = writeCatalogJson(config);
  const order = [...out.matchAll(/^ {4}"schema": "([^"]+)",\n {4}"(?:name|package)": "([^"]+)"/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(order, ['olm.package a', 'olm.package b', 'olm.channel a', 'olm.channel z', 'olm.bundle b.a', 'olm.bundle b.z', 'aa.custom b', 'zz.custom b', 'olm.deprecations b', 'custom.root r']);
  const files = writeCatalogFiles(config);
  assert.deepEqual([...files.keys()], ['a/catalog.json', 'b/catalog.json', 'catalog.json']);
});

test('write/Go escaping: no HTML escapes, U+2028/U+2029 escaped, lone surrogates become U+FFFD', async () => {
  const { config } = await loadCatalog(createMemoryTree({ 'x.json': '{"schema":"custom.s","name":"n","text":"<a> & \\u2028 \\u2029 \\ud800 ok"}' }));
  const out = writeCatalogJson(config);
  assert.match(out, /"text": "<a> & \\u2028 \\u2029 \ufffd ok"/);
});

test('write/key order preserved by default (round trip); sorted like opm\'s re-encode on request', async () => {
  const text = '{"schema":"olm.bundle","package":"a","name":"a.v1","image":"i","properties":[{"type":"x","value":{"b":1,"a":{"d":1,"c":2}}}]}';
  const { config } = await loadCatalog(createMemoryTree({ 'x.json': text }));
  assert.match(writeCatalogJson(config), /"b": 1,\n\s+"a": \{\n\s+"d": 1,/);
  assert.match(writeCatalogJson(config, { keyOrder: 'sorted' }), /"a": \{\n\s+"c": 2,\n\s+"d": 1\n\s+\},\n\s+"b": 1/);
});

test('write/unknown fields of typed blobs are carried through after the known ones', async () => {
  const { config } = await loadCatalog(createMemoryTree({ 'x.json': '{"schema":"olm.package","name":"a","defaultChannel":"s","zeta":{"k":1},"alpha":true}' }));
  assert.equal(writeCatalogJson(config), '{\n    "schema": "olm.package",\n    "name": "a",\n    "defaultChannel": "s",\n    "alpha": true,\n    "zeta": {\n        "k": 1\n    }\n}\n');
});

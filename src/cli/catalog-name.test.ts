// Table tests for catalog-name.ts: how install plan names the catalogs it is given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameCatalog } from './catalog-name.js';

const cases: [name: string, arg: string, want: { name: string; source: string }][] = [
  ['explicit name', 'redhat=docker://registry.example/redhat/redhat-operator-index:v4.16', { name: 'redhat', source: 'docker://registry.example/redhat/redhat-operator-index:v4.16' }],
  ['directory', '/mirror/catalogs/community/', { name: 'community', source: '/mirror/catalogs/community/' }],
  ['image repository, tag dropped', 'docker://registry.example:5000/olm/certified-index:v4.17', { name: 'certified-index', source: 'docker://registry.example:5000/olm/certified-index:v4.17' }],
  ['image by digest', `docker://r.example/a/idx@sha256:${'a'.repeat(64)}`, { name: 'idx', source: `docker://r.example/a/idx@sha256:${'a'.repeat(64)}` }],
  ['oci layout', 'oci:/data/layout:latest', { name: 'layout', source: 'oci:/data/layout:latest' }],
  ['url', 'https://catalogd.example/catalogs/x/api/v1/all', { name: 'catalogd.example', source: 'https://catalogd.example/catalogs/x/api/v1/all' }],
  ['stdin', '-', { name: 'stdin', source: '-' }],
  ['mirror archive', 'archive:/media/usb/archive/', { name: 'archive', source: 'archive:/media/usb/archive/' }],
  ['mirror archive, one of its catalogs', 'archive:/a#registry.example:5000/redhat/redhat-operator-index:v4.16', { name: 'redhat-operator-index', source: 'archive:/a#registry.example:5000/redhat/redhat-operator-index:v4.16' }],
  ['a path with = is not a name', './A=B', { name: 'A=B', source: './A=B' }],
];

for (const [name, arg, want] of cases) {
  test(`catalog-name/${name}`, () => assert.deepEqual(nameCatalog(arg), want));
}

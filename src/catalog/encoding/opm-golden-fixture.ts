// Test data only: the DeclarativeConfig of operator-registry's alpha/declcfg write_test.go, as the blobs opm's
// writer encodes (in its output order), built the way a catalog writer builds them from declcfg structs.

import { goObject, omitEmpty, rawJson, sortedJson, type GoObject, type JsonPart } from './go-json-writer.js';

interface Prop {
  type: string;
  value: string; // raw JSON
}

/** declcfg.Package: schema, name, defaultChannel (always), icon?, description?, properties?. */
export function packageBlob(p: { name: string; defaultChannel: string; icon?: { base64data: string; mediatype: string }; description?: string; properties?: Prop[] }): GoObject {
  return goObject([
    ['schema', 'olm.package'],
    ['name', p.name],
    ['defaultChannel', p.defaultChannel],
    ['icon', p.icon && goObject([['base64data', p.icon.base64data], ['mediatype', p.icon.mediatype]])],
    ['description', omitEmpty(p.description)],
    ['properties', omitEmpty(p.properties?.map(propertyPart))],
  ]);
}

/** declcfg.Channel: schema, name, package, entries (null when nil), properties?. */
export function channelBlob(c: { name: string; package: string; entries: { name: string; replaces?: string; skips?: string[]; skipRange?: string }[] | null }): GoObject {
  return goObject([
    ['schema', 'olm.channel'],
    ['name', c.name],
    ['package', c.package],
    [
      'entries',
      c.entries === null
        ? null
        : c.entries.map((e) =>
            goObject([
              ['name', e.name],
              ['replaces', omitEmpty(e.replaces)],
              ['skips', omitEmpty(e.skips)],
              ['skipRange', omitEmpty(e.skipRange)],
            ]),
          ),
    ],
  ]);
}

/** declcfg.Bundle: schema, name?, package?, image (always), properties?, relatedImages? {name (always), image}. */
export function bundleBlob(b: { name: string; package: string; image: string; properties: Prop[]; relatedImages: { name: string; image: string }[] }): GoObject {
  return goObject([
    ['schema', 'olm.bundle'],
    ['name', omitEmpty(b.name)],
    ['package', omitEmpty(b.package)],
    ['image', b.image],
    ['properties', omitEmpty(b.properties.map(propertyPart))],
    ['relatedImages', omitEmpty(b.relatedImages.map((r) => goObject([['name', r.name], ['image', r.image]])))],
  ]);
}

/** declcfg.Deprecation: schema, package, entries[] {reference {schema, name?}, message}. */
export function deprecationsBlob(d: { package: string; entries: { schema: string; name?: string; message: string }[] }): GoObject {
  return goObject([
    ['schema', 'olm.deprecations'],
    ['package', d.package],
    ['entries', d.entries.map((e) => goObject([['reference', goObject([['schema', e.schema], ['name', omitEmpty(e.name)]])], ['message', e.message]]))],
  ]);
}

function propertyPart(p: Prop): GoObject {
  return goObject([['type', p.type], ['value', rawJson(p.value)]]);
}

const CRD = '{"kind": "CustomResourceDefinition", "apiVersion": "apiextensions.k8s.io/v1"}';
const csv = (name: string): string => `{"kind": "ClusterServiceVersion", "apiVersion": "operators.coreos.com/v1alpha1", "metadata":{"name":"${name}"}}`;
const icon = (r: number): { base64data: string; mediatype: string } => ({
  base64data: btoa(`<svg viewBox="0 0 100 100"><circle cx="${r}" cy="${r}" r="${r}"/></svg>`),
  mediatype: 'image/svg+xml',
});

function goldenBundle(pkg: string, version: string): GoObject {
  const name = `${pkg}.v${version}`;
  return bundleBlob({
    name,
    package: pkg,
    image: `${pkg}-bundle:v${version}`,
    properties: [
      { type: 'olm.bundle.object', value: JSON.stringify({ data: btoa(CRD) }) },
      { type: 'olm.bundle.object', value: JSON.stringify({ data: btoa(csv(name)) }) },
      { type: 'olm.package', value: JSON.stringify({ packageName: pkg, version }) },
    ],
    relatedImages: [{ name: 'bundle', image: `${pkg}-bundle:v${version}` }],
  });
}

/** The blobs of buildValidDeclarativeConfig({IncludeUnrecognized: true, IncludeDeprecations: true}), in the
 *  order opm's writeToEncoder emits them. Custom-schema blobs are parsed values (written sorted). */
export function goldenBlobs(): JsonPart[] {
  return [
    packageBlob({ name: 'anakin', defaultChannel: 'dark', icon: icon(25), description: 'anakin operator' }),
    channelBlob({
      name: 'dark',
      package: 'anakin',
      entries: [
        { name: 'anakin.v0.0.1' },
        { name: 'anakin.v0.1.0', replaces: 'anakin.v0.0.1' },
        { name: 'anakin.v0.1.1', replaces: 'anakin.v0.0.1', skips: ['anakin.v0.1.0'] },
      ],
    }),
    channelBlob({ name: 'light', package: 'anakin', entries: [{ name: 'anakin.v0.0.1' }, { name: 'anakin.v0.1.0', replaces: 'anakin.v0.0.1' }] }),
    goldenBundle('anakin', '0.0.1'),
    goldenBundle('anakin', '0.1.0'),
    goldenBundle('anakin', '0.1.1'),
    sortedJson({ schema: 'custom.3', package: 'anakin', myField: 'foobar' }),
    deprecationsBlob({
      package: 'anakin',
      entries: [
        { schema: 'olm.bundle', name: 'anakin.v0.0.1', message: 'This bundle version is deprecated' },
        { schema: 'olm.channel', name: 'light', message: 'This channel is deprecated' },
        { schema: 'olm.package', message: 'This package is deprecated... there is another' },
      ],
    }),
    packageBlob({ name: 'boba-fett', defaultChannel: 'mando', icon: icon(50), description: 'boba-fett operator' }),
    channelBlob({ name: 'mando', package: 'boba-fett', entries: [{ name: 'boba-fett.v1.0.0' }, { name: 'boba-fett.v2.0.0', replaces: 'boba-fett.v1.0.0' }] }),
    goldenBundle('boba-fett', '1.0.0'),
    goldenBundle('boba-fett', '2.0.0'),
    sortedJson({ schema: 'custom.3', package: 'boba-fett', myField: 'foobar' }),
    sortedJson({ schema: 'custom.1' }),
    sortedJson({ schema: 'custom.2' }),
  ];
}

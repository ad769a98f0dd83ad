// Golden tests for the struct-ordered writer: operator-registry's TestWriteJSON output (alpha/declcfg
// write_test.go) rebuilt from declcfg-shaped data, plus omitempty, raw values, compact and plain-value output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compactGoJson,
  encodeGoBlob,
  encodeGoIndented,
  goObject,
  omitEmpty,
  rawJson,
  sortedJson,
  writeGoJson,
} from './go-json-writer.js';
import { bundleBlob, channelBlob, goldenBlobs, packageBlob } from './opm-golden-fixture.js';

// opm's TestWriteJSON "Success" expectation (opm render/migrate -o json).
const TEST_WRITE_JSON = `
{
    "schema": "olm.package",
    "name": "anakin",
    "defaultChannel": "dark",
    "icon": {
        "base64data": "PHN2ZyB2aWV3Qm94PSIwIDAgMTAwIDEwMCI+PGNpcmNsZSBjeD0iMjUiIGN5PSIyNSIgcj0iMjUiLz48L3N2Zz4=",
        "mediatype": "image/svg+xml"
    },
    "description": "anakin operator"
}
{
    "schema": "olm.channel",
    "name": "dark",
    "package": "anakin",
    "entries": [
        {
            "name": "anakin.v0.0.1"
        },
        {
            "name": "anakin.v0.1.0",
            "replaces": "anakin.v0.0.1"
        },
        {
            "name": "anakin.v0.1.1",
            "replaces": "anakin.v0.0.1",
            "skips": [
                "anakin.v0.1.0"
            ]
        }
    ]
}
{
    "schema": "olm.channel",
    "name": "light",
    "package": "anakin",
    "entries": [
        {
            "name": "anakin.v0.0.1"
        },
        {
            "name": "anakin.v0.1.0",
            "replaces": "anakin.v0.0.1"
        }
    ]
}
{
    "schema": "olm.bundle",
    "name": "anakin.v0.0.1",
    "package": "anakin",
    "image": "anakin-bundle:v0.0.1",
    "properties": [
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkN1c3RvbVJlc291cmNlRGVmaW5pdGlvbiIsICJhcGlWZXJzaW9uIjogImFwaWV4dGVuc2lvbnMuazhzLmlvL3YxIn0="
            }
        },
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkNsdXN0ZXJTZXJ2aWNlVmVyc2lvbiIsICJhcGlWZXJzaW9uIjogIm9wZXJhdG9ycy5jb3Jlb3MuY29tL3YxYWxwaGExIiwgIm1ldGFkYXRhIjp7Im5hbWUiOiJhbmFraW4udjAuMC4xIn19"
            }
        },
        {
            "type": "olm.package",
            "value": {
                "packageName": "anakin",
                "version": "0.0.1"
            }
        }
    ],
    "relatedImages": [
        {
            "name": "bundle",
            "image": "anakin-bundle:v0.0.1"
        }
    ]
}
{
    "schema": "olm.bundle",
    "name": "anakin.v0.1.0",
    "package": "anakin",
    "image": "anakin-bundle:v0.1.0",
    "properties": [
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkN1c3RvbVJlc291cmNlRGVmaW5pdGlvbiIsICJhcGlWZXJzaW9uIjogImFwaWV4dGVuc2lvbnMuazhzLmlvL3YxIn0="
            }
        },
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkNsdXN0ZXJTZXJ2aWNlVmVyc2lvbiIsICJhcGlWZXJzaW9uIjogIm9wZXJhdG9ycy5jb3Jlb3MuY29tL3YxYWxwaGExIiwgIm1ldGFkYXRhIjp7Im5hbWUiOiJhbmFraW4udjAuMS4wIn19"
            }
        },
        {
            "type": "olm.package",
            "value": {
                "packageName": "anakin",
                "version": "0.1.0"
            }
        }
    ],
    "relatedImages": [
        {
            "name": "bundle",
            "image": "anakin-bundle:v0.1.0"
        }
    ]
}
{
    "schema": "olm.bundle",
    "name": "anakin.v0.1.1",
    "package": "anakin",
    "image": "anakin-bundle:v0.1.1",
    "properties": [
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkN1c3RvbVJlc291cmNlRGVmaW5pdGlvbiIsICJhcGlWZXJzaW9uIjogImFwaWV4dGVuc2lvbnMuazhzLmlvL3YxIn0="
            }
        },
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkNsdXN0ZXJTZXJ2aWNlVmVyc2lvbiIsICJhcGlWZXJzaW9uIjogIm9wZXJhdG9ycy5jb3Jlb3MuY29tL3YxYWxwaGExIiwgIm1ldGFkYXRhIjp7Im5hbWUiOiJhbmFraW4udjAuMS4xIn19"
            }
        },
        {
            "type": "olm.package",
            "value": {
                "packageName": "anakin",
                "version": "0.1.1"
            }
        }
    ],
    "relatedImages": [
        {
            "name": "bundle",
            "image": "anakin-bundle:v0.1.1"
        }
    ]
}
{
    "myField": "foobar",
    "package": "anakin",
    "schema": "custom.3"
}
{
    "schema": "olm.deprecations",
    "package": "anakin",
    "entries": [
        {
            "reference": {
                "schema": "olm.bundle",
                "name": "anakin.v0.0.1"
            },
            "message": "This bundle version is deprecated"
        },
        {
            "reference": {
                "schema": "olm.channel",
                "name": "light"
            },
            "message": "This channel is deprecated"
        },
        {
            "reference": {
                "schema": "olm.package"
            },
            "message": "This package is deprecated... there is another"
        }
    ]
}
{
    "schema": "olm.package",
    "name": "boba-fett",
    "defaultChannel": "mando",
    "icon": {
        "base64data": "PHN2ZyB2aWV3Qm94PSIwIDAgMTAwIDEwMCI+PGNpcmNsZSBjeD0iNTAiIGN5PSI1MCIgcj0iNTAiLz48L3N2Zz4=",
        "mediatype": "image/svg+xml"
    },
    "description": "boba-fett operator"
}
{
    "schema": "olm.channel",
    "name": "mando",
    "package": "boba-fett",
    "entries": [
        {
            "name": "boba-fett.v1.0.0"
        },
        {
            "name": "boba-fett.v2.0.0",
            "replaces": "boba-fett.v1.0.0"
        }
    ]
}
{
    "schema": "olm.bundle",
    "name": "boba-fett.v1.0.0",
    "package": "boba-fett",
    "image": "boba-fett-bundle:v1.0.0",
    "properties": [
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkN1c3RvbVJlc291cmNlRGVmaW5pdGlvbiIsICJhcGlWZXJzaW9uIjogImFwaWV4dGVuc2lvbnMuazhzLmlvL3YxIn0="
            }
        },
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkNsdXN0ZXJTZXJ2aWNlVmVyc2lvbiIsICJhcGlWZXJzaW9uIjogIm9wZXJhdG9ycy5jb3Jlb3MuY29tL3YxYWxwaGExIiwgIm1ldGFkYXRhIjp7Im5hbWUiOiJib2JhLWZldHQudjEuMC4wIn19"
            }
        },
        {
            "type": "olm.package",
            "value": {
                "packageName": "boba-fett",
                "version": "1.0.0"
            }
        }
    ],
    "relatedImages": [
        {
            "name": "bundle",
            "image": "boba-fett-bundle:v1.0.0"
        }
    ]
}
{
    "schema": "olm.bundle",
    "name": "boba-fett.v2.0.0",
    "package": "boba-fett",
    "image": "boba-fett-bundle:v2.0.0",
    "properties": [
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkN1c3RvbVJlc291cmNlRGVmaW5pdGlvbiIsICJhcGlWZXJzaW9uIjogImFwaWV4dGVuc2lvbnMuazhzLmlvL3YxIn0="
            }
        },
        {
            "type": "olm.bundle.object",
            "value": {
                "data": "eyJraW5kIjogIkNsdXN0ZXJTZXJ2aWNlVmVyc2lvbiIsICJhcGlWZXJzaW9uIjogIm9wZXJhdG9ycy5jb3Jlb3MuY29tL3YxYWxwaGExIiwgIm1ldGFkYXRhIjp7Im5hbWUiOiJib2JhLWZldHQudjIuMC4wIn19"
            }
        },
        {
            "type": "olm.package",
            "value": {
                "packageName": "boba-fett",
                "version": "2.0.0"
            }
        }
    ],
    "relatedImages": [
        {
            "name": "bundle",
            "image": "boba-fett-bundle:v2.0.0"
        }
    ]
}
{
    "myField": "foobar",
    "package": "boba-fett",
    "schema": "custom.3"
}
{
    "schema": "custom.1"
}
{
    "schema": "custom.2"
}
`;

test('writer/TestWriteJSON golden', () => {
  assert.equal(goldenBlobs().map(encodeGoBlob).join(''), TEST_WRITE_JSON.slice(1));
});

test('writer/olm.package: defaultChannel always written, optional fields omitted', () => {
  assert.equal(
    encodeGoBlob(packageBlob({ name: 'p', defaultChannel: '' })),
    '{\n    "schema": "olm.package",\n    "name": "p",\n    "defaultChannel": ""\n}\n',
  );
});

test('writer/olm.channel: nil entries written as null, empty entries as []', () => {
  assert.equal(
    encodeGoBlob(channelBlob({ name: 'c', package: 'p', entries: null })),
    '{\n    "schema": "olm.channel",\n    "name": "c",\n    "package": "p",\n    "entries": null\n}\n',
  );
  assert.match(encodeGoBlob(channelBlob({ name: 'c', package: 'p', entries: [] })), /"entries": \[\]\n\}\n$/);
});

test('writer/olm.bundle: image always, relatedImages name always, raw values keep key order', () => {
  const blob = bundleBlob({
    name: '',
    package: '',
    image: '',
    properties: [{ type: 'olm.csv.metadata', value: '{"displayName":"X","annotations":{"b":"1","a":"<2>"},"installModes":[{"type":"OwnNamespace","supported":true}],"provider":{}}' }],
    relatedImages: [{ name: '', image: 'quay.io/x@sha256:00' }],
  });
  assert.equal(
    encodeGoBlob(blob),
    [
      '{',
      '    "schema": "olm.bundle",',
      '    "image": "",',
      '    "properties": [',
      '        {',
      '            "type": "olm.csv.metadata",',
      '            "value": {',
      '                "displayName": "X",',
      '                "annotations": {',
      '                    "b": "1",',
      '                    "a": "<2>"',
      '                },',
      '                "installModes": [',
      '                    {',
      '                        "type": "OwnNamespace",',
      '                        "supported": true',
      '                    }',
      '                ],',
      '                "provider": {}',
      '            }',
      '        }',
      '    ],',
      '    "relatedImages": [',
      '        {',
      '            "name": "",',
      '            "image": "quay.io/x@sha256:00"',
      '        }',
      '    ]',
      '}',
      '',
    ].join('\n'),
  );
});

test('writer/omitEmpty follows Go omitempty', () => {
  const cases: [string, unknown, boolean][] = [
    ['empty string', '', true],
    ['zero', 0, true],
    ['false', false, true],
    ['null (nil slice/pointer)', null, true],
    ['undefined', undefined, true],
    ['empty array', [], true],
    ['empty map', {}, true],
    ['map of undefined', { a: undefined }, true],
    ['empty raw', rawJson(''), true],
    ['sorted null', sortedJson(null), true],
    ['struct is never empty', goObject([]), false],
    ['text', 'x', false],
    ['number', 1, false],
    ['true', true, false],
    ['array', [0], false],
    ['map', { a: 0 }, false],
    ['raw null', rawJson('null'), false],
  ];
  for (const [name, v, omitted] of cases) assert.equal(omitEmpty(v as never) === undefined, omitted, name);
});

test('writer/values escape like Go, U+2028 escaped, HTML raw, -0 kept', () => {
  assert.equal(
    writeGoJson(goObject([['s', 'a\u2028<&>\ud800'], ['n', -0], ['e', 1e21], ['o', goObject([])], ['a', []]])),
    '{\n    "s": "a\\u2028<&>\ufffd",\n    "n": -0,\n    "e": 1e+21,\n    "o": {},\n    "a": []\n}',
  );
});

test('writer/sorted values are written indented with sorted keys', () => {
  assert.equal(
    writeGoJson(goObject([['value', sortedJson({ b: [1, { d: 1, c: 2 }], '10': {}, a: 'x' })]]), 1, '  '),
    '{\n    "value": {\n      "10": {},\n      "a": "x",\n      "b": [\n        1,\n        {\n          "c": 2,\n          "d": 1\n        }\n      ]\n    }\n  }',
  );
});

test('writer/nil raw message is null', () => {
  assert.equal(writeGoJson(goObject([['value', rawJson('')]])), '{\n    "value": null\n}');
});

test('writer/encodeGoIndented: JS key order, Go escaping, trailing newline', () => {
  assert.equal(encodeGoIndented({ z: 1, a: ['\u2029'], u: undefined, e: {} }), '{\n    "z": 1,\n    "a": [\n        "\\u2029"\n    ],\n    "e": {}\n}\n');
  assert.equal(encodeGoIndented('x'), '"x"\n');
});

test('writer/compact output like json.Marshal and SetEscapeHTML(false)', () => {
  const part = goObject([
    ['schema', 'olm.bundle'],
    ['value', rawJson('{ "a" : "<b>\u2028" ,\n "c":[ 1, 2 ] }')],
    ['sorted', sortedJson({ y: '&', x: 1 })],
    ['skip', undefined],
  ]);
  assert.equal(compactGoJson(part), '{"schema":"olm.bundle","value":{"a":"<b>\u2028","c":[1,2]},"sorted":{"x":1,"y":"&"}}');
  assert.equal(
    compactGoJson(part, { escapeHtml: true }),
    '{"schema":"olm.bundle","value":{"a":"\\u003cb\\u003e\\u2028","c":[1,2]},"sorted":{"x":1,"y":"\\u0026"}}',
  );
});

test('writer/unsupported values throw', () => {
  assert.throws(() => writeGoJson([undefined] as never), { code: 'INTERNAL' });
  assert.throws(() => writeGoJson((() => 1) as never), { code: 'INTERNAL' });
  assert.throws(() => writeGoJson(NaN), { code: 'INTERNAL' });
});

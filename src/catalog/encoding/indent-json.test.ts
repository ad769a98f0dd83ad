// Golden tests for indentJson (Go json.Indent with prefix "" at a nesting depth): raw values embedded at
// several depths keep their key order, strings are copied verbatim, empties stay compact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indentJson } from './indent-json.js';

test('indent/raw property value at the depth opm embeds it (3)', () => {
  const raw = '{"packageName":"anakin","version":"0.0.1"}';
  assert.equal(
    indentJson(raw, 3),
    '{\n' + '                "packageName": "anakin",\n' + '                "version": "0.0.1"\n' + '            }',
  );
});

test('indent/depths 0, 1 and 2 with nesting and empties', () => {
  const compact = '{"z":[1,{"b":[],"a":{}}],"a":null}';
  assert.equal(
    indentJson(compact, 0),
    ['{', '    "z": [', '        1,', '        {', '            "b": [],', '            "a": {}', '        }', '    ],', '    "a": null', '}'].join('\n'),
  );
  assert.equal(
    indentJson(compact, 1),
    ['{', '        "z": [', '            1,', '            {', '                "b": [],', '                "a": {}', '            }', '        ],', '        "a": null', '    }'].join('\n'),
  );
  assert.equal(indentJson('[[],[[]],{}]', 2, '  '), ['[', '      [],', '      [', '        []', '      ],', '      {}', '    ]'].join('\n'));
});

test('indent/scalars and empties unchanged', () => {
  for (const s of ['1', '-0', '1e+21', 'true', 'null', '"x"', '{}', '[]']) assert.equal(indentJson(s, 3), s);
});

test('indent/strings copied verbatim, punctuation inside strings ignored', () => {
  const compact = '{"a,b":"x:{[\\"]}\\\\","c\\u2028":"\\u003c<"}';
  assert.equal(indentJson(compact, 0), '{\n    "a,b": "x:{[\\"]}\\\\",\n    "c\\u2028": "\\u003c<"\n}');
});

test('indent/already indented input is re-indented, key order kept', () => {
  const pretty = '{\n  "9": 1,\n  "10": [ 2 ,3 ],\n\t"1": { }\n}\n';
  assert.equal(indentJson(pretty, 0), '{\n    "9": 1,\n    "10": [\n        2,\n        3\n    ],\n    "1": {}\n}');
});

test('indent/unterminated string is an error', () => {
  assert.throws(() => indentJson('{"a":"b', 0), { code: 'INTERNAL' });
});

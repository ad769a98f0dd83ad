// renderMermaidGraph against opm's own golden output (OR:alpha/declcfg/write_test.go TestWriteMermaidChannels,
// fixture from helpers_test.go buildValidDeclarativeConfig), opm's rules case by case, and a real catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDirectoryTree } from '../../files/dir-tree.js';
import { loadCatalog } from '../fbc/load.js';
import { emptyConfig, type Bundle, type Channel, type ChannelEntry, type DeclarativeConfig } from '../fbc/types.js';
import { parseRange, parseVersion, compareVersions } from '../../semver/index.js';
import { REAL_CATALOG } from '../../../test/corpus.js';
import { GraphError } from './graph-error.js';
import { renderMermaidGraph } from './mermaid.js';

const bundle = (pkg: string, version: string, name = `${pkg}.v${version}`): Bundle => ({
  schema: 'olm.bundle',
  name,
  package: pkg,
  image: `test.registry/${pkg}-operator/${pkg}-bundle:v${version}`,
  properties: [{ type: 'olm.package', value: { packageName: pkg, version } }],
});

const channel = (pkg: string, name: string, ...entries: ChannelEntry[]): Channel => ({ schema: 'olm.channel', name, package: pkg, entries });

/** opm's buildValidDeclarativeConfig({IncludeUnrecognized: true, IncludeDeprecations: true}). */
function opmFixture(): DeclarativeConfig {
  const cfg = emptyConfig();
  cfg.packages.push(
    { schema: 'olm.package', name: 'anakin', defaultChannel: 'dark' },
    { schema: 'olm.package', name: 'boba-fett', defaultChannel: 'mando' },
  );
  cfg.channels.push(
    channel(
      'anakin',
      'dark',
      { name: 'anakin.v0.0.1' },
      { name: 'anakin.v0.1.0', replaces: 'anakin.v0.0.1' },
      { name: 'anakin.v0.1.1', replaces: 'anakin.v0.0.1', skips: ['anakin.v0.1.0'] },
    ),
    channel('anakin', 'light', { name: 'anakin.v0.0.1' }, { name: 'anakin.v0.1.0', replaces: 'anakin.v0.0.1' }),
    channel('boba-fett', 'mando', { name: 'boba-fett.v1.0.0' }, { name: 'boba-fett.v2.0.0', replaces: 'boba-fett.v1.0.0' }),
  );
  cfg.bundles.push(bundle('anakin', '0.0.1'), bundle('anakin', '0.1.0'), bundle('anakin', '0.1.1'), bundle('boba-fett', '1.0.0'), bundle('boba-fett', '2.0.0'));
  cfg.others.push(
    { schema: 'custom.1', blob: { schema: 'custom.1' } },
    { schema: 'custom.2', blob: { schema: 'custom.2' } },
    { schema: 'custom.3', package: 'anakin', blob: { myField: 'foobar', package: 'anakin', schema: 'custom.3' } },
    { schema: 'custom.3', package: 'boba-fett', blob: { myField: 'foobar', package: 'boba-fett', schema: 'custom.3' } },
  );
  cfg.deprecations.push({
    schema: 'olm.deprecations',
    package: 'anakin',
    entries: [
      { reference: { schema: 'olm.bundle', name: 'anakin.v0.0.1' }, message: 'This bundle version is deprecated' },
      { reference: { schema: 'olm.channel', name: 'light' }, message: 'This channel is deprecated' },
      { reference: { schema: 'olm.package' }, message: 'This package is deprecated... there is another' },
    ],
  });
  return cfg;
}

const HEADER = `graph LR
  classDef deprecated fill:#E8960F
  classDef skipped stroke:#FF0000,stroke-width:4px
  classDef deprecatedskipped fill:#E8960F,stroke:#FF0000,stroke-width:4px
`;

// The three golden outputs of TestWriteMermaidChannels. opm's test uses NewMermaidWriter(), whose
// DrawV0Semantics default is true (the render-graph command's flag defaults to false).
const GOLDEN: { name: string; minimumEdge?: string; packages?: string[]; expected: string }[] = [
  {
    name: 'SuccessNoFilters',
    expected: `${HEADER}  %% package "anakin"
  subgraph "anakin"
    %% channel "dark"
    subgraph anakin-dark["dark"]
      anakin-dark-anakin.v0.1.1["anakin.v0.1.1"]
      anakin-dark-anakin.v0.1.0["anakin.v0.1.0"]-- skip --> anakin-dark-anakin.v0.1.1["anakin.v0.1.1"]
      anakin-dark-anakin.v0.0.1["anakin.v0.0.1"]-- replace --> anakin-dark-anakin.v0.1.1["anakin.v0.1.1"]
      anakin-dark-anakin.v0.1.0["anakin.v0.1.0"]
      anakin-dark-anakin.v0.0.1["anakin.v0.0.1"]-- replace --> anakin-dark-anakin.v0.1.0["anakin.v0.1.0"]
      anakin-dark-anakin.v0.0.1["anakin.v0.0.1"]
    end
    %% channel "light"
    subgraph anakin-light["light"]
      anakin-light-anakin.v0.1.0["anakin.v0.1.0"]
      anakin-light-anakin.v0.0.1["anakin.v0.0.1"]-- replace --> anakin-light-anakin.v0.1.0["anakin.v0.1.0"]
      anakin-light-anakin.v0.0.1["anakin.v0.0.1"]
    end
  end
  %% package "boba-fett"
  subgraph "boba-fett"
    %% channel "mando"
    subgraph boba-fett-mando["mando"]
      boba-fett-mando-boba-fett.v2.0.0["boba-fett.v2.0.0"]
      boba-fett-mando-boba-fett.v1.0.0["boba-fett.v1.0.0"]-- replace --> boba-fett-mando-boba-fett.v2.0.0["boba-fett.v2.0.0"]
      boba-fett-mando-boba-fett.v1.0.0["boba-fett.v1.0.0"]
    end
  end
style anakin fill:#989695
style anakin-light fill:#DCD0FF
class anakin-dark-anakin.v0.0.1,anakin-light-anakin.v0.0.1 deprecated
class anakin-dark-anakin.v0.1.0 skipped
linkStyle 2 stroke:#FF0000,stroke-width:3px,stroke-dasharray:5;
`,
  },
  {
    name: 'SuccessMinEdgeFilter',
    minimumEdge: 'anakin.v0.1.0',
    expected: `${HEADER}  %% package "anakin"
  subgraph "anakin"
    %% channel "dark"
    subgraph anakin-dark["dark"]
      anakin-dark-anakin.v0.1.1["anakin.v0.1.1"]
      anakin-dark-anakin.v0.1.0["anakin.v0.1.0"]-- skip --> anakin-dark-anakin.v0.1.1["anakin.v0.1.1"]
      anakin-dark-anakin.v0.1.0["anakin.v0.1.0"]
    end
    %% channel "light"
    subgraph anakin-light["light"]
      anakin-light-anakin.v0.1.0["anakin.v0.1.0"]
    end
  end
style anakin fill:#989695
style anakin-light fill:#DCD0FF
class anakin-dark-anakin.v0.1.0 skipped
`,
  },
  {
    name: 'SuccessPackageNameFilter',
    packages: ['boba-fett'],
    expected: `${HEADER}  %% package "boba-fett"
  subgraph "boba-fett"
    %% channel "mando"
    subgraph boba-fett-mando["mando"]
      boba-fett-mando-boba-fett.v2.0.0["boba-fett.v2.0.0"]
      boba-fett-mando-boba-fett.v1.0.0["boba-fett.v1.0.0"]-- replace --> boba-fett-mando-boba-fett.v2.0.0["boba-fett.v2.0.0"]
      boba-fett-mando-boba-fett.v1.0.0["boba-fett.v1.0.0"]
    end
  end
`,
  },
];

for (const g of GOLDEN) {
  test(`mermaid/golden opm TestWriteMermaidChannels/${g.name}`, () => {
    const opts = { drawV0Semantics: true, ...(g.minimumEdge ? { minimumEdge: g.minimumEdge } : {}), ...(g.packages ? { packages: g.packages } : {}) };
    assert.equal(renderMermaidGraph(opmFixture(), opts), g.expected);
  });
}

test('mermaid/render-graph default (no v0 semantics) drops the skipped class and link style only', () => {
  const out = renderMermaidGraph(opmFixture());
  const golden = GOLDEN[0]!.expected.split('\n').filter((l) => !l.startsWith('class anakin-dark-anakin.v0.1.0 skipped') && !l.startsWith('linkStyle'));
  assert.equal(out, golden.join('\n'));
});

test('mermaid/the caller config is not reordered', () => {
  const cfg = opmFixture();
  cfg.channels.reverse();
  const before = cfg.channels.map((c) => c.name);
  renderMermaidGraph(cfg);
  assert.deepEqual(cfg.channels.map((c) => c.name), before);
});

test('mermaid/skipRange edges come from every entry in range, in the channel order, with the raw range label', () => {
  const cfg = emptyConfig();
  cfg.bundles.push(bundle('p', '1.0.0'), bundle('p', '1.1.0'), bundle('p', '2.0.0'));
  cfg.channels.push(channel('p', 'c', { name: 'p.v1.1.0' }, { name: 'p.v1.0.0' }, { name: 'p.v2.0.0', skipRange: '>=1.0.0 <2.0.0' }));
  assert.equal(
    renderMermaidGraph(cfg),
    `${HEADER}  %% package "p"
  subgraph "p"
    %% channel "c"
    subgraph p-c["c"]
      p-c-p.v2.0.0["p.v2.0.0"]
      p-c-p.v1.1.0["p.v1.1.0"]-- "skipRange(>=1.0.0 <2.0.0)" --> p-c-p.v2.0.0["p.v2.0.0"]
      p-c-p.v1.0.0["p.v1.0.0"]-- "skipRange(>=1.0.0 <2.0.0)" --> p-c-p.v2.0.0["p.v2.0.0"]
      p-c-p.v1.1.0["p.v1.1.0"]
      p-c-p.v1.0.0["p.v1.0.0"]
    end
  end
`,
  );
});

test('mermaid/an invalid skipRange is reported with opm warning text and ignored', () => {
  const cfg = emptyConfig();
  cfg.bundles.push(bundle('p', '1.0.0'), bundle('p', '2.0.0'));
  cfg.channels.push(channel('p', 'c', { name: 'p.v1.0.0' }, { name: 'p.v2.0.0', replaces: 'p.v1.0.0', skipRange: '~1.0' }));
  const warnings: string[] = [];
  const out = renderMermaidGraph(cfg, { onWarning: (w) => warnings.push(w) });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^warning: ignoring invalid SkipRange for package\/edge "p"\/"p\.v2\.0\.0": /);
  assert.ok(!out.includes('skipRange'));
  assert.ok(out.includes('p-c-p.v1.0.0["p.v1.0.0"]-- replace --> p-c-p.v2.0.0["p.v2.0.0"]'));
});

test('mermaid/v0 semantics: a second skip of the same bundle and edges into a skipped bundle are link-styled', () => {
  const cfg = emptyConfig();
  cfg.bundles.push(bundle('p', '1.0.0'), bundle('p', '1.1.0'), bundle('p', '1.2.0'));
  cfg.channels.push(
    channel('p', 'c', { name: 'p.v1.0.0' }, { name: 'p.v1.1.0', replaces: 'p.v1.0.0', skips: ['p.v1.0.0'] }, { name: 'p.v1.2.0', skips: ['p.v1.0.0', 'p.v1.1.0'] }),
  );
  cfg.deprecations.push({ schema: 'olm.deprecations', package: 'p', entries: [{ reference: { schema: 'olm.bundle', name: 'p.v1.0.0' }, message: 'old' }] });
  const out = renderMermaidGraph(cfg, { drawV0Semantics: true }).split('\n');
  // links: 0 1.0.0-skip->1.2.0, 1 1.1.0-skip->1.2.0, 2 1.0.0-skip->1.1.0 (second skip of 1.0.0), 3 replace into 1.1.0 (skipped)
  assert.ok(out.includes('linkStyle 2,3 stroke:#FF0000,stroke-width:3px,stroke-dasharray:5;'));
  assert.ok(out.includes('class p-c-p.v1.0.0 deprecatedskipped'));
  assert.ok(out.includes('class p-c-p.v1.1.0 skipped'));
});

test('mermaid/without filters an empty channel is still drawn; with a filter it is dropped', () => {
  const cfg = emptyConfig();
  cfg.bundles.push(bundle('p', '1.0.0'));
  cfg.channels.push(channel('p', 'a'), { schema: 'olm.channel', name: 'b', package: 'p', entries: null }, channel('p', 'c', { name: 'p.v1.0.0' }));
  const all = renderMermaidGraph(cfg);
  assert.ok(all.includes('    subgraph p-a["a"]\n    end\n'));
  assert.ok(all.includes('    subgraph p-b["b"]\n    end\n'));
  const filtered = renderMermaidGraph(cfg, { packages: ['p'] });
  assert.ok(!filtered.includes('p-a['));
  assert.ok(filtered.includes('p-c-p.v1.0.0'));
});

test('mermaid/names are quoted like Go %q', () => {
  const cfg = emptyConfig();
  cfg.bundles.push(bundle('p', '1.0.0', 'b"1\u00e9\u0007'));
  cfg.channels.push(channel('p', 'ch "x"', { name: 'b"1\u00e9\u0007' }));
  const out = renderMermaidGraph(cfg);
  assert.ok(out.includes('    %% channel "ch \\"x\\""\n    subgraph p-ch "x"["ch \\"x\\""]\n'));
  assert.ok(out.includes('      p-ch "x"-b"1\u00e9\u0007["b\\"1\u00e9\\a"]\n'));
});

test('mermaid/error cases carry opm messages', () => {
  const cases: { name: string; mutate: (c: DeclarativeConfig) => void; opts?: { minimumEdge: string }; code: string; message: string }[] = [
    {
      name: 'error/unknown minimum edge',
      mutate: () => undefined,
      opts: { minimumEdge: 'nope' },
      code: 'GRAPH_MINIMUM_EDGE_UNKNOWN',
      message: 'unknown minimum edge name: "nope"',
    },
    {
      name: 'error/bundle without olm.package',
      mutate: (c) => {
        c.bundles[0]!.properties = [];
      },
      code: 'GRAPH_BUNDLE_VERSION_INVALID',
      message: 'bundle "anakin.v0.0.1" has multiple "olm.package" properties, expected exactly 1',
    },
    {
      name: 'error/invalid version',
      mutate: (c) => {
        c.bundles[1]!.properties = [{ type: 'olm.package', value: { packageName: 'anakin', version: 'v0.1.0' } }];
      },
      code: 'GRAPH_BUNDLE_VERSION_INVALID',
      message: 'bundle "anakin.v0.1.0" has invalid version "v0.1.0": Invalid character(s) found in major number "v0"',
    },
    {
      name: 'error/unparseable property',
      mutate: (c) => {
        c.bundles[2]!.properties = [{ type: 'olm.package', value: 'x' }];
      },
      code: 'GRAPH_BUNDLE_VERSION_INVALID',
      message: 'parse properties for bundle "anakin.v0.1.1": parse property[0] of type "olm.package": json: cannot unmarshal string into Go value of type property.Package',
    },
  ];
  for (const c of cases) {
    const cfg = opmFixture();
    c.mutate(cfg);
    assert.throws(
      () => renderMermaidGraph(cfg, c.opts),
      (err: unknown) => err instanceof GraphError && err.code === c.code && err.message === c.message,
      c.name,
    );
  }
});

/** 15 channels over 5 packages sharing 3 channel names, and a 14-entry channel full of equal versions. */
function tiesFixture(): DeclarativeConfig {
  const cfg = emptyConfig();
  const names = ['stable', 'alpha', 'beta'];
  for (const [pi, p] of ['e', 'd', 'c', 'b', 'a'].entries()) {
    const bundles: string[] = [];
    for (let i = 0; i < (p === 'c' ? 14 : 3); i++) {
      bundles.push(`${p}.v${i}`);
      // Many equal versions; every 4th bundle has no blob at all (it reads as 0.0.0).
      if (i % 4 !== 3) cfg.bundles.push(bundle(p, `1.${i % 3}.0`, `${p}.v${i}`));
    }
    for (let ci = 0; ci < 3; ci++) {
      const entries = bundles.map((b, i) => ({ name: b, ...(i > 0 ? { replaces: bundles[i - 1] } : {}), ...(i > 1 ? { skips: [bundles[0]!, bundles[i - 2]!] } : {}) }));
      cfg.channels.push(channel(p, names[(ci + pi) % 3]!, ...entries));
    }
  }
  return cfg;
}

test('mermaid/ties are broken as Go sort.Slice breaks them (expected lines produced by opm code built with Go)', () => {
  const lines = renderMermaidGraph(tiesFixture(), { drawV0Semantics: true }).split('\n');
  const start = lines.indexOf('    subgraph c-alpha["alpha"]');
  const nodes = lines.slice(start + 1, lines.indexOf('    end', start)).filter((l) => !l.includes('-->'));
  // Equal versions keep pdqsort's order (a stable sort would give v2, v5, v8 first).
  assert.deepEqual(
    nodes.map((l) => l.trim()),
    ['c.v8', 'c.v2', 'c.v5', 'c.v1', 'c.v13', 'c.v4', 'c.v10', 'c.v9', 'c.v0', 'c.v6', 'c.v12', 'c.v7', 'c.v11', 'c.v3'].map((n) => `c-alpha-${n}["${n}"]`),
  );
  // Link ids count across all channels in sorted order, so they fix the order of same-named channels too.
  assert.equal(
    lines.find((l) => l.startsWith('linkStyle')),
    'linkStyle 3,4,6,10,13,16,19,22,24,25,28,30,31,33,34,36,38,42,46,50,56,57,59,63,66,69,72,75,77,78,81,83,84,86,87,89,91,95,99,103,107,113,114,116,120,123,126,129,132,134,135,138,140,141,143,144,146,148,152,156 stroke:#FF0000,stroke-width:3px,stroke-dasharray:5;',
  );
  assert.equal(
    lines.find((l) => l.startsWith('class ')),
    'class a-alpha-a.v0,a-beta-a.v0,a-stable-a.v0,b-alpha-b.v0,b-beta-b.v0,b-stable-b.v0,c-alpha-c.v0,c-alpha-c.v11,c-alpha-c.v3,c-alpha-c.v6,c-alpha-c.v7,c-beta-c.v0,c-beta-c.v11,c-beta-c.v3,c-beta-c.v6,c-beta-c.v7,c-stable-c.v0,c-stable-c.v11,c-stable-c.v3,c-stable-c.v6,c-stable-c.v7,d-alpha-d.v0,d-beta-d.v0,d-stable-d.v0,e-alpha-e.v0,e-beta-e.v0,e-stable-e.v0 skipped',
  );
});

test('mermaid/real catalog: opendatahub-operator drawn with every entry as a node and every edge', async () => {
  const { config, issues } = await loadCatalog(await createDirectoryTree(REAL_CATALOG));
  assert.deepEqual(issues, []);
  const pkg = 'opendatahub-operator';
  const out = renderMermaidGraph(config, { packages: [pkg], drawV0Semantics: true });
  const lines = out.split('\n');
  assert.equal(lines.pop(), '');
  assert.deepEqual(lines.slice(0, 4), HEADER.trimEnd().split('\n'));
  assert.equal(lines[4], `  %% package "${pkg}"`);
  assert.equal(lines[5], `  subgraph "${pkg}"`);

  const versionOf = new Map<string, ReturnType<typeof parseVersion>>();
  for (const b of config.bundles) {
    if (b.package !== pkg) continue;
    const p = b.properties!.find((x) => x.type === 'olm.package')!.value as { version: string };
    versionOf.set(b.name, parseVersion(p.version));
  }
  const channels = config.channels.filter((c) => c.package === pkg).sort((a, b) => (a.name < b.name ? -1 : 1));
  assert.ok(channels.length >= 2);
  const lineSet = new Set(lines);
  let edges = 0;
  for (const ch of channels) {
    const id = `${pkg}-${ch.name}`;
    const start = lines.indexOf(`    subgraph ${id}["${ch.name}"]`);
    assert.ok(start > 0, `channel ${ch.name} has a subgraph`);
    assert.equal(lines[start - 1], `    %% channel "${ch.name}"`);
    const end = lines.indexOf('    end', start);
    const body = lines.slice(start + 1, end);
    // Nodes: every entry exactly once, newest first.
    const nodes = body.filter((l) => !l.includes('-->'));
    assert.equal(nodes.length, ch.entries!.length);
    const nodeNames = nodes.map((l) => /^ {6}\S+\["(.*)"\]$/.exec(l)![1]!);
    assert.deepEqual(new Set(nodeNames), new Set(ch.entries!.map((e) => e.name)));
    for (let i = 1; i < nodeNames.length; i++) assert.ok(compareVersions(versionOf.get(nodeNames[i - 1]!)!, versionOf.get(nodeNames[i]!)!) >= 0);
    for (const e of ch.entries!) {
      const to = `${id}-${e.name}["${e.name}"]`;
      if (e.replaces) {
        assert.ok(lineSet.has(`      ${id}-${e.replaces}["${e.replaces}"]-- replace --> ${to}`), `replaces ${e.replaces} -> ${e.name}`);
        edges++;
      }
      for (const s of e.skips ?? []) {
        assert.ok(lineSet.has(`      ${id}-${s}["${s}"]-- skip --> ${to}`), `skip ${s} -> ${e.name}`);
        edges++;
      }
      if (e.skipRange) {
        const range = parseRange(e.skipRange);
        for (const o of ch.entries!) {
          if (!range(versionOf.get(o.name)!)) continue;
          assert.ok(lineSet.has(`      ${id}-${o.name}["${o.name}"]-- "skipRange(${e.skipRange})" --> ${to}`));
          edges++;
        }
      }
    }
    assert.equal(body.length - nodes.length, body.filter((l) => l.includes('-->')).length);
  }
  assert.equal(lines.filter((l) => l.includes('-->')).length, edges, 'no edge that the catalog does not have');
  assert.ok(edges > 20);
  assert.ok(!lines.some((l) => l.includes('subgraph "') && !l.includes(pkg)), 'only the requested package');
});

test('mermaid/real catalog: the whole catalog draws, packages sorted, each once', async () => {
  const { config } = await loadCatalog(await createDirectoryTree(REAL_CATALOG));
  const out = renderMermaidGraph(config);
  const pkgs = [...out.matchAll(/^ {2}subgraph "(.*)"$/gm)].map((m) => m[1]!);
  const expected = [...new Set(config.channels.map((c) => c.package))].sort();
  assert.deepEqual(pkgs, expected);
  const nodeCount = out.split('\n').filter((l) => l.startsWith('      ') && !l.includes('-->')).length;
  assert.equal(nodeCount, config.channels.reduce((n, c) => n + (c.entries?.length ?? 0), 0));
});

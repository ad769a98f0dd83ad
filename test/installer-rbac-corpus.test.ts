// The installer RBAC generator over real bundles: each of the 304 corpus bundles that OLM v1 can render is rendered
// (src/install/render-registry-v1.ts), its installer RBAC generated and read back as YAML, and checked with
// src/rbac's authorizer: every request the pre-flight makes is allowed and check-rbac finds nothing missing; on a
// sample, removing any one rule denies some request (the set is minimal).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRbacObjects, type RbacObjects } from '../src/config/rbac-objects.js';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { checkInstallerRbac } from '../src/install/check-installer-rbac.js';
import { readBundleContent } from '../src/install/bundle-content.js';
import { requiredAccess } from '../src/install/installer-access.js';
import { planInstallerRules } from '../src/install/installer-rules.js';
import { buildInstallerRbac, formatInstallerRbacYaml } from '../src/install/installer-rbac.js';
import type { ManifestObject } from '../src/install/manifests.js';
import { renderRegistryV1 } from '../src/install/render-registry-v1.js';
import { createAuthorizer } from '../src/rbac/index.js';
import { CORPUS } from './corpus.js';

const BUNDLES = join(CORPUS, 'bundles', 'latest-per-package');
const EXT = { name: 'ext', namespace: 'ops', serviceAccount: 'ext-installer' };
/** Every SAMPLE-th bundle also gets the minimality check (one authorizer pass per rule: the costly part). */
const SAMPLE = 12;

function policyOf(rules: ReturnType<typeof planInstallerRules>): RbacObjects {
  const parsed = parseRbacObjects(formatInstallerRbacYaml(buildInstallerRbac(rules, EXT)), 'generated.yaml');
  assert.deepEqual(parsed.issues, []);
  return parsed.objects!;
}

function render(content: Awaited<ReturnType<typeof readBundleContent>>): ManifestObject[] {
  try {
    return renderRegistryV1(content, { installNamespace: EXT.namespace });
  } catch {
    return renderRegistryV1(content, { installNamespace: EXT.namespace, watchNamespace: EXT.namespace });
  }
}

test('installer-rbac-corpus/every renderable corpus bundle: generated RBAC allows all, check-rbac agrees, sampled sets are minimal', async () => {
  let checked = 0;
  let minimal = 0;
  for (const pkg of (await readdir(BUNDLES)).sort()) {
    for (const version of (await readdir(join(BUNDLES, pkg))).sort()) {
      if (!(await stat(join(BUNDLES, pkg, version))).isDirectory()) continue;
      let content;
      try {
        content = await readBundleContent(await createDirectoryTree(join(BUNDLES, pkg, version)));
      } catch {
        continue; // the one bundle OLM v1 cannot load (install-render-corpus names it)
      }
      const rendered = render(content);
      const accesses = requiredAccess(rendered, EXT);
      const rules = planInstallerRules(accesses);
      const policy = policyOf(rules);
      const authorize = createAuthorizer(policy, { namespace: EXT.namespace, name: EXT.serviceAccount });
      const denied = accesses.filter((a) => authorize(a.request) === undefined);
      assert.deepEqual(denied.map((a) => a.request), [], `${pkg}: every request is allowed`);
      assert.deepEqual(checkInstallerRbac(rendered, EXT, policy).missing, [], `${pkg}: check-rbac finds nothing missing`);
      if (checked % SAMPLE === 0) {
        rules.forEach((rule, i) => {
          const without = createAuthorizer(policyOf(rules.filter((_, j) => j !== i)), { namespace: EXT.namespace, name: EXT.serviceAccount });
          assert.ok(accesses.some((a) => without(a.request) === undefined), `${pkg}: rule ${JSON.stringify(rule)} can be removed`);
        });
        minimal++;
      }
      checked++;
    }
  }
  assert.equal(checked, 304);
  assert.ok(minimal >= 25, `minimality checked on ${minimal} bundles`);
});

// The least-privilege RBAC for a ClusterExtension's installer ServiceAccount (OLM v1.3–v1.10 need one): the SA, a
// ClusterRole and binding for cluster-wide rules, a Role and binding per namespace; YAML with a comment on each rule.
import { Document, isSeq } from 'yaml';
import { byteOrder } from '../order.js';
import { requiredAccess, type RequiredAccessOptions } from './installer-access.js';
import { explainRule, planInstallerRules, type ExplainedRule } from './installer-rules.js';
import type { ExtensionIdentity, ManifestObject } from './manifests.js';

export interface InstallerRbac {
  /** ServiceAccount, ClusterRole, ClusterRoleBinding, then a Role and a RoleBinding per namespace (byte order). */
  objects: ManifestObject[];
  /** notes[i][j]: the comment lines for rule j of objects[i] (empty for objects without rules). */
  notes: string[][][];
}

const RBAC_V1 = 'rbac.authorization.k8s.io/v1';

export function installerRoleName(ext: ExtensionIdentity): string {
  return `${ext.name}-installer`;
}

export function generateInstallerRbac(rendered: readonly ManifestObject[], ext: ExtensionIdentity, opts: RequiredAccessOptions = {}): InstallerRbac {
  return buildInstallerRbac(planInstallerRules(requiredAccess(rendered, ext, opts)), ext);
}

/** The objects for a set of planned rules (exported so a test can remove one rule and rebuild). */
export function buildInstallerRbac(rules: readonly ExplainedRule[], ext: ExtensionIdentity): InstallerRbac {
  const name = installerRoleName(ext);
  const subjects = [{ kind: 'ServiceAccount', name: ext.serviceAccount, namespace: ext.namespace }];
  const objects: ManifestObject[] = [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: ext.serviceAccount, namespace: ext.namespace } }];
  const notes: string[][][] = [[]];
  const push = (obj: ManifestObject, scoped: readonly ExplainedRule[]): void => {
    objects.push(obj);
    notes.push(scoped.map((r) => explainRule(r.needs)));
  };
  const cluster = rules.filter((r) => r.namespace === '');
  if (cluster.length > 0) {
    push({ apiVersion: RBAC_V1, kind: 'ClusterRole', metadata: { name }, rules: cluster.map((r) => r.rule) }, cluster);
    push({ apiVersion: RBAC_V1, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects }, []);
  }
  const namespaces = [...new Set(rules.map((r) => r.namespace).filter((ns) => ns !== ''))].sort(byteOrder);
  for (const namespace of namespaces) {
    const scoped = rules.filter((r) => r.namespace === namespace);
    push({ apiVersion: RBAC_V1, kind: 'Role', metadata: { name, namespace }, rules: scoped.map((r) => r.rule) }, scoped);
    push({ apiVersion: RBAC_V1, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects }, []);
  }
  return { objects, notes };
}

/** Multi-document YAML, a comment above each rule saying which bundle objects need it; byte-identical for identical input. */
export function formatInstallerRbacYaml(rbac: InstallerRbac, header: readonly string[] = []): string {
  return rbac.objects
    .map((obj, i) => {
      const doc = new Document(obj);
      if (i === 0 && header.length > 0) doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
      const rules = doc.get('rules', true);
      if (isSeq(rules)) {
        rules.items.forEach((item, j) => {
          const lines = rbac.notes[i]?.[j] ?? [];
          if (lines.length > 0 && item && typeof item === 'object') (item as { commentBefore?: string }).commentBefore = lines.map((l) => ` ${l}`).join('\n');
        });
      }
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

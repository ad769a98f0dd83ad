// Reader for the operator's templates: every reference from a template object to an ImageStreamTag in the
// `openshift` namespace (BuildConfig strategy from, DeploymentConfig imageChangeParams, image.openshift.io/triggers).
import type { LineCounter } from 'yaml';
import { isMap, isSeq } from 'yaml';
import type { SampleArchitecture, SampleTemplate, SamplesIssue, TemplateReference } from './samples-model.js';
import { child, entries, items, lineOf, text, textAt } from './yaml-nodes.js';

/** The namespace the operator installs imagestreams into; templates point there through ${NAMESPACE}. */
export const SAMPLES_NAMESPACE = 'openshift';

export interface TemplateReadOptions {
  file: string;
  lines: LineCounter;
  issues: SamplesIssue[];
  architecture?: SampleArchitecture;
}

/** ${NAME} replaced by the parameter's default `value` (what `oc new-app` would use without -p). */
function substitute(value: string, params: Map<string, string>): string {
  return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => params.get(name) ?? whole);
}

export function readTemplate(root: unknown, opts: TemplateReadOptions): SampleTemplate | undefined {
  const { file, lines, issues } = opts;
  const name = textAt(root, 'metadata', 'name') ?? '(unnamed)';
  const params = new Map<string, string>();
  for (const p of items(child(root, 'parameters'))) {
    const n = textAt(p, 'name');
    const v = textAt(p, 'value');
    if (n !== undefined && v !== undefined) params.set(n, v);
  }
  const line = lineOf(lines, root);
  const template: SampleTemplate = { name, references: [], at: { file, ...(line === undefined ? {} : { line }) } };
  if (opts.architecture !== undefined) template.architecture = opts.architecture;

  const add = (object: string, from: { name?: string; namespace?: string }, node: unknown) => {
    if (from.name === undefined) return;
    const nsRaw = from.namespace;
    const ns = nsRaw === undefined ? undefined : substitute(nsRaw, params);
    // Without a namespace the stream is the application's own (in its project), not a sample.
    if (ns === undefined || ns === '') return;
    const refLine = lineOf(lines, node) ?? line;
    const where = { file, ...(refLine === undefined ? {} : { line: refLine }) };
    const resolved = substitute(from.name, params);
    if (ns.includes('${') || resolved.includes('${')) {
      issues.push({ severity: 'warning', code: 'TEMPLATE_UNRESOLVED', message: `template ${name} ${object}: ${from.name} in ${nsRaw} has a parameter without a default value; the reference is not counted`, ...where });
      return;
    }
    if (ns !== SAMPLES_NAMESPACE) return;
    const colon = resolved.indexOf(':');
    if (colon <= 0) {
      issues.push({ severity: 'warning', code: 'TEMPLATE_UNRESOLVED', message: `template ${name} ${object}: ImageStreamTag ${JSON.stringify(resolved)} is not <imagestream>:<tag>`, ...where });
      return;
    }
    const ref: TemplateReference = { imagestream: resolved.slice(0, colon), tag: resolved.slice(colon + 1), object, at: where };
    template.references.push(ref);
  };

  for (const obj of items(child(root, 'objects'))) {
    const object = `${textAt(obj, 'kind') ?? 'object'}/${textAt(obj, 'metadata', 'name') ?? '?'}`;
    walk(obj, (node) => {
      if (textAt(node, 'kind') === 'ImageStreamTag' && textAt(node, 'name') !== undefined) {
        add(object, { name: textAt(node, 'name')!, ...optional('namespace', textAt(node, 'namespace')) }, node);
      }
    });
    // Deployments name their image through a JSON annotation instead of a field.
    const triggersNode = child(child(child(obj, 'metadata'), 'annotations'), 'image.openshift.io/triggers');
    const triggers = text(triggersNode);
    if (triggers !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(triggers);
      } catch {
        issues.push({ severity: 'warning', code: 'TEMPLATE_UNRESOLVED', message: `template ${name} ${object}: the image.openshift.io/triggers annotation is not JSON; its references are not counted`, file, ...(lineOf(lines, triggersNode) === undefined ? {} : { line: lineOf(lines, triggersNode)! }) });
        parsed = [];
      }
      for (const t of Array.isArray(parsed) ? parsed : []) {
        const from = (t as { from?: { kind?: unknown; name?: unknown; namespace?: unknown } } | null)?.from;
        if (from?.kind === 'ImageStreamTag' && typeof from.name === 'string') {
          add(object, { name: from.name, ...optional('namespace', typeof from.namespace === 'string' ? from.namespace : undefined) }, triggersNode);
        }
      }
    }
  }
  return template;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function walk(node: unknown, visit: (node: unknown) => void): void {
  if (isMap(node)) {
    visit(node);
    for (const [, v] of entries(node)) walk(v, visit);
  } else if (isSeq(node)) {
    for (const i of node.items) walk(i, visit);
  }
}

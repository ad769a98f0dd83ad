// The samples readers' entry points: one file of any supported shape (ConfigMap, ImageStream(List), List,
// Template), an assets directory tree, and combineSamples, which resolves aliases and finds duplicate tags.
import type { LineCounter } from 'yaml';
import { GantryError } from '../errors.js';
import { readConfigMap } from './read-configmap.js';
import { kindOf, readImageStream } from './read-imagestreams.js';
import { readTemplate } from './read-templates.js';
import type { SampleArchitecture, SampleImageStream, SamplesFile, SamplesInputKind, SamplesIssue, SamplesSet, SampleTemplate } from './samples-model.js';
import { parseArchitecture } from './samples-model.js';
import { child, items, lineOf, parseObjects } from './yaml-nodes.js';

/** What the assets reader needs of a directory: relative '/'-separated paths and bytes (FileTree fits). */
export interface SamplesTree {
  list(opts?: { signal?: AbortSignal }): Promise<string[]>;
  read(path: string, opts?: { signal?: AbortSignal }): Promise<Uint8Array>;
}

interface ReadContext {
  file: string;
  lines: LineCounter;
  issues: SamplesIssue[];
  input?: SamplesInputKind;
  architecture?: SampleArchitecture;
}

function emptySet(): SamplesSet {
  return { imagestreams: [], templates: [], issues: [] };
}

const KIND_HINT = 'give the imagestreamtag-to-image ConfigMap, `oc get is -n openshift -o json` output, ImageStream or Template files, or the operator\'s assets directory';

/** Reads one exported file: YAML or JSON, one or more documents, any of the shapes above. */
export function readSamplesFile(input: SamplesFile): SamplesSet {
  const set = emptySet();
  const parsed = parseObjects(input.text);
  for (const e of parsed.errors) set.issues.push({ severity: 'error', code: 'SYNTAX', message: e.message, file: input.file, line: e.line });
  if (parsed.errors.length > 0) return set;
  if (parsed.roots.length === 0) {
    set.issues.push({ severity: 'error', code: 'UNKNOWN_INPUT', message: `the file is empty; ${KIND_HINT}`, file: input.file });
    return set;
  }
  for (const root of parsed.roots) readObject(root, { file: input.file, lines: parsed.lines, issues: set.issues }, set);
  return set;
}

function readObject(root: unknown, ctx: ReadContext, set: SamplesSet): void {
  const kind = kindOf(root);
  const line = lineOf(ctx.lines, root);
  const where = { file: ctx.file, ...(line === undefined ? {} : { line }) };
  switch (kind) {
    case 'ConfigMap':
      set.imagestreams.push(...readConfigMap(root, ctx.file, ctx.lines, ctx.issues));
      return;
    case 'ImageStream': {
      const s = readImageStream(root, { file: ctx.file, lines: ctx.lines, issues: ctx.issues, input: ctx.input ?? 'imagestreams', ...arch(ctx) });
      if (s) set.imagestreams.push(s);
      return;
    }
    case 'Template': {
      const t = readTemplate(root, { file: ctx.file, lines: ctx.lines, issues: ctx.issues, ...arch(ctx) });
      if (t) set.templates.push(t);
      return;
    }
    case 'List':
    case 'ImageStreamList':
    case 'ConfigMapList':
    case 'TemplateList': {
      const list = items(child(root, 'items'));
      if (list.length === 0) ctx.issues.push({ severity: 'warning', code: 'UNKNOWN_INPUT', message: `the ${kind} has no items`, ...where });
      for (const item of list) {
        // Items of a typed list may omit kind (the API server's lists do not repeat it).
        const itemKind = kindOf(item) ?? (kind === 'List' ? undefined : kind.slice(0, -'List'.length));
        if (itemKind !== undefined && kindOf(item) === undefined) readTyped(item, itemKind, ctx, set);
        else readObject(item, ctx, set);
      }
      return;
    }
    default:
      ctx.issues.push({ severity: 'error', code: 'UNKNOWN_INPUT', message: `a ${kind === undefined ? 'document without kind' : `${kind}`} is not a samples input; ${KIND_HINT}`, ...where });
  }
}

function readTyped(item: unknown, kind: string, ctx: ReadContext, set: SamplesSet): void {
  if (kind === 'ImageStream') {
    const s = readImageStream(item, { file: ctx.file, lines: ctx.lines, issues: ctx.issues, input: ctx.input ?? 'imagestreams', ...arch(ctx) });
    if (s) set.imagestreams.push(s);
  } else if (kind === 'ConfigMap') set.imagestreams.push(...readConfigMap(item, ctx.file, ctx.lines, ctx.issues));
  else if (kind === 'Template') {
    const t = readTemplate(item, { file: ctx.file, lines: ctx.lines, issues: ctx.issues, ...arch(ctx) });
    if (t) set.templates.push(t);
  }
}

function arch(ctx: ReadContext): { architecture?: SampleArchitecture } {
  return ctx.architecture === undefined ? {} : { architecture: ctx.architecture };
}

/** The architecture named by a path segment: x86_64, aarch64, … or the source repository's ocp-x86_64, okd-x86_64. */
export function architectureOfPath(path: string): SampleArchitecture | undefined {
  // The segment nearest the file wins: the directory the user named may hold an architecture's name higher up.
  for (const segment of path.split('/').reverse()) {
    const m = /^(?:ocp-|okd-)?(x86_64|aarch64|ppc64le|s390x)$/.exec(segment);
    if (m) return parseArchitecture(m[1]!);
  }
  return undefined;
}

/**
 * Reads an assets tree as the operator does: files under a directory named `imagestreams` are ImageStreams, under
 * `templates` Templates (pkg/stub/files.go keys on the directory name's suffix); the architecture comes from a
 * path segment. `label` prefixes each file in issues (the directory the user named).
 */
export async function readSamplesTree(tree: SamplesTree, label: string, opts: { signal?: AbortSignal } = {}): Promise<SamplesSet> {
  const set = emptySet();
  const all = await tree.list(opts);
  // The operator's source repository holds OCP (ocp-<arch>) and OKD (okd-<arch>) assets side by side; an image
  // ships one of them. With both, OCP's are read and OKD's are left out with one warning (give them alone for OKD).
  const hasOcp = all.some((p) => /(^|\/)ocp-[^/]+\//.test(`${label}/${p}`));
  const paths = hasOcp ? all.filter((p) => !/(^|\/)okd-[^/]+\//.test(`${label}/${p}`)) : all;
  if (paths.length < all.length) {
    const dirs = [...new Set(all.filter((p) => !paths.includes(p)).map((p) => /^(.*?okd-[^/]+)\//.exec(p)?.[1] ?? p))].sort();
    set.issues.push({ severity: 'warning', code: 'IGNORED_FILE', message: `OKD assets left out (${dirs.join(', ')}): the OCP ones are read; give an okd-<arch> directory alone to plan OKD's samples`, file: label });
  }
  let used = 0;
  for (const path of paths) {
    const segments = path.split('/');
    const dir = segments.length >= 2 ? segments[segments.length - 2]! : '';
    const role = dir.endsWith('imagestreams') ? 'imagestreams' : dir.endsWith('templates') ? 'templates' : undefined;
    const file = `${label.replace(/\/+$/, '')}/${path}`;
    if (role === undefined || !/\.(json|ya?ml)$/.test(path)) {
      set.issues.push({ severity: 'info', code: 'IGNORED_FILE', message: 'not under an imagestreams/ or templates/ directory (or not .json/.yaml): not read', file });
      continue;
    }
    used++;
    const text = new TextDecoder().decode(await tree.read(path, opts));
    const parsed = parseObjects(text);
    for (const e of parsed.errors) set.issues.push({ severity: 'error', code: 'SYNTAX', message: e.message, file, line: e.line });
    const architecture = architectureOfPath(file);
    const ctx: ReadContext = { file, lines: parsed.lines, issues: set.issues, input: 'assets', ...(architecture === undefined ? {} : { architecture }) };
    for (const root of parsed.roots) {
      const kind = kindOf(root);
      const expected = role === 'imagestreams' ? 'ImageStream' : 'Template';
      if (kind !== expected && kind !== 'List' && kind !== `${expected}List`) {
        const line = lineOf(parsed.lines, root);
        set.issues.push({ severity: 'warning', code: 'UNKNOWN_INPUT', message: `a ${kind ?? 'document without kind'} under ${role}/ (expected ${expected}): not read`, file, ...(line === undefined ? {} : { line }) });
        continue;
      }
      readObject(root, ctx, set);
    }
  }
  if (used === 0) {
    throw new GantryError('CONFIG_INVALID', `${label} holds no imagestreams/*.json or templates/*.json files`, {
      hint: 'give the operator\'s assets directory (<arch>/<group>/imagestreams/*.json, as under /opt/openshift/operator in its image), the samples operator image or a release payload itself (--from docker://REF), or the exported imagestreamtag-to-image ConfigMap',
    });
  }
  return set;
}

function streamKey(s: { name: string; architecture?: SampleArchitecture }): string {
  return `${s.architecture ?? ''}/${s.name}`;
}

/**
 * Combines what several inputs gave: imagestreams of the same name (and architecture) are merged, a tag read
 * twice with the same from is a warning (kept once), with a different from an error naming both places; then
 * ImageStreamTag aliases are resolved to the DockerImage they lead to.
 */
export function combineSamples(sets: readonly SamplesSet[]): SamplesSet {
  const out = emptySet();
  const streams = new Map<string, SampleImageStream>();
  const templates: SampleTemplate[] = [];
  for (const set of sets) {
    out.issues.push(...set.issues);
    templates.push(...set.templates);
    for (const s of set.imagestreams) {
      const key = streamKey(s);
      let target = streams.get(key);
      if (!target) {
        target = { ...s, tags: [] };
        streams.set(key, target);
      }
      for (const tag of s.tags) {
        const prior = target.tags.find((t) => t.tag === tag.tag);
        if (!prior) {
          target.tags.push(tag);
          continue;
        }
        const same = prior.from.kind === tag.from.kind && prior.from.name === tag.from.name && (prior.from.namespace ?? '') === (tag.from.namespace ?? '');
        const where = `${prior.at.file}${prior.at.line === undefined ? '' : `:${prior.at.line}`}`;
        out.issues.push(
          same
            ? { severity: 'warning', code: 'DUPLICATE_TAG', message: `the tag is listed again (first at ${where}) with the same from ${tag.from.name}: planned once`, file: tag.at.file, ...line(tag.at.line), imagestream: s.name, tag: tag.tag }
            : { severity: 'error', code: 'CONFLICTING_TAG', message: `the tag is listed again (first at ${where}) with from ${tag.from.kind} ${tag.from.name} instead of ${prior.from.kind} ${prior.from.name}: which one is meant?`, file: tag.at.file, ...line(tag.at.line), imagestream: s.name, tag: tag.tag },
        );
      }
    }
  }
  out.imagestreams = [...streams.values()];
  out.templates = templates;
  resolveAliases(out.imagestreams, out.issues);
  return out;
}

function line(l: number | undefined): { line?: number } {
  return l === undefined ? {} : { line: l };
}

/**
 * An ImageStreamTag `from` names `tag` (same stream) or `stream:tag`; without a namespace (or with `openshift`,
 * where the operator puts every stream) it is followed inside the set, of the same architecture. Another
 * namespace, a missing target or a cycle is reported on the tag, which is then not planned.
 */
function resolveAliases(streams: SampleImageStream[], issues: SamplesIssue[]): void {
  const byKey = new Map(streams.map((s) => [streamKey(s), s]));
  for (const s of streams) {
    for (const tag of s.tags) {
      if (tag.from.kind !== 'ImageStreamTag') continue;
      const who = { file: tag.at.file, ...line(tag.at.line), imagestream: s.name, tag: tag.tag };
      if (tag.from.namespace !== undefined && tag.from.namespace !== 'openshift') {
        issues.push({ severity: 'warning', code: 'ALIAS_OTHER_NAMESPACE', message: `from ImageStreamTag ${tag.from.namespace}/${tag.from.name} is in another namespace than openshift: not followed, not planned`, ...who });
        continue;
      }
      const seen: string[] = [`${s.name}:${tag.tag}`];
      let stream = s;
      let name = tag.from.name;
      for (;;) {
        const colon = name.indexOf(':');
        const streamName = colon < 0 ? stream.name : name.slice(0, colon);
        const tagName = colon < 0 ? name : name.slice(colon + 1);
        const next = byKey.get(streamKey({ name: streamName, ...(s.architecture === undefined ? {} : { architecture: s.architecture }) }));
        const target = next?.tags.find((t) => t.tag === tagName);
        const label = `${streamName}:${tagName}`;
        if (!next || !target) {
          issues.push({ severity: 'error', code: 'ALIAS_DANGLING', message: `from ImageStreamTag ${tag.from.name} leads to ${label}, which is not in the input${seen.length > 1 ? ` (through ${seen.slice(1).join(' → ')})` : ''}`, ...who });
          break;
        }
        if (seen.includes(label)) {
          issues.push({ severity: 'error', code: 'ALIAS_CYCLE', message: `from ImageStreamTag ${tag.from.name} is a cycle: ${[...seen, label].join(' → ')}`, ...who });
          break;
        }
        seen.push(label);
        if (target.from.kind === 'DockerImage') {
          if (target.image !== undefined) {
            tag.image = target.image;
            tag.aliasOf = streamName === s.name ? tagName : label;
            issues.push({ severity: 'info', code: 'ALIAS_RESOLVED', message: `alias of ${seen.slice(1).join(' → ')}: imports ${target.image}, mirrored with that tag`, ...who });
          }
          break;
        }
        if (target.from.kind !== 'ImageStreamTag') break;
        if (target.from.namespace !== undefined && target.from.namespace !== 'openshift') {
          issues.push({ severity: 'warning', code: 'ALIAS_OTHER_NAMESPACE', message: `from ImageStreamTag ${tag.from.name} leads to ${target.from.namespace}/${target.from.name}, another namespace: not followed`, ...who });
          break;
        }
        stream = next;
        name = target.from.name;
      }
    }
  }
}

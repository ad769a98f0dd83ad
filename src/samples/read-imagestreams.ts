// Reader for ImageStream objects (one, an ImageStreamList from `oc get is -n openshift -o json`, a v1 List, or
// the operator's asset files): each spec.tags[] entry with its `from`, labels and line; aliases resolved later.
import type { LineCounter } from 'yaml';
import type { SampleArchitecture, SampleImageStream, SampleTag, SamplesInputKind, SamplesIssue } from './samples-model.js';
import { checkPullSpec, isImageStreamName, isTagName } from './pull-spec.js';
import { child, items, lineOf, text, textAt } from './yaml-nodes.js';

export interface ImageStreamReadOptions {
  file: string;
  lines: LineCounter;
  issues: SamplesIssue[];
  input: SamplesInputKind;
  architecture?: SampleArchitecture;
}

export function readImageStream(root: unknown, opts: ImageStreamReadOptions): SampleImageStream | undefined {
  const { file, lines, issues } = opts;
  const name = textAt(root, 'metadata', 'name');
  const streamLine = lineOf(lines, root);
  if (name === undefined || !isImageStreamName(name)) {
    issues.push({ severity: 'error', code: 'FIELD_INVALID', message: `an ImageStream without a valid metadata.name (${JSON.stringify(name ?? null)}): its tags cannot be planned`, file, ...lineField(streamLine) });
    return undefined;
  }
  const stream: SampleImageStream = { name, tags: [], at: { file, ...lineField(streamLine) }, input: opts.input };
  if (opts.architecture !== undefined) stream.architecture = opts.architecture;
  const tagsNode = child(child(root, 'spec'), 'tags');
  for (const node of items(tagsNode)) {
    const line = lineOf(lines, node);
    const tagName = textAt(node, 'name');
    if (tagName === undefined || !isTagName(tagName)) {
      issues.push({ severity: 'error', code: 'FIELD_INVALID', message: `a tag without a valid name (${JSON.stringify(tagName ?? null)})`, file, ...lineField(line), imagestream: name });
      continue;
    }
    const fromNode = child(node, 'from');
    const kind = textAt(fromNode, 'kind');
    const fromName = textAt(fromNode, 'name');
    const who = { file, ...lineField(lineOf(lines, fromNode) ?? line), imagestream: name, tag: tagName };
    if (fromNode === undefined || kind === undefined || fromName === undefined || fromName === '') {
      issues.push({ severity: 'warning', code: 'NO_FROM', message: 'the tag has no from.kind/from.name: nothing to import, nothing planned', ...who });
      continue;
    }
    const labelText = textAt(node, 'annotations', 'tags') ?? '';
    const labels = labelText.split(',').map((l) => l.trim()).filter((l) => l !== '');
    const tag: SampleTag = {
      imagestream: name,
      tag: tagName,
      from: { kind, name: fromName },
      labels: labels.filter((l) => l !== 'hidden'),
      hidden: labels.includes('hidden'),
      at: { file, ...lineField(line) },
    };
    const ns = textAt(fromNode, 'namespace');
    if (ns !== undefined && ns !== '') tag.from.namespace = ns;
    if (kind === 'DockerImage') {
      const problem = checkPullSpec(fromName);
      if (problem) issues.push({ ...problem, ...who });
      if (problem?.severity === 'error') continue;
      tag.image = fromName;
    } else if (kind !== 'ImageStreamTag') {
      issues.push({ severity: 'warning', code: 'FROM_UNSUPPORTED', message: `from.kind ${kind} (${fromName}) is not followed: only DockerImage and ImageStreamTag are; the tag is not planned`, ...who });
    }
    stream.tags.push(tag);
  }
  if (tagsNode === undefined) {
    issues.push({ severity: 'warning', code: 'NO_FROM', message: 'the imagestream has no spec.tags: nothing to plan', file, ...lineField(streamLine), imagestream: name });
  }
  return stream;
}

function lineField(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}

/** Reads `text(kind)` of any object, for the dispatcher. */
export function kindOf(root: unknown): string | undefined {
  return text(child(root, 'kind'));
}

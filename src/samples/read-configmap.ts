// Reader for the operator's `imagestreamtag-to-image` ConfigMap (exported YAML or JSON): each data key
// `<imagestream>_<tag>` becomes a DockerImage tag; malformed keys and values are issues naming file:line.
import { isScalar } from 'yaml';
import type { LineCounter } from 'yaml';
import type { SampleImageStream, SamplesIssue } from './samples-model.js';
import { checkPullSpec, isImageStreamName, isTagName } from './pull-spec.js';
import { child, entries, lineOf, text, textAt } from './yaml-nodes.js';

/** pkg/util/util.go IST2ImageMap and v1.OperatorNamespace (openshift/api samples/v1). */
export const IST_TO_IMAGE_CONFIGMAP = 'imagestreamtag-to-image';
export const OPERATOR_NAMESPACE = 'openshift-cluster-samples-operator';

/**
 * The operator writes `imagestream.Name + "_" + tag.Name` (pkg/stub/files.go). Imagestream names cannot hold "_"
 * (they are DNS-1123-like path segments), tags can: so the first "_" is the separator.
 */
export function splitConfigMapKey(key: string): { imagestream: string; tag: string } | undefined {
  const cut = key.indexOf('_');
  if (cut <= 0 || cut === key.length - 1) return undefined;
  return { imagestream: key.slice(0, cut), tag: key.slice(cut + 1) };
}

export function readConfigMap(root: unknown, file: string, lines: LineCounter, issues: SamplesIssue[]): SampleImageStream[] {
  const name = textAt(root, 'metadata', 'name');
  if (name !== undefined && name !== IST_TO_IMAGE_CONFIGMAP) {
    issues.push({ severity: 'warning', code: 'UNKNOWN_INPUT', message: `ConfigMap ${name} is not ${IST_TO_IMAGE_CONFIGMAP}; its keys are read as <imagestream>_<tag> all the same`, file, ...at(lines, root) });
  }
  const data = child(root, 'data');
  const streams = new Map<string, SampleImageStream>();
  for (const [key, value, keyNode] of entries(data)) {
    const where = at(lines, keyNode);
    const split = splitConfigMapKey(key);
    if (!split || !isImageStreamName(split.imagestream) || !isTagName(split.tag)) {
      issues.push({
        severity: 'error',
        code: 'KEY_INVALID',
        message: `key ${JSON.stringify(key)} is not <imagestream>_<tag> (an imagestream name, "_", a tag); the operator writes keys like ruby_3.0-ubi8`,
        file,
        ...where,
      });
      continue;
    }
    const image = text(value);
    if (image === undefined || image.trim() === '' || !isScalar(value)) {
      issues.push({ severity: 'error', code: 'VALUE_INVALID', message: `key ${key}: the value must be the tag's image (a pull spec), not ${image === undefined ? 'a structure or null' : 'empty'}`, file, ...where, ...split });
      continue;
    }
    const problem = checkPullSpec(image);
    if (problem) issues.push({ ...problem, file, ...where, ...split });
    if (problem?.severity === 'error') continue;
    let stream = streams.get(split.imagestream);
    if (!stream) {
      stream = { name: split.imagestream, tags: [], at: { file, ...where }, input: 'configmap' };
      streams.set(split.imagestream, stream);
    }
    stream.tags.push({
      imagestream: split.imagestream,
      tag: split.tag,
      from: { kind: 'DockerImage', name: image },
      image,
      labels: [],
      hidden: false,
      at: { file, ...where },
    });
  }
  if (entries(data).length === 0) {
    issues.push({ severity: 'warning', code: 'UNKNOWN_INPUT', message: `ConfigMap ${name ?? '(no name)'} has no data: nothing to plan`, file, ...at(lines, root) });
  }
  return [...streams.values()];
}

function at(lines: LineCounter, node: unknown): { line?: number } {
  const line = lineOf(lines, node);
  return line === undefined ? {} : { line };
}

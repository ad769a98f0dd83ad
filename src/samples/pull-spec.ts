// Checks on the names the samples inputs carry: imagestream and tag names, and DockerImage pull specs (a
// registry host is expected; without one, image import and the operator's samplesRegistry rewrite disagree).
import { isGantryError } from '../errors.js';
import { formatReference, parseReference } from '../oci/reference.js';
import type { SamplesIssue } from './samples-model.js';

const IMAGESTREAM_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const TAG_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isImageStreamName(name: string): boolean {
  return name.length <= 253 && IMAGESTREAM_NAME.test(name);
}

export function isTagName(name: string): boolean {
  return TAG_NAME.test(name);
}

/** The registry host of a pull spec as written, or undefined when the first component is not a host. */
export function registryHost(pullSpec: string): string | undefined {
  const slash = pullSpec.indexOf('/');
  if (slash < 0) return undefined;
  const first = pullSpec.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

/** An issue for a pull spec that cannot be mirrored as is (error) or that lacks a registry host (warning). */
export function checkPullSpec(pullSpec: string): Pick<SamplesIssue, 'severity' | 'code' | 'message'> | undefined {
  try {
    parseReference(pullSpec);
  } catch (err) {
    if (!isGantryError(err)) throw err;
    return { severity: 'error', code: 'VALUE_INVALID', message: `${JSON.stringify(pullSpec)} is not an image reference: ${err.message}` };
  }
  if (registryHost(pullSpec) === undefined) {
    // pkg/stub/imagestreams.go coreUpdateDockerPullSpec counts "/": two mean "host/ns/name" even without a host.
    const below = pullSpec.split('/').length - 1 === 2 ? pullSpec.slice(pullSpec.indexOf('/') + 1) : pullSpec;
    return {
      severity: 'warning',
      code: 'NO_REGISTRY',
      message: `DockerImage ${JSON.stringify(pullSpec)} names no registry host: it is mirrored from ${formatReference(parseReference(pullSpec))}, and the operator pulls <samplesRegistry>/${below}`,
    };
  }
  return undefined;
}

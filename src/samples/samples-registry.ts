// What `samplesRegistry` does to an imagestream tag's pull spec, as the operator computes it, and the parsing of
// a mirror destination (host[:port][/prefix]) into the samplesRegistry value that makes the operator pull from it.
//
// Fact (openshift/cluster-samples-operator pkg/stub/imagestreams.go updateDockerPullSpec/coreUpdateDockerPullSpec):
// only DockerImage tags are rewritten, and only when from.name does not already start with samplesRegistry.
// With exactly two "/" (host/ns/name): a leading docker.io, registry.redhat.io, registry.access.redhat.com, quay.io
// or registry.svc.ci.openshift.org is replaced by samplesRegistry, any other host too (samplesRegistry/ns/name).
// Otherwise (fewer or more "/"), samplesRegistry + "/" is put in front of the whole pull spec. samplesRegistry may
// carry a path ("foo.io/bar" in pkg/stub/handler_test.go): the operator then pulls foo.io/bar/ns/name.
import { GantryError, quoteValue } from '../errors.js';
import { parseReference } from '../oci/reference.js';

/** The hosts the operator replaces by prefix (pkg/stub/imagestreams.go upsertImageStream). */
export const OPERATOR_REWRITTEN_HOSTS = ['docker.io', 'registry.redhat.io', 'registry.access.redhat.com', 'quay.io', 'registry.svc.ci.openshift.org'] as const;

/** The pull spec the operator gives a DockerImage tag under `samplesRegistry` ("" leaves it as is). */
export function operatorPullSpec(pullSpec: string, samplesRegistry: string): string {
  if (pullSpec.startsWith(samplesRegistry)) return pullSpec;
  const slashes = pullSpec.split('/').length - 1;
  if (slashes === 2) {
    // strings.HasPrefix without a "/" boundary, as the operator does: the replaced text is the host's spelling.
    for (const host of OPERATOR_REWRITTEN_HOSTS) if (pullSpec.startsWith(host)) return samplesRegistry + pullSpec.slice(host.length);
    const parts = pullSpec.split('/');
    return `${samplesRegistry}/${parts[1]}/${parts[2]}`;
  }
  return `${samplesRegistry}/${pullSpec}`;
}

export interface SamplesMirror {
  /** host[:port] */
  registry: string;
  /** Path under the host ("" for none), without slashes at the ends. */
  prefix: string;
  /** The Config's spec.samplesRegistry value: host[:port][/prefix]. */
  samplesRegistry: string;
}

/**
 * Parses `--mirror`/`--dest` for samples: host[:port] with an optional path prefix; `docker://` is accepted and
 * dropped; a tag, digest or other scheme is refused (USAGE).
 */
export function parseSamplesMirror(text: string): SamplesMirror {
  const raw = text.replace(/^docker:\/\//, '').replace(/\/+$/, '');
  const hint = 'give the mirror registry as HOST[:PORT] or HOST[:PORT]/PREFIX (e.g. mirror.example.com:5000/samples); images keep their source path below it';
  if (raw === '' || raw.includes('://')) throw new GantryError('USAGE', `${quoteValue(text)} is not a mirror registry`, { hint });
  const slash = raw.indexOf('/');
  const registry = slash < 0 ? raw : raw.slice(0, slash);
  const prefix = slash < 0 ? '' : raw.slice(slash + 1);
  if (!/^[A-Za-z0-9.-]+(:[0-9]+)?$/.test(registry) && !/^\[[0-9a-fA-F:.]+\](:[0-9]+)?$/.test(registry)) {
    throw new GantryError('USAGE', `${quoteValue(registry)} is not a registry host[:port]`, { hint });
  }
  if (prefix !== '') {
    try {
      // A prefix must be a repository path the registry accepts, with no tag or digest.
      const ref = parseReference(`${registry}/${prefix}`, { defaultTag: null });
      if (ref.tag !== undefined || ref.digest !== undefined) throw new GantryError('USAGE', 'a tag or digest');
    } catch {
      throw new GantryError('USAGE', `${quoteValue(prefix)} is not a repository path prefix (lowercase components separated by "/", no tag or digest)`, { hint });
    }
  }
  return { registry, prefix, samplesRegistry: prefix === '' ? registry : `${registry}/${prefix}` };
}

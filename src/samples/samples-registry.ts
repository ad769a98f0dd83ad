// Where the Cluster Samples Operator looks for an image once `samplesRegistry` is set, and how the mirror's host is
// written in the resources that trust it (the registry-config ConfigMap key). Pure: strings in, strings out.
import { GantryError, quoteValue } from '../errors.js';
import { parseReference } from '../oci/reference.js';

/**
 * The registries the operator replaces by `samplesRegistry` when they begin a pull spec (fact: cluster-samples-operator
 * pkg/stub/imagestreams.go, updateDockerPullSpec's list, at eee95ba).
 */
export const OPERATOR_SOURCE_REGISTRIES = ['docker.io', 'registry.redhat.io', 'registry.access.redhat.com', 'quay.io', 'registry.svc.ci.openshift.org'] as const;

/**
 * The pull spec the operator writes into an imagestream tag's `from.name` for `samplesRegistry` (facts from
 * cluster-samples-operator coreUpdateDockerPullSpec, re-stated, not copied):
 * - only DockerImage tags are rewritten, and not when the spec already begins with samplesRegistry;
 * - a spec with exactly two slashes (host/namespace/name) whose text begins with one of the known registries has
 *   that prefix replaced; with another host, the first component is replaced;
 * - any other spec (one slash, or three and more) gets `samplesRegistry/` put in front of it: a deeper source path
 *   such as registry.redhat.io/a/b/c is looked up at MIRROR/registry.redhat.io/a/b/c.
 * The replacement is textual, so a samplesRegistry with a path (host/prefix) also works: host/prefix/ns/name.
 */
export function pullSpecAtSamplesRegistry(pullSpec: string, samplesRegistry: string): string {
  if (samplesRegistry === '' || pullSpec.startsWith(samplesRegistry)) return pullSpec;
  if (pullSpec.split('/').length - 1 === 2) {
    const known = OPERATOR_SOURCE_REGISTRIES.find((r) => pullSpec.startsWith(r));
    if (known) return samplesRegistry + pullSpec.slice(known.length);
    const [, ns, name] = pullSpec.split('/');
    return `${samplesRegistry}/${ns}/${name}`;
  }
  return `${samplesRegistry}/${pullSpec}`;
}

export interface MirrorHost {
  /** host[:port] as given: the value of samplesRegistry. */
  samplesRegistry: string;
  host: string;
  port?: string;
}

/**
 * `--mirror HOST[:PORT]`. A path after the host is refused: the naming keeps source paths under the host, and
 * although the operator's textual replacement would accept HOST/PREFIX, the documented procedure sets "the hostname
 * portion of the mirror location" and a CA key names a host, not a path.
 */
export function parseMirrorHost(text: string): MirrorHost {
  const value = text.trim().replace(/^docker:\/\//, '');
  if (value.includes('/')) {
    throw new GantryError('USAGE', `--mirror ${quoteValue(text)} has a path; samplesRegistry is the mirror's host[:port]`, {
      hint: 'mirror the images under the same paths at the mirror host (gantry samples plan), then pass --mirror HOST[:PORT]',
    });
  }
  let ref;
  try {
    ref = parseReference(`${value}/x`);
  } catch {
    throw new GantryError('USAGE', `--mirror ${quoteValue(text)} is not a registry host[:port]`, { hint: 'for example --mirror mirror.example.com:5000' });
  }
  if (ref.registry !== value) throw new GantryError('USAGE', `--mirror ${quoteValue(text)} is not a registry host[:port]`, { hint: 'for example --mirror mirror.example.com:5000' });
  const bracketed = /^\[(.*)\](?::(\d+))?$/.exec(value);
  if (bracketed) return { samplesRegistry: value, host: bracketed[1]!, ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  const colon = value.lastIndexOf(':');
  return colon < 0 ? { samplesRegistry: value, host: value } : { samplesRegistry: value, host: value.slice(0, colon), port: value.slice(colon + 1) };
}

/**
 * The key of the mirror's CA in the `registry-config` ConfigMap that image.config.openshift.io `additionalTrustedCA`
 * names: `<host>..<port>` (ConfigMap keys allow only [-._a-zA-Z0-9], so not `:`), or the bare host without a port
 * (documented procedure: `oc create configmap registry-config --from-file=${MIRROR_ADDR_HOSTNAME}..5000=$path/ca.crt`).
 */
export function caConfigMapKey(mirror: MirrorHost): string {
  const key = mirror.port ? `${mirror.host}..${mirror.port}` : mirror.host;
  if (!CONFIGMAP_KEY.test(key)) {
    throw new GantryError('USAGE', `the mirror host ${quoteValue(mirror.samplesRegistry)} cannot be a ConfigMap key (${quoteValue(key)})`, {
      hint: 'use the mirror by its DNS name (an IPv6 literal cannot be a registry-config key)',
    });
  }
  return key;
}

/** Kubernetes IsConfigMapKey: at most 253 characters of [-._a-zA-Z0-9], not "." or "..". */
export const CONFIGMAP_KEY = /^(?!\.{1,2}$)[-._a-zA-Z0-9]{1,253}$/;

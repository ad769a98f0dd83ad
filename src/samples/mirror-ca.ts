// The mirror's CA as the cluster trusts it: the key of the registry-config ConfigMap that image.config.openshift.io
// `additionalTrustedCA` names. Pure.
import { GantryError, quoteValue } from '../errors.js';

/** Kubernetes IsConfigMapKey: at most 253 characters of [-._a-zA-Z0-9], not "." or "..". */
export const CONFIGMAP_KEY = /^(?!\.{1,2}$)[-._a-zA-Z0-9]{1,253}$/;

/**
 * `<host>..<port>` (ConfigMap keys allow no `:`), or the bare host when there is no port; documented procedure:
 * `oc create configmap registry-config --from-file=${MIRROR_ADDR_HOSTNAME}..5000=$path/ca.crt -n openshift-config`.
 * `registry` is host[:port]; a samplesRegistry path prefix is not part of it (trust is per host).
 */
export function caConfigMapKey(registry: string): string {
  const colon = registry.lastIndexOf(':');
  const hasPort = colon >= 0 && /^\d+$/.test(registry.slice(colon + 1)) && !registry.endsWith(']');
  const key = hasPort ? `${registry.slice(0, colon)}..${registry.slice(colon + 1)}` : registry;
  if (!CONFIGMAP_KEY.test(key)) {
    throw new GantryError('USAGE', `the mirror host ${quoteValue(registry)} cannot be a ConfigMap key (${quoteValue(key)})`, {
      hint: 'use the mirror by its DNS name or IPv4 address (an IPv6 literal cannot be a registry-config key)',
    });
  }
  return key;
}

// Name and pull-spec checks opm applies: DNS-1123 labels for package names (k8s validation's exact messages)
// and image pull specs in the docker reference grammar.
import { byteOrder } from '../../order.js';
import { parseReference } from '../../oci/reference.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL_MAX = 63;

/** k8s IsDNS1123Label: the list of problems, empty when valid. */
export function dns1123LabelErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > DNS1123_LABEL_MAX) errs.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!DNS1123_LABEL.test(name)) {
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

/** Why a pull spec is invalid, or undefined when it is fine (empty is allowed, as in opm). */
export function pullSpecError(spec: string): string | undefined {
  if (spec === '') return undefined;
  try {
    parseReference(spec, { defaultTag: null });
    return undefined;
  } catch (err) {
    const m = (err as Error).message;
    return m.replace(/^invalid image reference "[^"]*": /, '');
  }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_MAX = 253;

/** k8s.io/apimachinery validation.IsDNS1123Subdomain's messages, sorted as the validators sort them. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errs.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errs.sort(byteOrder);
}

// Namespace flags (--namespace, --watch-namespace) are checked before any work, with Kubernetes' own messages.
import { GantryError } from '../errors.js';
import { dns1123LabelErrors } from '../catalog/model/names.js';

export function checkNamespaceFlag(flag: string, value: string | undefined): void {
  if (value === undefined) return;
  const errs = dns1123LabelErrors(value);
  if (errs.length > 0) throw new GantryError('USAGE', `${flag} "${value}" is not a namespace name: ${errs.join('; ')}`);
}

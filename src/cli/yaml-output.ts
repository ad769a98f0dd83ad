// YAML text for -o yaml results, in a module of its own so that queries load the YAML library only when asked
// (imported statically here: a dynamic import() of the package would lose its named exports in the bundle).
import { stringify } from 'yaml';

export function formatYaml(data: unknown): string {
  return stringify(data, { lineWidth: 0 });
}

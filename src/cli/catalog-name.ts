// The name a catalog argument goes by (like a ClusterCatalog's): NAME=SOURCE, else its directory's name or its
// image repository's last path element, so plans and errors can say which catalog a bundle came from.
import { basename } from 'node:path';
import { GantryError } from '../errors.js';

export function nameCatalog(arg: string): { name: string; source: string } {
  // A DNS-1123 subdomain before '=' (ClusterCatalog names are): a path that merely contains '=' stays a path.
  const m = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)=(.+)$/.exec(arg);
  if (m) return { name: m[1]!, source: m[3]! };
  if (arg === '-') return { name: 'stdin', source: arg };
  if (/^https?:\/\//.test(arg)) return { name: new URL(arg).hostname, source: arg };
  // archive:DIR#WHICH goes by the catalog it picks; archive:DIR by the directory.
  const archive = /^archive:(.*?)(?:#([^#]*))?$/.exec(arg);
  const path = (archive ? (archive[2] ?? archive[1]!) : arg).replace(/^(docker:\/\/|oci:)/, '').replace(/@sha256:[0-9a-f]+$/, '').replace(/\/+$/, '');
  const last = basename(path).replace(/:[^:/]*$/, '');
  return { name: last || arg, source: arg };
}

/** Every catalog argument named; two of one name are a usage error, as two ClusterCatalogs cannot share one. */
export function nameCatalogs(args: readonly string[]): { name: string; source: string }[] {
  const named = args.map(nameCatalog);
  const seen = new Set<string>();
  for (const n of named) {
    if (seen.has(n.name)) throw new GantryError('USAGE', `two catalogs are named "${n.name}"`, { hint: 'name them: NAME=SOURCE' });
    seen.add(n.name);
  }
  return named;
}

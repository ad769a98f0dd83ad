// The requests a grant does not allow, deduplicated and in one stable order, so that a report of missing
// permissions is byte-identical for identical inputs whatever order the needs were listed in.
import { byteOrder } from '../order.js';
import type { PolicyRule } from '../config/rbac-objects.js';
import { isNonResourceRequest, type AccessRequest } from './access-request.js';
import { rulesAllow } from './rule-allows.js';

/** Rules granted to one subject in every namespace, or a decision function (e.g. subjectAllowed over a policy). */
export type Granted = readonly PolicyRule[] | ((request: AccessRequest) => boolean);

export function missingRules(granted: Granted, needed: readonly AccessRequest[]): AccessRequest[] {
  const allows = typeof granted === 'function' ? granted : (r: AccessRequest) => rulesAllow(granted, r);
  const seen = new Set<string>();
  const out: AccessRequest[] = [];
  for (const r of needed) {
    const key = requestKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!allows(r)) out.push(r);
  }
  return out.sort(compareRequests);
}

// Sort fields from the widest scope to the narrowest: namespace, group, resource, subresource, name, then verb.
function sortFields(r: AccessRequest): string[] {
  if (isNonResourceRequest(r)) return ['\u0001', r.nonResourceURL, r.verb];
  return ['\u0000', r.namespace ?? '', r.apiGroup, r.resource, r.subresource ?? '', r.name ?? '', r.verb];
}

function requestKey(r: AccessRequest): string {
  return JSON.stringify(sortFields(r));
}

export function compareRequests(a: AccessRequest, b: AccessRequest): number {
  const x = sortFields(a);
  const y = sortFields(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = byteOrder(x[i]!, y[i]!);
    if (c !== 0) return c;
  }
  return x.length - y.length;
}

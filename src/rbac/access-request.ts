// The attributes of one request as Kubernetes' authorizer sees them (authorizer.Attributes): a verb on a resource
// (group, resource, subresource, name, namespace) or a verb on a non-resource URL.
export interface ResourceRequest {
  verb: string;
  /** "" is the core group. */
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** Absent for create, deletecollection and for list/watch without a metadata.name field selector. */
  name?: string;
  /** Absent (or "") for cluster-scoped resources and requests across all namespaces. */
  namespace?: string;
}

export interface NonResourceRequest {
  /** The lower-cased HTTP method: get, post, put, delete… */
  verb: string;
  nonResourceURL: string;
}

export type AccessRequest = ResourceRequest | NonResourceRequest;

export function isNonResourceRequest(r: AccessRequest): r is NonResourceRequest {
  return 'nonResourceURL' in r && typeof r.nonResourceURL === 'string';
}

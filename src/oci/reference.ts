// Image references in the docker grammar (distribution/reference): host[:port]/path[:tag][@digest],
// normalised the way docker and containers/image do (ubuntu → docker.io/library/ubuntu:latest).
import { GantryError, quoteValue } from '../errors.js';
import { isDigest, type Digest } from './digest.js';

export interface Reference {
  /** Registry host with optional port, e.g. "quay.io", "127.0.0.1:5000", "docker.io". */
  registry: string;
  /** Repository path inside the registry, e.g. "library/ubuntu". */
  repository: string;
  tag?: string;
  digest?: Digest;
}

export const DOCKER_HUB = 'docker.io';
const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^[0-9]+$/;

function invalid(text: string, why: string, hint?: string): never {
  throw new GantryError('REF_INVALID', `invalid image reference ${quoteValue(text)}: ${why}`, hint === undefined ? {} : { hint });
}

function isValidHost(host: string): boolean {
  let name = host;
  const bracket = /^\[([0-9a-fA-F:.]+)\](?::([0-9]+))?$/.exec(host);
  if (bracket) return true;
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    if (!PORT.test(host.slice(colon + 1))) return false;
    name = host.slice(0, colon);
  }
  return name.length > 0 && name.split('.').every((c) => DOMAIN_COMPONENT.test(c));
}

/** True when the first path component names a registry rather than a Docker Hub namespace. */
function looksLikeRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase();
}

export interface ParseReferenceOptions {
  /** Tag assumed when the reference has neither tag nor digest. Default "latest"; null keeps it absent. */
  defaultTag?: string | null;
}

export function parseReference(text: string, opts: ParseReferenceOptions = {}): Reference {
  if (text.length === 0) invalid(text, 'it is empty');
  if (/\s/.test(text)) invalid(text, 'it contains white space');
  if (text.includes('://')) {
    invalid(text, 'it has a URL scheme', 'write the reference without a scheme, e.g. quay.io/org/image:tag (transports go before it: docker://…)');
  }
  let rest = text;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const d = rest.slice(at + 1);
    if (!isDigest(d)) invalid(text, `${quoteValue(d)} is not a valid digest`, 'a digest looks like sha256:<64 lowercase hex characters>');
    digest = d;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) invalid(text, `${quoteValue(tag, 140)} is not a valid tag`, 'tags are up to 128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"');
  }
  if (rest.length === 0) invalid(text, 'it has no repository name');
  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0 && looksLikeRegistry(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    repository = rest.slice(slash + 1);
    if (!isValidHost(registry)) invalid(text, `${quoteValue(registry)} is not a valid registry host`);
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (repository.length === 0) invalid(text, 'it has no repository name');
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      if (component !== component.toLowerCase() && PATH_COMPONENT.test(component.toLowerCase())) {
        invalid(text, 'repository name must be lowercase');
      }
      invalid(text, `${quoteValue(component)} is not a valid path component`, 'path components are lowercase letters and digits, separated by ".", "_", "__" or "-"');
    }
  }
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) invalid(text, `the name is longer than ${MAX_NAME_LENGTH} characters`);
  const ref: Reference = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  else if (digest === undefined && opts.defaultTag !== null) ref.tag = opts.defaultTag ?? 'latest';
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** registry/repository[:tag][@digest] */
export function formatReference(ref: Reference): string {
  let s = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** What to ask the registry for: the digest when there is one (it pins the content), else the tag. */
export function manifestSelector(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

export function isTag(value: string): boolean {
  return TAG.test(value);
}

/** A tag or digest about to go into a URL path or a file name: anything else is refused. */
export function checkManifestReference(value: string): string {
  if (isTag(value) || isDigest(value)) return value;
  throw new GantryError('REF_INVALID', `${quoteValue(value)} is neither a valid tag nor a digest`);
}

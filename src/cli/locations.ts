// Image locations as users write them: docker://REF, oci:PATH[:REF], or a bare reference (docker).
// Opens the Store behind a location with the access settings the flags gave.
import { GantryError } from '../errors.js';
import type { Store } from '../content/store.js';
import { parseReference, type Reference } from '../oci/reference.js';
import type { RegistryAccess, RegistrySession } from '../registry/registry-session.js';
import { createLayoutStore, parseLayoutReference } from '../layout/index.js';
import type { MirrorTarget } from '../generate/destination.js';

export type ImageLocation =
  | { transport: 'docker'; ref: Reference; text: string }
  | { transport: 'oci'; path: string; reference?: string; text: string };

const UNSUPPORTED = /^(containers-storage|docker-daemon|docker-archive|oci-archive|dir|sif|tarball):/;

/** `role: 'dest'` leaves a missing tag absent (the source's tag is used); sources default to "latest". */
export function parseImageLocation(text: string, role: 'source' | 'dest' = 'source'): ImageLocation {
  const defaultTag = role === 'dest' ? null : 'latest';
  if (text.startsWith('docker://')) return { transport: 'docker', ref: parseReference(text.slice('docker://'.length), { defaultTag }), text };
  if (text.startsWith('oci:')) {
    const { path, reference } = parseLayoutReference(text);
    return { transport: 'oci', path, ...(reference ? { reference } : {}), text };
  }
  const unsupported = UNSUPPORTED.exec(text);
  if (unsupported) {
    throw new GantryError('USAGE', `transport "${unsupported[1]}:" is not supported`, { hint: 'use docker://REFERENCE or oci:PATH[:TAG]' });
  }
  return { transport: 'docker', ref: parseReference(text, { defaultTag }), text };
}

export interface OpenedLocation {
  store: Store;
  /** Tag or digest inside the store, when the location names one. */
  reference: string | undefined;
}

export async function openLocation(loc: ImageLocation, session: RegistrySession, access: RegistryAccess, opts: { create?: boolean } = {}): Promise<OpenedLocation> {
  if (loc.transport === 'docker') {
    return { store: session.store(loc.ref.registry, loc.ref.repository, access), reference: loc.ref.digest ?? loc.ref.tag };
  }
  return { store: await createLayoutStore({ path: loc.path, create: opts.create ?? false }), reference: loc.reference };
}

/** The tag or digest to write at a destination: its own, else the source's tag or digest. */
export function destinationReference(dest: ImageLocation, sourceRef: string): string {
  if (dest.transport === 'docker') return dest.ref.digest ?? dest.ref.tag ?? sourceRef;
  return dest.reference ?? sourceRef;
}

/** docker://HOST[:PORT][/NAMESPACE]: where mirror and delete work, a registry and an optional namespace. */
export function parseRegistryTarget(text: string): MirrorTarget {
  if (!text.startsWith('docker://')) throw new GantryError('USAGE', `destination "${text}" must start with docker://`, { hint: 'docker://HOST[:PORT][/NAMESPACE]' });
  const [host, ...ns] = text.slice('docker://'.length).replace(/\/+$/, '').split('/');
  parseReference(`${host}/x`); // validates the host
  return { registry: host!, ...(ns.length ? { namespace: ns.join('/') } : {}) };
}

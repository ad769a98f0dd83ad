// The registry side of `gantry samples config` and `samples check`: a MirrorLookup over gantry's registry session
// with the usual registry flags, and --ca doubling as the mirror's TLS trust when no --cert-dir is given.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Digest } from '../oci/digest.js';
import type { RegistryAccess, RegistrySession } from '../registry/registry-session.js';
import { isAbsent, type MirrorLookup } from '../samples/mirror-presence.js';
import { accessFrom, openSession } from './registry-flags.js';

export function createMirrorLookup(session: RegistrySession, access: RegistryAccess): MirrorLookup {
  return {
    async manifest(registry, repository, reference, opts) {
      try {
        const m = await session.store(registry, repository, access).fetchManifest(reference, opts);
        return { digest: m.descriptor.digest, mediaType: m.descriptor.mediaType, bytes: m.bytes };
      } catch (err) {
        if (isAbsent(err)) return undefined;
        throw err;
      }
    },
    async hasManifest(registry, repository, digest: Digest, opts) {
      try {
        return (await session.store(registry, repository, access).statManifest(digest, opts)) !== undefined;
      } catch (err) {
        if (isAbsent(err)) return false;
        throw err;
      }
    },
  };
}

/**
 * Runs `work` with a lookup made from the command's registry flags. The CA given for the registry-config ConfigMap
 * is the CA the cluster will trust the mirror with, so it is also the one gantry verifies the mirror with, unless
 * --cert-dir says otherwise (a certs.d directory of one ca.crt, removed afterwards).
 */
export async function withMirrorLookup<T>(opts: Record<string, unknown>, caFile: string | undefined, work: (lookup: MirrorLookup) => Promise<T>): Promise<T> {
  const access = accessFrom(opts, '');
  let certDir: string | undefined;
  if (caFile !== undefined && access.certDir === undefined) {
    certDir = await mkdtemp(join(tmpdir(), 'gantry-samples-ca-'));
    await copyFile(caFile, join(certDir, 'ca.crt'));
    access.certDir = certDir;
  }
  const session = await openSession(opts);
  try {
    return await work(createMirrorLookup(session, access));
  } finally {
    await session.close();
    if (certDir) await rm(certDir, { recursive: true, force: true });
  }
}

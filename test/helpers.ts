// Shared helpers for integration tests: temp dirs, a registry session for plain test registries, and a
// way to count the requests a fault proxy saw.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistrySession, type RegistryAccess, type RegistrySession, type RegistrySessionOptions } from '../src/registry/registry-session.js';
import { defaultRetryPolicy } from '../src/transport/retry.js';
import type { ProxyLogEntry } from '../src/testing/fault-proxy.js';

export const PLAIN: RegistryAccess = { plainHttp: true };

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `gantry-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The default number of retries with short delays, so fault tests do not wait long. */
export const FAST_RETRY = { ...defaultRetryPolicy(5), baseDelayMs: 20, maxDelayMs: 200 };

export function testSession(opts: RegistrySessionOptions = {}): RegistrySession {
  return createRegistrySession({ retry: FAST_RETRY, ...opts });
}

export function countRequests(log: readonly ProxyLogEntry[], method: string, pattern: RegExp): number {
  return log.filter((e) => e.method === method && pattern.test(e.path)).length;
}

import { descriptorOf, makeBlob, type BuiltBlob, type TestImage } from '../src/testing/images.js';

/** An image made of existing blobs (e.g. a base layer shared by several images). */
export function composeImage(config: BuiltBlob, layers: BuiltBlob[], platform = { os: 'linux', architecture: 'amd64' }): TestImage {
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: descriptorOf(config),
      layers: layers.map((l) => descriptorOf(l)),
    }),
  );
  return { manifest: makeBlob(manifest, 'application/vnd.oci.image.manifest.v1+json'), config, layers, platform };
}

export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts);
}

/** Writes an ImageSetConfiguration (v2alpha1) whose mirror.platform is the given lines, and returns its path. */
export async function writePlatformIsc(dir: string, name: string, platform: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  platform:', ...platform.map((l) => `    ${l}`), ''].join('\n'));
  return file;
}

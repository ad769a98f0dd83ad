// Bundle images for tests, built from registry+v1 bundle directories (the corpus has hundreds): one gzip'd
// layer with manifests/ and metadata/, and the bundle package label, as opm's bundle Dockerfile makes them.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeBlob, type TestImage } from '../src/testing/images.js';
import { tarOf } from '../src/testing/tar-files.js';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out.sort();
}

/** A bundle image: one layer with manifests/ and metadata/, and the bundle package label. */
export async function bundleImageFromDir(dir: string, pkg: string): Promise<TestImage> {
  const files: Record<string, Buffer> = {};
  for (const f of await walk(dir)) {
    const rel = relative(dir, f);
    if (rel.startsWith('manifests/') || rel.startsWith('metadata/')) files[rel] = await readFile(f);
  }
  const layer = makeBlob(gzipSync(await tarOf(files)), 'application/vnd.oci.image.layer.v1.tar+gzip');
  const config = makeBlob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { 'operators.operatorframework.io.bundle.package.v1': pkg } }, rootfs: { type: 'layers', diff_ids: [] } })), 'application/vnd.oci.image.config.v1+json');
  const manifest = makeBlob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: config.mediaType, digest: config.digest, size: config.size }, layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }] })), 'application/vnd.oci.image.manifest.v1+json');
  return { manifest, config, layers: [layer], platform: { os: 'linux', architecture: 'amd64' } };
}

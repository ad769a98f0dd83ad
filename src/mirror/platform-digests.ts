// Per-architecture manifest digests of mirrored multi-platform images, read back from the destination, so the
// MicroShift blueprint can list each kept architecture's own manifest and leave excluded ones out.
import type { Store } from '../content/store.js';
import { Semaphore } from '../copy/limiter.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import { parseManifest } from '../oci/manifest.js';

const LOOKUP_CONCURRENCY = 8;

export async function platformDigests(
  images: MirroredImage[],
  storeFor: (image: MirroredImage) => Store,
  opts: { signal?: AbortSignal } = {},
): Promise<Map<string, { architecture: string; digest: string }[]>> {
  const out = new Map<string, { architecture: string; digest: string }[]>();
  const gate = new Semaphore(LOOKUP_CONCURRENCY);
  await Promise.all(
    images
      .filter((i) => i.kind !== 'catalog' && i.kind !== 'graph')
      .map((i) =>
        gate.run(async () => {
          const { bytes, descriptor } = await storeFor(i).fetchManifest(i.digest, opts);
          const m = parseManifest(bytes, descriptor.mediaType);
          if (m.kind !== 'index') return;
          out.set(
            i.digest,
            m.manifests.filter((d) => d.platform).map((d) => ({ architecture: d.platform!.architecture, digest: d.digest })),
          );
        }, opts.signal),
      ),
  );
  return out;
}

// Synthetic OpenShift release images for tests and benchmarks: payload layers holding image-references and
// release-metadata whose components are real images in a local registry (one multi-arch release among them), and
// the update graphs that point at them, for the fake update service. Same inputs, same digests.
import { gzipSync } from 'node:zlib';
import { sha256, type Digest } from '../oci/digest.js';
import { MediaType } from '../oci/media-types.js';
import type { Platform } from '../oci/platform.js';
import { buildImage, buildIndex, descriptorOf, makeBlob, pushImagesRaw, type BuiltBlob, type RawPushItem, type TestImage, type TestIndex } from './images.js';
import { tarOf } from './tar-files.js';
import type { FakeGraph } from './update-service.js';

export const RELEASE_REPO = 'openshift-release-dev/ocp-release';
export const COMPONENT_REPO = 'openshift-release-dev/ocp-v4.0-art-dev';
/** Where OKD publishes its releases and their components (quay.io/openshift/okd, quay.io/openshift/okd-content). */
export const OKD_REPOS = { release: 'openshift/okd', components: 'openshift/okd-content' } as const;

/** The first names are real release components (must-gather is the one docs ask for); the rest are numbered. */
const NAMES = ['cli', 'must-gather', 'etcd', 'hyperkube', 'installer', 'tools', 'console', 'oauth-server', 'cluster-version-operator', 'machine-config-operator'];

export function componentName(i: number): string {
  return NAMES[i] ?? `component-${String(i).padStart(3, '0')}`;
}

const TAG_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', multi: 'multi' };
const linux = (architecture: string): Platform => ({ os: 'linux', architecture });

export interface PayloadFiles {
  version: string;
  /** Component name → image reference (by digest, unless a test wants a bad one). */
  components?: Record<string, string>;
  /** Leave release-metadata out (the version then comes from the ImageStream's name). */
  noMetadata?: boolean;
  previous?: string[];
  /** release-manifests/0000_50_installer_coreos-bootimages.yaml, as text (see bootImagesConfigMap). */
  bootImages?: string;
}

const GO_ARCH: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', ppc64le: 'ppc64le', s390x: 's390x' };

/**
 * The installer's coreos-bootimages ConfigMap: data.stream is CoreOS stream JSON whose architectures each list
 * artifacts and images; `kubevirt` gives the architectures (stream spelling) that have a KubeVirt container.
 */
export function bootImagesConfigMap(opts: { version: string; kubevirt: Record<string, string>; stream?: string }): string {
  const architectures: Record<string, unknown> = {};
  for (const arch of ['aarch64', 'ppc64le', 's390x', 'x86_64']) {
    const images: Record<string, unknown> = { aws: { regions: { 'us-east-1': { release: '416.94.202406-0', image: `ami-${arch}` } } } };
    const ref = opts.kubevirt[arch];
    if (ref) images.kubevirt = { release: '416.94.202406-0', image: ref.slice(0, ref.indexOf('@')), 'digest-ref': ref };
    architectures[arch] = { artifacts: { qemu: { release: '416.94.202406-0', formats: {} } }, images };
  }
  const stream = opts.stream ?? JSON.stringify({ stream: 'rhcos-4.16', metadata: { 'last-modified': '2026-06-01T00:00:00Z', generator: 'plume cosa2stream' }, architectures }, null, 2);
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: coreos-bootimages',
    '  namespace: openshift-machine-config-operator',
    '  annotations:',
    '    include.release.openshift.io/self-managed-high-availability: "true"',
    'data:',
    `  releaseVersion: ${opts.version}`,
    '  stream: |',
    ...stream.split('\n').map((l) => `    ${l}`),
    '',
  ].join('\n');
}

/** The files of a release payload layer, as `oc adm release new` writes them. */
export function payloadFiles(p: PayloadFiles): Record<string, string> {
  const stream = {
    kind: 'ImageStream',
    apiVersion: 'image.openshift.io/v1',
    metadata: { name: p.version, creationTimestamp: null, annotations: { 'release.openshift.io/from-image-stream': 'ocp/4.16-art-latest' } },
    spec: {
      lookupPolicy: { local: false },
      tags: Object.entries(p.components ?? {}).map(([name, image]) => ({
        name,
        annotations: { 'io.openshift.build.source-location': `https://github.com/openshift/${name}` },
        from: { kind: 'DockerImage', name: image },
        generation: null,
        importPolicy: {},
        referencePolicy: { type: '' },
      })),
    },
    status: { dockerImageRepository: '' },
  };
  const files: Record<string, string> = { 'release-manifests/image-references': JSON.stringify(stream, null, 2) };
  if (p.bootImages !== undefined) files['release-manifests/0000_50_installer_coreos-bootimages.yaml'] = p.bootImages;
  if (!p.noMetadata) files['release-manifests/release-metadata'] = JSON.stringify({ kind: 'cincinnati-metadata-v0', version: p.version, previous: p.previous ?? [], metadata: {} }, null, 2);
  return files;
}

/**
 * An image whose layers are real gzip tars of the given files (later layers over earlier ones), after a random
 * base layer of `baseSize` bytes standing in for the operating system a release image carries.
 */
export async function buildFilesImage(opts: { seed: string; layers: Record<string, string | Buffer>[]; platform?: Platform; baseSize?: number; labels?: Record<string, string> }): Promise<TestImage> {
  const platform = opts.platform ?? linux('amd64');
  const base = buildImage({ seed: opts.seed, layerSizes: opts.baseSize ? [opts.baseSize] : [], tarLayer: true, platform });
  const tars = await Promise.all(opts.layers.map((files) => tarOf(files)));
  const layers: BuiltBlob[] = [...base.layers, ...tars.map((t) => makeBlob(gzipSync(t, { level: 1 }), MediaType.ociLayerGzip))];
  const baseConfig = JSON.parse(base.config.bytes.toString('utf8')) as { config?: Record<string, unknown>; rootfs: { diff_ids: Digest[] } };
  const labels = opts.labels ? { config: { ...baseConfig.config, Labels: opts.labels } } : {};
  const config = { ...baseConfig, ...labels, rootfs: { type: 'layers', diff_ids: [...baseConfig.rootfs.diff_ids, ...tars.map((t) => sha256(t))] } };
  const configBlob = makeBlob(Buffer.from(JSON.stringify(config)), MediaType.ociConfig);
  const manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: descriptorOf(configBlob), layers: layers.map((l) => descriptorOf(l)) };
  return { manifest: makeBlob(Buffer.from(JSON.stringify(manifest)), MediaType.ociManifest), config: configBlob, layers, platform };
}

export interface ReleaseSpec {
  version: string;
  /** amd64, arm64, or multi (an index of amd64 and arm64 payloads, components multi-arch too). */
  arch: 'amd64' | 'arm64' | 'multi';
  components: number;
  /** Components whose index is a multiple of this get new images in this release; the rest are shared. Default: none. */
  changeEvery?: number;
  /** Bytes of each layer of component i (default two small layers). */
  layerSizes?: (i: number) => number[];
  /** Bytes of the release image's base layer (default 4 KiB). */
  baseSize?: number;
  /**
   * Shared base layers, as RHEL base layers are shared by a real release's components: component i starts with
   * base layer i mod n (the same blob in every component and release that uses it).
   */
  sharedBases?: number[];
  /**
   * A coreos-bootimages ConfigMap in the payload: the stream architectures (x86_64, aarch64, s390x, ...) that get a
   * KubeVirt container image (pushed with the components), or 'malformed' for a stream that is not JSON.
   */
  kubeVirt?: string[] | 'malformed';
  /** Repositories of the release image and its components (default OpenShift's; OKD_REPOS for OKD). */
  repos?: { release: string; components: string };
}

export interface FixtureRelease {
  version: string;
  arch: string;
  /** host/openshift-release-dev/ocp-release@sha256:… as the update graph names it. */
  payload: string;
  digest: Digest;
  /** host/openshift-release-dev/ocp-release:<version>-<arch> */
  tagged: string;
  components: Record<string, string>;
  /** Stream architecture → the KubeVirt container by digest (spec.kubeVirt). */
  kubeVirt?: Record<string, string>;
}

const baseLayers = new Map<string, BuiltBlob>();

function sharedBase(size: number, k: number, arch: string): BuiltBlob {
  const key = `${k}/${size}/${arch}`;
  if (!baseLayers.has(key)) baseLayers.set(key, buildImage({ seed: `release-base/${key}`, layerSizes: [size], tarLayer: true, platform: linux(arch) }).layers[0]!);
  return baseLayers.get(key)!;
}

/** An image of `layers` (compressed tars) for `arch`; its config names the seed so equal layers give distinct images. */
function composeImage(layers: BuiltBlob[], arch: string, seed: string): TestImage {
  const platform = linux(arch);
  const config = { architecture: arch, os: 'linux', author: `gantry-test seed=${seed}`, config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } };
  const configBlob = makeBlob(Buffer.from(JSON.stringify(config)), MediaType.ociConfig);
  const manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: descriptorOf(configBlob), layers: layers.map((l) => descriptorOf(l)) };
  return { manifest: makeBlob(Buffer.from(JSON.stringify(manifest)), MediaType.ociManifest), config: configBlob, layers, platform };
}

function componentImage(spec: ReleaseSpec, i: number): TestImage | TestIndex {
  const generation = spec.changeEvery && i % spec.changeEvery === 0 ? spec.version : 'base';
  const sizes = spec.layerSizes?.(i) ?? [512, 256];
  const one = (arch: string) => {
    // Another distribution's components (spec.repos) are other images, not OpenShift's under a second name.
    const seed = `release-component/${spec.repos ? `${spec.repos.components}/` : ''}${componentName(i)}/${generation}/${arch}`;
    const own = buildImage({ seed, layerSizes: sizes, platform: linux(arch), tarLayer: true });
    const bases = spec.sharedBases;
    if (!bases || bases.length === 0) return own;
    return composeImage([sharedBase(bases[i % bases.length]!, i % bases.length, arch), ...own.layers], arch, seed);
  };
  return spec.arch === 'multi' ? buildIndex([one('amd64'), one('arm64')]) : one(spec.arch);
}

/** Builds a release (its components and the release image) and the push items that put them in a registry at `host`. */
export async function buildRelease(host: string, spec: ReleaseSpec): Promise<{ release: FixtureRelease; items: RawPushItem[] }> {
  const items: RawPushItem[] = [];
  const components: Record<string, string> = {};
  const releaseRepo = spec.repos?.release ?? RELEASE_REPO;
  const componentRepo = spec.repos?.components ?? COMPONENT_REPO;
  for (let i = 0; i < spec.components; i++) {
    const image = componentImage(spec, i);
    const digest = image.manifest.digest;
    components[componentName(i)] = `${host}/${componentRepo}@${digest}`;
    items.push({ repository: componentRepo, tag: `c-${digest.slice(7, 23)}`, image });
  }
  let bootImages: string | undefined;
  let kubeVirt: Record<string, string> | undefined;
  if (spec.kubeVirt === 'malformed') {
    bootImages = bootImagesConfigMap({ version: spec.version, kubevirt: {}, stream: '{"stream": "rhcos-4.16", "architectures": {' });
  } else if (spec.kubeVirt) {
    kubeVirt = {};
    for (const arch of spec.kubeVirt) {
      // A container disk: one big layer in a real release (the qcow2); small here.
      const disk = buildImage({ seed: `kubevirt/${spec.version}/${arch}`, layerSizes: [2048], platform: linux(GO_ARCH[arch] ?? arch), tarLayer: true });
      kubeVirt[arch] = `${host}/${componentRepo}@${disk.manifest.digest}`;
      items.push({ repository: componentRepo, tag: `kv-${disk.manifest.digest.slice(7, 23)}`, image: disk });
    }
    bootImages = bootImagesConfigMap({ version: spec.version, kubevirt: kubeVirt });
  }
  const files = payloadFiles({ version: spec.version, components, ...(bootImages !== undefined ? { bootImages } : {}) });
  const one = (arch: string) => buildFilesImage({ seed: `release/${spec.version}/${arch}`, layers: [files], platform: linux(arch), baseSize: spec.baseSize ?? 4096 });
  const image: TestImage | TestIndex = spec.arch === 'multi' ? buildIndex([await one('amd64'), await one('arm64')]) : await one(spec.arch);
  const tag = `${spec.version}-${TAG_ARCH[spec.arch] ?? spec.arch}`;
  items.push({ repository: releaseRepo, tag, image });
  const digest = image.manifest.digest;
  return { release: { version: spec.version, arch: spec.arch, payload: `${host}/${releaseRepo}@${digest}`, digest, tagged: `${host}/${releaseRepo}:${tag}`, components, ...(kubeVirt ? { kubeVirt } : {}) }, items };
}

/** Builds and pushes releases into the registry at `registryUrl` (http://127.0.0.1:PORT). */
export async function seedReleases(registryUrl: string, specs: ReleaseSpec[]): Promise<FixtureRelease[]> {
  const host = registryUrl.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const built = [];
  for (const s of specs) built.push(await buildRelease(host, s));
  // A component shared by releases is pushed once.
  const items = new Map(built.flatMap((b) => b.items).map((i) => [`${i.repository}:${i.tag}`, i] as const));
  await pushImagesRaw(registryUrl, [...items.values()]);
  return built.map((b) => b.release);
}

/**
 * One channel's graph over the releases of one architecture: every release updates to every later one (by
 * version order as listed), so heads, ranges and paths all have something to choose.
 */
export function releaseGraph(releases: FixtureRelease[]): FakeGraph {
  const edges: [string, string][] = [];
  for (let a = 0; a < releases.length; a++) for (let b = a + 1; b < releases.length; b++) edges.push([releases[a]!.version, releases[b]!.version]);
  return { releases: releases.map((r) => ({ version: r.version, payload: r.payload })), edges };
}

// Fixture builders for the samples tests: a small set of sample imagestreams and templates written in the three
// input shapes (imagestreamtag-to-image ConfigMap, ImageStreamList, assets tree) and their images pushed to a registry.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildImage, pushImagesRaw, type RawPushItem, type TestImage } from './images.js';

export interface SampleTagSpec {
  name: string;
  /** A DockerImage pull spec; or alias (below). */
  image?: string;
  /** The tag (same stream) or stream:tag this tag is an ImageStreamTag alias of. */
  alias?: string;
  /** The `tags` annotation, e.g. "builder,ruby" or "builder,ruby,hidden". */
  labels?: string;
}

export interface SampleStreamSpec {
  name: string;
  /** The assets group directory (ruby/, java/ …); default the stream's name. */
  group?: string;
  tags: SampleTagSpec[];
}

export interface SampleTemplateSpec {
  name: string;
  group: string;
  /** ImageStreamTags in `openshift` the template's objects use, as "stream:tag" (through ${NAMESPACE}). */
  uses: string[];
}

/**
 * A small samples world whose images live under `registry` (a real local registry in integration tests): two
 * Ruby tags and a `latest` alias, Python, Node.js, MySQL (a database, not S2I), jenkins (which the operator's
 * ConfigMap leaves out), a Go stream, and a Java stream in a nested group; templates for rails and nodejs.
 */
export function sampleStreams(registry: string): SampleStreamSpec[] {
  return [
    { name: 'golang', tags: [{ name: '1.22-ubi9', image: `${registry}/ubi9/go-toolset:1.22`, labels: 'builder,golang,go' }] },
    {
      name: 'java',
      tags: [
        { name: 'openjdk-17-ubi8', image: `${registry}/ubi8/openjdk-17:1.18`, labels: 'builder,java,openjdk' },
        { name: 'latest', alias: 'openjdk-17-ubi8', labels: 'builder,java,openjdk' },
      ],
    },
    { name: 'jenkins', tags: [{ name: '2', image: `${registry}/ocp-tools-4/jenkins-rhel8:v4.14.0`, labels: 'jenkins' }] },
    { name: 'mysql', tags: [{ name: '8.0-el8', image: `${registry}/rhel8/mysql-80:latest`, labels: 'mysql' }] },
    { name: 'nodejs', tags: [{ name: '20-ubi9', image: `${registry}/ubi9/nodejs-20:latest`, labels: 'builder,nodejs' }] },
    { name: 'python', tags: [{ name: '3.11-ubi9', image: `${registry}/ubi9/python-311:latest`, labels: 'builder,python' }] },
    {
      name: 'ruby',
      tags: [
        { name: '3.0-ubi8', image: `${registry}/ubi8/ruby-30:latest`, labels: 'builder,ruby,hidden' },
        { name: '3.3-ubi9', image: `${registry}/ubi9/ruby-33:latest`, labels: 'builder,ruby' },
        { name: 'latest', alias: '3.3-ubi9', labels: 'builder,ruby' },
      ],
    },
  ];
}

export function sampleTemplates(): SampleTemplateSpec[] {
  return [
    { name: 'rails-mysql-example', group: 'rails', uses: ['ruby:${RUBY_VERSION}', 'mysql:8.0-el8'] },
    { name: 'nodejs-example', group: 'nodejs', uses: ['nodejs:20-ubi9'] },
  ];
}

/** The ImageStream object for a spec, as the operator's asset files and `oc get is -o json` hold it. */
export function imageStreamObject(spec: SampleStreamSpec): Record<string, unknown> {
  return {
    kind: 'ImageStream',
    apiVersion: 'image.openshift.io/v1',
    metadata: { name: spec.name, namespace: 'openshift', annotations: { 'openshift.io/display-name': spec.name } },
    spec: {
      lookupPolicy: { local: false },
      tags: spec.tags.map((t) => ({
        name: t.name,
        annotations: t.labels === undefined ? {} : { tags: t.labels },
        from: t.image !== undefined ? { kind: 'DockerImage', name: t.image } : { kind: 'ImageStreamTag', name: t.alias ?? '' },
        importPolicy: {},
        referencePolicy: { type: 'Local' },
      })),
    },
  };
}

/** `oc get is -n openshift -o json`: an ImageStreamList (kind List, as oc prints it, unless `kind` is given). */
export function imageStreamListJson(streams: SampleStreamSpec[], kind: 'List' | 'ImageStreamList' = 'List'): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind, metadata: { resourceVersion: '' }, items: streams.map(imageStreamObject) }, null, 4)}\n`;
}

/** The ConfigMap's data as the operator fills it: `<stream>_<tag>` → image, DockerImage tags only, no jenkins*. */
export function configMapData(streams: SampleStreamSpec[]): Record<string, string> {
  const data: Record<string, string> = {};
  for (const s of streams) {
    if (s.name.startsWith('jenkins')) continue;
    for (const t of s.tags) if (t.image !== undefined) data[`${s.name}_${t.name}`] = t.image;
  }
  return data;
}

function configMapObject(streams: SampleStreamSpec[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'imagestreamtag-to-image', namespace: 'openshift-cluster-samples-operator', annotations: { 'samples.operator.openshift.io/version': '4.16.0' } },
    data: configMapData(streams),
  };
}

/** `oc get cm imagestreamtag-to-image -n openshift-cluster-samples-operator -o yaml`. */
export function configMapYaml(streams: SampleStreamSpec[]): string {
  return stringify(configMapObject(streams), { lineWidth: 0 });
}

export function configMapJson(streams: SampleStreamSpec[]): string {
  return `${JSON.stringify(configMapObject(streams), null, 4)}\n`;
}

/** A Template whose BuildConfig/DeploymentConfig/Deployment name the `uses` tags in ${NAMESPACE} = openshift. */
export function templateObject(spec: SampleTemplateSpec): Record<string, unknown> {
  const params = new Map<string, string>([['NAMESPACE', 'openshift'], ['NAME', spec.name]]);
  const objects: unknown[] = [];
  spec.uses.forEach((use, i) => {
    // Parameters in the name get the default the real templates use (RUBY_VERSION → 3.3-ubi9).
    const m = /\$\{([A-Z_]+)\}/.exec(use);
    if (m) params.set(m[1]!, '3.3-ubi9');
    const from = { kind: 'ImageStreamTag', name: use, namespace: '${NAMESPACE}' };
    if (i % 3 === 0) objects.push({ kind: 'BuildConfig', apiVersion: 'build.openshift.io/v1', metadata: { name: `\${NAME}-${i}` }, spec: { strategy: { type: 'Source', sourceStrategy: { from } } } });
    else if (i % 3 === 1) {
      objects.push({ kind: 'DeploymentConfig', apiVersion: 'apps.openshift.io/v1', metadata: { name: `db-${i}` }, spec: { triggers: [{ type: 'ImageChange', imageChangeParams: { automatic: true, containerNames: ['db'], from } }, { type: 'ConfigChange' }] } });
    } else {
      objects.push({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: `app-${i}`, annotations: { 'image.openshift.io/triggers': JSON.stringify([{ from, fieldPath: 'spec.template.spec.containers[0].image' }]) } }, spec: {} });
    }
  });
  return {
    kind: 'Template',
    apiVersion: 'template.openshift.io/v1',
    metadata: { name: spec.name },
    objects,
    parameters: [...params].map(([name, value]) => ({ name, value })),
  };
}

/**
 * The operator's assets tree under `dir`: `<arch>/<group>/imagestreams/<name>.json` and
 * `<arch>/<group>/templates/<name>.json`, tab-indented JSON like the real files. Returns the paths written.
 */
export async function writeAssetsTree(
  dir: string,
  opts: { streams: SampleStreamSpec[]; templates?: SampleTemplateSpec[]; architectures?: string[] },
): Promise<string[]> {
  const written: string[] = [];
  const put = async (path: string, content: unknown) => {
    const full = join(dir, path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, `${JSON.stringify(content, null, '\t')}\n`);
    written.push(path);
  };
  for (const arch of opts.architectures ?? ['x86_64']) {
    for (const s of opts.streams) await put(`${arch}/${s.group ?? s.name}/imagestreams/${s.name}-rhel.json`, imageStreamObject(s));
    for (const t of opts.templates ?? []) await put(`${arch}/${t.group}/templates/${t.name}.json`, templateObject(t));
  }
  return written;
}

/**
 * The same tree as file contents keyed by path below `root` (e.g. opt/openshift/operator, where the operator image
 * holds it): one image layer's files.
 */
export function assetsFiles(root: string, opts: { streams: SampleStreamSpec[]; templates?: SampleTemplateSpec[]; architectures?: string[] }): Record<string, string> {
  const files: Record<string, string> = {};
  for (const arch of opts.architectures ?? ['x86_64']) {
    for (const s of opts.streams) files[`${root}/${arch}/${s.group ?? s.name}/imagestreams/${s.name}-rhel.json`] = `${JSON.stringify(imageStreamObject(s), null, '\t')}\n`;
    for (const t of opts.templates ?? []) files[`${root}/${arch}/${t.group}/templates/${t.name}.json`] = `${JSON.stringify(templateObject(t), null, '\t')}\n`;
  }
  return files;
}

/** Every DockerImage pull spec of the streams, once each, sorted. */
export function sampleImages(streams: SampleStreamSpec[]): string[] {
  return [...new Set(streams.flatMap((s) => s.tags.flatMap((t) => (t.image === undefined ? [] : [t.image]))))].sort();
}

/**
 * Pushes a small distinct image for each pull spec (host/path:tag, the host being the registry at `registryUrl`)
 * and returns each pull spec's manifest digest.
 */
export async function pushSampleImages(registryUrl: string, pullSpecs: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Map<string, string>> {
  const items: RawPushItem[] = [];
  const digests = new Map<string, string>();
  for (const spec of pullSpecs) {
    const slash = spec.indexOf('/');
    const rest = spec.slice(slash + 1);
    const colon = rest.lastIndexOf(':');
    const repository = colon < 0 ? rest : rest.slice(0, colon);
    const tag = colon < 0 ? 'latest' : rest.slice(colon + 1);
    const image: TestImage = buildImage({ seed: `samples/${spec}`, layerSizes: [512] });
    items.push({ repository, tag, image });
    digests.set(spec, image.manifest.digest);
  }
  await pushImagesRaw(registryUrl, items, opts.signal ? { signal: opts.signal } : {});
  return digests;
}

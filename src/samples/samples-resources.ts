// The cluster resources of the documented disconnected samples procedure, generated: the registry-config ConfigMap
// (mirror CA), the image.config.openshift.io patch, the samples Config, the install-time Removed manifest, must-gather.
// Pure: data in, objects and YAML text out, lists sorted so identical inputs give identical output.
import { stringify } from 'yaml';
import { GantryError, quoteValue } from '../errors.js';
import { byteOrder } from '../order.js';
import { parseReference } from '../oci/reference.js';
import type { TagPresence } from './mirror-presence.js';
import { caConfigMapKey } from './mirror-ca.js';
import type { SamplesMirror } from './samples-registry.js';

// Names and namespaces fixed by the platform (openshift/api samples/v1 types_config.go ConfigName; the documented
// procedure's `registry-config` in openshift-config and `image.config.openshift.io/cluster`).
export const SAMPLES_CONFIG_NAME = 'cluster';
export const REGISTRY_CONFIG_NAME = 'registry-config';
export const REGISTRY_CONFIG_NAMESPACE = 'openshift-config';
export const DEFAULT_ARCHITECTURES = ['x86_64'];
/**
 * Spellings accepted on the command line → the value written to spec.architectures. The operator's SpecValidation
 * accepts x86_64, amd64, arm64, ppc64le, s390x (openshift/api samples/v1 X86/AMD/ARM/PPC/S390Architecture); "aarch64",
 * as the issue and the asset directories (ocp-aarch64) name it, would make the Config invalid, so it is written arm64.
 */
const CONFIG_ARCHITECTURE: Record<string, string> = { x86_64: 'x86_64', amd64: 'x86_64', aarch64: 'arm64', arm64: 'arm64', ppc64le: 'ppc64le', s390x: 's390x' };
export const SAMPLES_ARCHITECTURES = Object.keys(CONFIG_ARCHITECTURE);

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}

/** A resource with the comment lines that say what it is for and how to apply it. */
export interface Document {
  comment: string[];
  resource: Resource;
}

export interface TemplateImagestreams {
  /** Template name (metadata.name). */
  name: string;
  /** Imagestreams of the openshift namespace the template's objects use (ImageStreamTag NAME:TAG). */
  imagestreams: readonly string[];
}

export interface SamplesConfigInput {
  mirror: SamplesMirror;
  presence: readonly TagPresence[];
  /** Imagestreams known from the input that have no DockerImage tag to check; they are kept (nothing to import). */
  otherImagestreams?: readonly string[];
  /** Templates and their imagestreams; when given, skippedTemplates lists those using a skipped imagestream. */
  templates?: readonly TemplateImagestreams[];
  architectures?: readonly string[];
  /** PEM text of the mirror's CA; gives the registry-config ConfigMap and the Image patch. */
  caPem?: string;
  /** The ConfigMap in openshift-config that additionalTrustedCA names (default registry-config). */
  caConfigMap?: string;
  /** The release payload's must-gather image, by digest. */
  mustGatherImage?: string;
  /** What the mirror's digests were compared with (DigestExpectation.describe); absent: presence only. */
  comparedWith?: string;
}

export interface SamplesConfigResult {
  documents: Document[];
  skippedImagestreams: string[];
  skippedTemplates: string[];
  /** Imagestreams whose every checked tag is at the mirror. */
  mirroredImagestreams: string[];
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort(byteOrder);

/** The spec.architectures values for what the user wrote, in order, each once. */
export function checkArchitectures(archs: readonly string[]): string[] {
  const bad = archs.filter((a) => CONFIG_ARCHITECTURE[a.toLowerCase()] === undefined);
  if (bad.length) {
    throw new GantryError('USAGE', `architecture ${quoteValue(bad[0]!)} is not one the samples operator accepts`, { hint: `one of ${SAMPLES_ARCHITECTURES.join(', ')}` });
  }
  return [...new Set(archs.map((a) => CONFIG_ARCHITECTURE[a.toLowerCase()]!))];
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function registryConfigMap(mirror: SamplesMirror, caPem: string, name: string = REGISTRY_CONFIG_NAME): Resource {
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    throw new GantryError('USAGE', `${quoteValue(name)} is not a ConfigMap name`, { hint: 'lowercase letters, digits, "-" and ".", e.g. registry-config' });
  }
  if (!/-----BEGIN CERTIFICATE-----/.test(caPem)) {
    throw new GantryError('CONFIG_INVALID', 'the --ca file holds no PEM certificate (-----BEGIN CERTIFICATE-----)', { hint: "pass the mirror registry's CA certificate, e.g. its ca.crt" });
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: REGISTRY_CONFIG_NAMESPACE },
    data: { [caConfigMapKey(mirror.registry)]: caPem.endsWith('\n') ? caPem : `${caPem}\n` },
  };
}

export function imageConfigPatch(caConfigMap: string = REGISTRY_CONFIG_NAME): Resource {
  return { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { additionalTrustedCA: { name: caConfigMap } } };
}

export function samplesConfig(spec: { managementState: 'Managed' | 'Removed'; samplesRegistry?: string; architectures: readonly string[]; skippedImagestreams?: readonly string[]; skippedTemplates?: readonly string[] }): Resource {
  return {
    apiVersion: 'samples.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: SAMPLES_CONFIG_NAME },
    spec: {
      architectures: [...spec.architectures],
      ...(spec.samplesRegistry !== undefined ? { samplesRegistry: spec.samplesRegistry } : {}),
      ...(spec.skippedImagestreams?.length ? { skippedImagestreams: [...spec.skippedImagestreams] } : {}),
      ...(spec.skippedTemplates?.length ? { skippedTemplates: [...spec.skippedTemplates] } : {}),
      managementState: spec.managementState,
    },
  };
}

/**
 * The manifest that keeps the operator Removed from the start, for the `openshift` directory that
 * `openshift-install create manifests` writes (documented: "Restricted network installation with initial network access").
 */
export function installTimeManifest(architectures: readonly string[] = DEFAULT_ARCHITECTURES): Document {
  return {
    comment: [
      'Cluster Samples Operator Removed at install time: save as <install-dir>/openshift/99_samples-operator-removed.yaml',
      'after `openshift-install create manifests`, before `openshift-install create cluster`.',
      'Later, when the samples are mirrored, `gantry samples config` gives the Managed configuration.',
    ],
    resource: samplesConfig({ managementState: 'Removed', architectures: checkArchitectures(architectures) }),
  };
}

/**
 * The must-gather ImageStream as the payload ships it (cluster-samples-operator manifests/08-openshift-imagestreams.yaml:
 * openshift/must-gather, tag latest, importMode PreserveOriginal), pointing at the payload's image by digest.
 */
export function mustGatherImageStream(image: string): Resource {
  const ref = parseReference(image);
  if (!ref.digest) {
    throw new GantryError('USAGE', `--must-gather ${quoteValue(image)} names no digest`, {
      // No other tool's flags in a hint: the CLI drops hints naming flags the running command lacks.
      hint: "give the release payload's must-gather image by digest, as `gantry release info RELEASE --image-for must-gather` prints it, or the release image itself with --release",
    });
  }
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: 'must-gather', namespace: 'openshift' },
    spec: { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: image }, importPolicy: { importMode: 'PreserveOriginal' } }] },
  };
}

/** skippedImagestreams, skippedTemplates and the documents, in the order of the documented procedure. */
export function buildSamplesConfig(input: SamplesConfigInput): SamplesConfigResult {
  const missing = sorted(input.presence.filter((p) => !p.present).map((p) => p.imagestream));
  const missingSet = new Set(missing);
  const mirrored = sorted(input.presence.map((p) => p.imagestream).filter((s) => !missingSet.has(s)));
  const skippedTemplates = sorted((input.templates ?? []).filter((t) => t.imagestreams.some((s) => missingSet.has(s))).map((t) => t.name));
  const architectures = checkArchitectures(input.architectures?.length ? input.architectures : DEFAULT_ARCHITECTURES);
  const documents: Document[] = [];
  const caName = input.caConfigMap ?? REGISTRY_CONFIG_NAME;
  if (input.caPem !== undefined) {
    documents.push({
      comment: [
        `The mirror's CA, under the key <host>..<port> (step: oc create configmap ${caName} --from-file=...).`,
        'additionalTrustedCA names one ConfigMap: if the cluster already has one (oc get image.config.openshift.io/cluster),',
        'add this key to it instead, or pass its name with --ca-configmap and merge its keys into this one.',
      ],
      resource: registryConfigMap(input.mirror, input.caPem, caName),
    });
    documents.push({
      comment: ['Trust it for image imports (step: oc patch image.config.openshift.io/cluster --type=merge; apply merges this spec).'],
      resource: imageConfigPatch(caName),
    });
  }
  const notes = [
    `Samples from ${input.mirror.samplesRegistry} (step: oc edit configs.samples.operator.openshift.io cluster).`,
    input.comparedWith === undefined ? 'Digests at the mirror not compared with the sources: a stale tag counts as mirrored.' : `Each tag's digest at the mirror compared with ${input.comparedWith}: a stale tag is missing.`,
    `${mirrored.length} imagestream(s) found at the mirror by digest; ${missing.length} skipped because an image is missing:`,
    ...missing.map((s) => `  ${s}: ${input.presence.filter((p) => p.imagestream === s && !p.present).map((p) => `${p.tag} (${p.pullSpec}: ${p.reason ?? 'missing'})`).join(', ')}`),
  ];
  if (input.templates !== undefined) notes.push(`${skippedTemplates.length} template(s) skipped because they use a skipped imagestream.`);
  documents.push({
    comment: notes,
    resource: samplesConfig({ managementState: 'Managed', samplesRegistry: input.mirror.samplesRegistry, architectures, skippedImagestreams: missing, skippedTemplates }),
  });
  if (input.mustGatherImage !== undefined) {
    documents.push({
      comment: ["must-gather for support: the payload's image by digest; then `oc import-image is/must-gather -n openshift`", `and \`oc adm must-gather --image=${input.mustGatherImage}\`.`],
      resource: mustGatherImageStream(input.mustGatherImage),
    });
  }
  return { documents, skippedImagestreams: missing, skippedTemplates, mirroredImagestreams: mirrored };
}

// For YAML 1.1 readers (oc reads with go-yaml): no unquoted yes/no, as generate/cluster-resources.ts does.
export function renderDocuments(documents: readonly Document[], header: readonly string[] = []): string {
  const head = header.map((l) => `# ${l}\n`).join('');
  return head + documents.map((d) => `---\n${d.comment.map((l) => `# ${l}\n`).join('')}${stringify(d.resource, { lineWidth: 0, version: '1.1' })}`).join('');
}

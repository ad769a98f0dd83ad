// The samples model: the imagestreams, tags and templates of the Cluster Samples Operator as gantry reads them
// from any input shape (ConfigMap, ImageStreamList, assets tree), with where each came from and every issue found.
//
// Facts (read in openshift/cluster-samples-operator and openshift/api, not guessed):
// - ConfigMap `imagestreamtag-to-image` in `openshift-cluster-samples-operator` (pkg/util/util.go IST2ImageMap):
//   key `<imagestream>_<tag>`, value the tag's `from.name`, only for tags whose from.kind is DockerImage, and
//   never for imagestreams whose name starts with "jenkins" (pkg/stub/files.go processFiles).
// - Assets: the operator image holds /opt/openshift/operator/<arch>/<group>/{imagestreams,templates}/*.json
//   (Dockerfile COPY assets/operator/ocp-<arch> …; processFiles recurses and keys on the directory's suffix).
// - Architectures: directory names x86_64, aarch64, ppc64le, s390x; the Config's spec.architectures values are
//   x86_64 (or amd64), arm64, ppc64le, s390x (openshift/api samples/v1/types_config.go; pkg/stub/files.go GetBaseDir).

/** Architectures as the operator's asset directories name them. */
export const SAMPLE_ARCHITECTURES = ['x86_64', 'aarch64', 'ppc64le', 's390x'] as const;
export type SampleArchitecture = (typeof SAMPLE_ARCHITECTURES)[number];

/** The value for the Config's spec.architectures (openshift/api samples/v1: ARMArchitecture = "arm64"). */
export function configArchitecture(arch: SampleArchitecture): string {
  return arch === 'aarch64' ? 'arm64' : arch;
}

/** Any spelling people use (x86_64/amd64, aarch64/arm64, ppc64le, s390x) to the directory name, else undefined. */
export function parseArchitecture(text: string): SampleArchitecture | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'amd64' || t === 'x86_64') return 'x86_64';
  if (t === 'arm64' || t === 'aarch64') return 'aarch64';
  if (t === 'ppc64le') return 'ppc64le';
  if (t === 's390x') return 's390x';
  return undefined;
}

export type SamplesInputKind = 'configmap' | 'imagestreams' | 'assets';

/** Where an entry was read: the file (as the user named it, or its path inside an assets tree) and the line. */
export interface SourceLocation {
  file: string;
  /** 1-based; absent when the input has no lines to point at. */
  line?: number;
}

/** A tag's `from`, as written (ImageStream spec.tags[].from; the ConfigMap only knows DockerImage). */
export interface TagFrom {
  kind: 'DockerImage' | 'ImageStreamTag' | 'ImageStreamImage' | string;
  name: string;
  namespace?: string;
}

export interface SampleTag {
  imagestream: string;
  tag: string;
  from: TagFrom;
  /**
   * The image the tag imports: from.name for a DockerImage, or the DockerImage a same-stream ImageStreamTag alias
   * leads to. Absent when it cannot be resolved (an issue says why); such tags are never planned.
   */
  image?: string;
  /** When the tag is an alias (from.kind ImageStreamTag in the same stream): the tag it resolves through. */
  aliasOf?: string;
  /** The tag's `tags` annotation split on commas ("builder,ruby" → ["builder","ruby"]); [] when absent. */
  labels: string[];
  /** The tag's `hidden` annotation word is set (the console hides it; it is still imported). */
  hidden: boolean;
  at: SourceLocation;
}

export interface SampleImageStream {
  name: string;
  /** Known only for assets trees (the directory it was read from). */
  architecture?: SampleArchitecture;
  tags: SampleTag[];
  at: SourceLocation;
  /** Which kind of input it came from. */
  input: SamplesInputKind;
}

/** A reference from a template object to an imagestream tag in the `openshift` namespace. */
export interface TemplateReference {
  imagestream: string;
  tag: string;
  /** The object's kind and name inside the template (e.g. "BuildConfig/${NAME}"). */
  object: string;
  at: SourceLocation;
}

export interface SampleTemplate {
  name: string;
  architecture?: SampleArchitecture;
  references: TemplateReference[];
  at: SourceLocation;
}

/** error: the plan is refused; warning: planned anyway or left out, said why; info: what gantry did (an alias resolved). */
export type SamplesIssueSeverity = 'error' | 'warning' | 'info';

export type SamplesIssueCode =
  | 'SYNTAX'
  | 'UNKNOWN_INPUT'
  | 'KEY_INVALID'
  | 'VALUE_INVALID'
  | 'FIELD_INVALID'
  | 'NO_REGISTRY'
  | 'ALIAS_RESOLVED'
  | 'ALIAS_DANGLING'
  | 'ALIAS_CYCLE'
  | 'ALIAS_OTHER_NAMESPACE'
  | 'FROM_UNSUPPORTED'
  | 'DUPLICATE_TAG'
  | 'CONFLICTING_TAG'
  | 'TEMPLATE_UNRESOLVED'
  | 'NO_FROM'
  | 'IGNORED_FILE'
  | 'SELECTION_EMPTY'
  | 'DESTINATION_INVALID'
  | 'DESTINATION_SHARED'
  | 'ARCH_UNKNOWN';

/** One finding while reading or selecting; nothing is dropped without one. */
export interface SamplesIssue {
  severity: SamplesIssueSeverity;
  code: SamplesIssueCode;
  message: string;
  file: string;
  line?: number;
  imagestream?: string;
  tag?: string;
}

/** Everything read from all inputs: what `samples plan`, `config` and `check` work on. */
export interface SamplesSet {
  imagestreams: SampleImageStream[];
  templates: SampleTemplate[];
  issues: SamplesIssue[];
}

/** A file as the pure readers receive it. */
export interface SamplesFile {
  file: string;
  text: string;
}

/** One image to mirror: the JSON shape `gantry samples plan -o json` prints is exactly these three fields. */
export interface SamplesPlanEntry {
  imagestream: string;
  tag: string;
  image: string;
}

/** "file:line" or "file". */
export function formatLocation(at: SourceLocation): string {
  return at.line === undefined ? at.file : `${at.file}:${at.line}`;
}

/** "file:line: imagestream ruby tag 2.5: message" — how the CLI prints an issue. */
export function formatIssue(issue: SamplesIssue): string {
  const where = formatLocation(issue.line === undefined ? { file: issue.file } : { file: issue.file, line: issue.line });
  const what = issue.imagestream === undefined ? '' : `imagestream ${issue.imagestream}${issue.tag === undefined ? '' : ` tag ${issue.tag}`}: `;
  return `${where}: ${what}${issue.message}`;
}

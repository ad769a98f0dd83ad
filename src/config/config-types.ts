// The typed, normalised ImageSetConfiguration (v1alpha2 and v2alpha1, mirror and delete) and the issues
// reported while reading it. One shape for both API versions; fields keep the YAML names users write.
import type { Reference } from '../oci/reference.js';

export const API_V1 = 'mirror.openshift.io/v1alpha2';
export const API_V2 = 'mirror.openshift.io/v2alpha1';
export type ApiVersion = typeof API_V1 | typeof API_V2;
export type ConfigKind = 'ImageSetConfiguration' | 'DeleteImageSetConfiguration';

export interface ImageSetConfig {
  apiVersion: ApiVersion;
  kind: ConfigKind;
  /** Archive chunk size in GiB (absent: the default, 500 GiB in oc-mirror). */
  archiveSize?: number;
  /** v1alpha2 only; kept as data, gantry keeps its own history per destination. */
  storageConfig?: StorageConfig;
  /** Present for kind ImageSetConfiguration. */
  mirror?: ImageSet;
  /** Present for kind DeleteImageSetConfiguration. */
  delete?: ImageSet;
}

export interface StorageConfig {
  local?: { path: string };
  registry?: { imageURL: string; skipTLS: boolean };
}

export interface ImageSet {
  platform?: ReleasePlatform;
  operators: OperatorCatalog[];
  additionalImages: AdditionalImage[];
  blockedImages: BlockedImage[];
  helm?: Helm;
  samples: { name: string }[];
}

export interface ReleasePlatform {
  channels: ReleaseChannel[];
  graph: boolean;
  architectures?: string[];
  platforms?: PlatformFilter[];
  release?: string;
  kubeVirtContainer: boolean;
}

export interface ReleaseChannel {
  name: string;
  type: 'ocp' | 'okd';
  minVersion?: string;
  maxVersion?: string;
  shortestPath: boolean;
  full: boolean;
}

export interface PlatformFilter {
  os: string;
  architecture: string;
}

/** Where a catalog comes from: a registry reference, or an OCI layout on disk (`oci://path`). */
export type CatalogSource = { transport: 'docker'; reference: Reference } | { transport: 'oci'; path: string };

export interface OperatorCatalog {
  /** As written in the file. */
  catalog: string;
  source: CatalogSource;
  targetCatalog?: string;
  targetTag?: string;
  /** v1alpha2, deprecated in favour of targetCatalog. */
  targetName?: string;
  /** v1alpha2, deprecated. */
  originalRef?: string;
  full: boolean;
  skipDependencies: boolean;
  targetCatalogSourceTemplate?: string;
  platforms?: PlatformFilter[];
  packages: OperatorPackage[];
}

export interface VersionFilter {
  minVersion?: string;
  maxVersion?: string;
  /** v1alpha2: a bundle name, for bundles without semver. */
  minBundle?: string;
}

export interface OperatorPackage extends VersionFilter {
  name: string;
  defaultChannel?: string;
  channels: OperatorChannel[];
  /** v2alpha1 (4.17) selected bundles, by bundle name. */
  bundles?: { name: string }[];
}

export interface OperatorChannel extends VersionFilter {
  name: string;
}

export interface AdditionalImage {
  name: string;
  targetRepo?: string;
  targetTag?: string;
  platforms?: PlatformFilter[];
}

export interface BlockedImage {
  /** A regular expression in v2alpha1 (and in v1's blocked.go), matched against image references. */
  name: string;
}

export interface Helm {
  local: HelmChart[];
  repositories: HelmRepository[];
}

export interface HelmRepository {
  name: string;
  url: string;
  charts: HelmChart[];
}

export interface HelmChart {
  name: string;
  version?: string;
  path?: string;
  imagePaths?: string[];
  platforms?: PlatformFilter[];
}

export type IssueSeverity = 'error' | 'warning';

export type ConfigIssueCode =
  | 'YAML_SYNTAX'
  | 'YAML_WARNING'
  | 'NOT_A_MAPPING'
  | 'API_VERSION_MISSING'
  | 'API_VERSION_UNSUPPORTED'
  | 'KIND_MISSING'
  | 'KIND_UNSUPPORTED'
  | 'KIND_NOT_IN_VERSION'
  | 'STANZA_MISSING'
  | 'STANZA_NOT_ALLOWED'
  | 'FIELD_UNKNOWN'
  | 'FIELD_REQUIRED'
  | 'FIELD_V1_ONLY'
  | 'FIELD_V2_ONLY'
  | 'FIELD_DEPRECATED'
  | 'TYPE_MISMATCH'
  | 'VALUE_INVALID'
  | 'ARCHIVE_SIZE_INVALID'
  | 'VERSION_INVALID'
  | 'VERSION_RANGE_EMPTY'
  | 'RANGE_MIXED'
  | 'MIN_BUNDLE_WITH_MIN_VERSION'
  | 'FULL_WITH_RANGE'
  | 'DEFAULT_CHANNEL_NOT_LISTED'
  | 'DUPLICATE_CATALOG'
  | 'DUPLICATE_PACKAGE'
  | 'DUPLICATE_CHANNEL'
  | 'DUPLICATE_RELEASE_CHANNEL'
  | 'CATALOG_REF_INVALID'
  | 'IMAGE_REF_INVALID'
  | 'TARGET_PATH_INVALID'
  | 'TARGET_TAG_INVALID'
  | 'REGEX_INVALID'
  | 'PLATFORMS_WITH_ARCHITECTURES'
  | 'ARCHITECTURE_UNKNOWN'
  | 'KUBEVIRT_WITHOUT_RELEASES'
  | 'HELM_NOT_SUPPORTED'
  | 'STORAGE_CONFIG_NOT_USED'
  | 'SAMPLES_NOT_SUPPORTED'
  // DeleteImageList (delete-image-list.ts)
  | 'DIGEST_REQUIRED'
  | 'DESTINATION_MISMATCH';

export interface ConfigIssue {
  code: ConfigIssueCode;
  severity: IssueSeverity;
  message: string;
  file: string;
  /** 1-based, like editors and compilers print them. */
  line: number;
  column: number;
  /** Where in the document, e.g. mirror.operators[0].packages[2].maxVersion ('' for the document). */
  path: string;
  hint?: string;
}

export interface ParseImageSetConfigResult {
  /** Absent when an error makes the document unusable (syntax, unknown apiVersion or kind) or any error was found. */
  config?: ImageSetConfig;
  issues: ConfigIssue[];
}

// Public surface of config/: ImageSetConfiguration and DeleteImageSetConfiguration (v1alpha2, v2alpha1)
// parsed into one typed shape, and the DeleteImageList of `gantry delete`; every issue located by file, line and path.
export { parseImageSetConfig } from './parse-image-set-config.js';
export { parseCatalogSource } from './catalog-source.js';
export {
  parseRbacObjects,
  RBAC_API_VERSION,
  type ClusterRole,
  type ClusterRoleBinding,
  type LabelSelector,
  type LabelSelectorRequirement,
  type ObjectSource,
  type ParseRbacObjectsOptions,
  type ParseRbacObjectsResult,
  type PolicyRule,
  type RbacObject,
  type RbacObjects,
  type Role,
  type RoleBinding,
  type RoleRef,
  type Subject,
} from './rbac-objects.js';
export { compileGoRegex } from './go-regex.js';
export { compileBlockedImages, type BlockedImages } from './blocked-images.js';
export {
  DELETE_LIST_KIND,
  formatDeleteImageList,
  parseDeleteImageList,
  sortDeleteItems,
  type CheckedDeleteItem,
  type DeleteItem,
  type DeleteListTarget,
  type ParseDeleteListResult,
} from './delete-image-list.js';
export {
  API_V1,
  API_V2,
  type AdditionalImage,
  type ApiVersion,
  type BlockedImage,
  type CatalogSource,
  type ConfigIssue,
  type ConfigIssueCode,
  type ConfigKind,
  type Helm,
  type HelmChart,
  type HelmRepository,
  type ImageSet,
  type ImageSetConfig,
  type IssueSeverity,
  type OperatorCatalog,
  type OperatorChannel,
  type OperatorPackage,
  type ParseImageSetConfigResult,
  type PlatformFilter,
  type ReleaseChannel,
  type ReleasePlatform,
  type StorageConfig,
  type VersionFilter,
} from './config-types.js';
export {
  CLUSTER_EXTENSION_V1,
  CLUSTER_EXTENSION_V1ALPHA1,
  parseClusterExtension,
  type ClusterExtensionSpec,
  type ParseClusterExtensionResult,
} from './cluster-extension.js';
export {
  parseSubscription,
  peekKind,
  SUBSCRIPTION_API_VERSION,
  SUBSCRIPTION_KIND,
  type InstallPlanApproval,
  type ParseSubscriptionResult,
  type SubscriptionSpec,
} from './subscription.js';

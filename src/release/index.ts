// Public surface of release/: the update graph model, reading graphs from an update service or a file, the
// shortest update path, and release selection as oc-mirror v2 does it. Pure: the HTTP GET is injected.
export { channelHead, findNode, mergeGraphs, parseUpdateGraph, type GraphOrigin, type ReleaseNode, type UpdateEdge, type UpdateGraph, type UpdateRisk } from './update-graph.js';
export { shortestPath, type UpdatePath } from './shortest-path.js';
export {
  DEFAULT_ARCH,
  graphKey,
  graphRequests,
  intermediateChannels,
  releaseArchitectures,
  selectReleases,
  type GraphRequest,
  type GraphSet,
  type ReleaseSelection,
  type ReleaseType,
  type SelectedRelease,
  type SelectionWarning,
} from './select-releases.js';
export { cincinnatiArch, fetchGraph, graphUrl, OCP_UPDATE_URL, OKD_UPDATE_URL, readGraphs, UPDATE_URL_ENV, updateServiceUrl, type FetchedText, type FetchText } from './update-service.js';
export { reportChannel, type ChannelReport } from './channel-report.js';
export { IMAGE_REFERENCES, parseImageReferences, parseReleaseMetadata, readReleaseImage, RELEASE_METADATA, releaseTagArch, type ReadReleaseOptions, type ReleaseImage, type ReleasePayload } from './payload.js';
export { checkReleaseDigest, fetchReleaseSignatures, MAX_SIGNATURES, OCP_SIGNATURE_URL, OKD_SIGNATURE_URL, SIGNATURE_URL_ENV, signatureStoreUrl, signatureUrl, type FetchBytes, type FetchedSignature } from './signature-store.js';
export {
  clusterImagePolicyExample,
  DEFAULT_KEY_FILE,
  fetchAndVerifyRelease,
  KEY_FILE_ENV,
  readVerificationKeys,
  releaseSignatureConfigMap,
  RELEASE_SCOPES,
  SIGNATURE_CONFIGMAP,
  verifyEachSignature,
  verifyReleaseSignature,
  verifyReleaseSignatures,
  type RejectedSignature,
  type ReleaseVerification,
  type SignatureConfigMap,
  type VerifiedSignature,
} from './signatures.js';
export { GRAPH_BASE_IMAGE, GRAPH_DATA_LIMITS, GRAPH_DATA_URL, readGraphData, type GraphData } from './graph-data.js';
export { BOOTIMAGES_MANIFEST, KUBEVIRT_COMPONENT, parseBootImages, releaseKubeVirt, streamArch, type BootImages, type KubeVirtImage, type ReleaseKubeVirt } from './bootimages.js';

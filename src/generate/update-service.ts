// The UpdateService resource (reference §4.4) for a destination that holds the graph image: OpenShift Update
// Service's operand, reading the graph data from the graph image and the releases from the mirrored release images.
// Pure: mirror records in, YAML out.
import { stringify } from 'yaml';
import { byteOrder } from '../order.js';
import { formatReference } from '../oci/reference.js';
import { generatedAnnotations, type ResourceOptions } from './annotations.js';
import type { GeneratedFile, MirroredImage } from './cluster-resources.js';

/** oc-mirror v2 internal/pkg/clusterresources/const.go: file, name, namespace; replicas 2 as it writes. */
export const UPDATE_SERVICE_FILE = 'updateService.yaml';
export const UPDATE_SERVICE_NAME = 'update-service-oc-mirror';
export const UPDATE_SERVICE_NAMESPACE = 'openshift-update-service';
export const UPDATE_SERVICE_API_VERSION = 'updateservice.operator.openshift.io/v1';

const repo = (i: MirroredImage) => `${i.dest.registry}/${i.dest.repository}`;

/**
 * The UpdateService when a graph image was mirrored here, else undefined. `releases` is the repository the release
 * images were mirrored to, without tag (oc-mirror's releaseImage.Name); with none recorded yet, the repository
 * beside the graph image that oc-mirror's naming gives them. `graphDataImage` is by tag, as oc-mirror writes it:
 * the operator re-resolves a tag every 5 minutes, so a newer graph image pushed under it is picked up.
 */
export function generateUpdateService(images: readonly MirroredImage[], opts: ResourceOptions = {}): GeneratedFile | undefined {
  const graph = images.filter((i) => i.kind === 'graph').sort((a, b) => byteOrder(formatReference(a.dest), formatReference(b.dest)))[0];
  if (!graph) return undefined;
  // Release images go to …/release-images (or a folded …-release-images with --max-nested-paths); components elsewhere.
  const releaseRepos = [...new Set(images.filter((i) => i.kind === 'release' && /(^|[/-])release-images$/.test(i.dest.repository)).map(repo))].sort(byteOrder);
  const releases = releaseRepos[0] ?? repo(graph).replace(/graph-image$/, 'release-images');
  const doc = {
    apiVersion: UPDATE_SERVICE_API_VERSION,
    kind: 'UpdateService',
    metadata: { name: UPDATE_SERVICE_NAME, namespace: UPDATE_SERVICE_NAMESPACE, annotations: generatedAnnotations(opts) },
    spec: { replicas: 2, releases, graphDataImage: `${repo(graph)}:${graph.dest.tag ?? 'latest'}` },
  };
  return { path: UPDATE_SERVICE_FILE, content: stringify(doc, { lineWidth: 0, version: '1.1' }) };
}

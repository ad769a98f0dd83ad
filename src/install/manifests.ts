// The shapes shared by install planning's bundle side: a registry+v1 bundle's content (its CSV and other
// manifests, read from a bundle directory, a bundle image or a catalog's olm.bundle.object properties) and the
// plain Kubernetes objects OLM v1 would apply for it.

/** A Kubernetes object as JSON data; metadata.name is always set. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Where an object was read from, so that messages can point at it ("manifests/x.crd.yaml:1", "catalog c bundle b property 3"). */
export type ManifestOrigin = string;

/** A registry+v1 bundle: the ClusterServiceVersion and every other manifest, in file order. */
export interface BundleContent {
  /** The package name (metadata/annotations.yaml or the image's bundle label; "" when not known). */
  package: string;
  csv: ManifestObject;
  csvOrigin: ManifestOrigin;
  /** Every manifest but the CSV (CRDs, Services, …), in file order. */
  objects: ManifestObject[];
  /** origins[i] is where objects[i] came from. */
  origins: ManifestOrigin[];
  /** metadata/annotations.yaml (empty when read from a catalog). */
  annotations: Record<string, string>;
}

/** How OLM v1 renders a registry+v1 bundle (ClusterExtension spec.namespace, config.inline.watchNamespace). */
export interface RenderOptions {
  installNamespace: string;
  /** Empty or absent: AllNamespaces. */
  watchNamespace?: string;
  /** Who issues webhook certificates (default cert-manager, as upstream; OpenShift uses its service CA). */
  certProvider?: 'cert-manager' | 'openshift-service-ca';
}

/** Identifies the ClusterExtension an installer service account works for. */
export interface ExtensionIdentity {
  /** The ClusterExtension name. */
  name: string;
  /** spec.namespace: where the bundle's namespaced objects and the installer ServiceAccount live. */
  namespace: string;
  /** spec.serviceAccount.name; `<name>-installer` by default. */
  serviceAccount: string;
}

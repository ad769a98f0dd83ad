// The certificates behind a bundle's webhooks, as OLM v1's certificate providers add them (rukpak/render
// certprovider.go, certproviders/): with cert-manager, a self-signed Issuer and a Certificate per webhook deployment,
// and the CA injected into the webhook configurations and converting CRDs by annotation.
import type { ManifestObject } from './manifests.js';

/** operator-controller's providers: cert-manager upstream, the service CA operator on OpenShift. */
export type CertProvider = 'cert-manager' | 'openshift-service-ca';

const INJECT_CA_FROM = 'cert-manager.io/inject-ca-from';
const INJECT_CABUNDLE = 'service.beta.openshift.io/inject-cabundle';

/** The certificate (and secret) name for a webhook Service: OLM v0's `<service>-cert`, kept by OLM v1. */
export function certNameFor(serviceName: string, nameWithSuffix: (base: string, suffix: string) => string): string {
  return nameWithSuffix(serviceName, 'cert');
}

/** cert-manager's Issuer and Certificate for one webhook Service; the service CA operator needs no objects. */
export function certificateObjects(provider: CertProvider, serviceName: string, namespace: string, nameWithSuffix: (base: string, suffix: string) => string): ManifestObject[] {
  if (provider !== 'cert-manager') return [];
  const cert = certNameFor(serviceName, nameWithSuffix);
  const issuer = nameWithSuffix(cert, 'selfsigned-issuer');
  return [
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: issuer, namespace }, spec: { selfSigned: {} } },
    { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: cert, namespace }, spec: { secretName: cert, usages: ['server auth'], dnsNames: [`${serviceName}.${namespace}.svc`], issuerRef: { name: issuer } } },
  ];
}

/** The annotation that makes the provider fill in the CA bundle of a webhook configuration or a converting CRD. */
export function injectCaAnnotation(provider: CertProvider, serviceName: string, namespace: string, nameWithSuffix: (base: string, suffix: string) => string): Record<string, string> {
  return provider === 'cert-manager' ? { [INJECT_CA_FROM]: `${namespace}/${certNameFor(serviceName, nameWithSuffix)}` } : { [INJECT_CABUNDLE]: 'true' };
}

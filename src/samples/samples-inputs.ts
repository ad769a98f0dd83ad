// What `samples config` and `samples check` check: every resolved DockerImage tag of the imagestreams the samples
// operator manages (payload imagestreams left out, said so), template uses, and the architectures of the input.
import type { SampleTagImage } from './mirror-presence.js';
import type { TemplateImagestreams } from './samples-resources.js';
import type { SamplesSet } from './samples-model.js';

/**
 * Imagestreams in `openshift` that the release payload creates and the samples operator does not manage
 * (cluster-samples-operator manifests/08-openshift-imagestreams.yaml at eee95ba; documented: "The cli, installer,
 * must-gather, and tests image streams, while part of the install payload, are not managed by the Cluster Samples
 * Operator"). `oc get is -n openshift -o json` lists them; samplesRegistry does not apply to them.
 */
export const PAYLOAD_IMAGESTREAMS = ['cli', 'cli-artifacts', 'installer', 'installer-artifacts', 'must-gather', 'network-tools', 'oauth-proxy', 'tests', 'tools'] as const;

export interface SamplesCheckInputs {
  /** Every DockerImage tag (aliases resolved), once, of the imagestreams the operator manages. */
  tags: SampleTagImage[];
  /** Templates and the imagestreams they use, when the input has templates (an assets tree). */
  templates?: TemplateImagestreams[];
  /** Architectures the input names (asset directories), if any. */
  architectures: string[];
  /** Payload imagestreams found in the input and left out. */
  payloadImagestreams: string[];
}

export function samplesCheckInputs(set: SamplesSet): SamplesCheckInputs {
  const payload = new Set<string>(PAYLOAD_IMAGESTREAMS);
  const tags = new Map<string, SampleTagImage>();
  const left = new Set<string>();
  for (const s of set.imagestreams) {
    if (payload.has(s.name)) {
      left.add(s.name);
      continue;
    }
    // An imagestream read for several architectures has the same tags: each (stream, tag, image) once.
    for (const t of s.tags) if (t.image !== undefined) tags.set(`${s.name}\u0000${t.tag}\u0000${t.image}`, { imagestream: s.name, tag: t.tag, image: t.image });
  }
  const templates = new Map<string, Set<string>>();
  for (const t of set.templates) {
    const uses = templates.get(t.name) ?? new Set<string>();
    for (const r of t.references) uses.add(r.imagestream);
    templates.set(t.name, uses);
  }
  return {
    tags: [...tags.values()],
    ...(set.templates.length ? { templates: [...templates].map(([name, uses]) => ({ name, imagestreams: [...uses].sort() })) } : {}),
    architectures: [...new Set(set.imagestreams.flatMap((s) => (s.architecture === undefined ? [] : [s.architecture])))].sort(),
    payloadImagestreams: [...left].sort(),
  };
}

// `samples check`: from the samples Config (as exported, or as `samples config` wrote it) and the imagestreams,
// the tags the operator would fail to import — image not at samplesRegistry and imagestream not skipped.
import { parseAllDocuments } from 'yaml';
import { GantryError, quoteValue } from '../errors.js';
import { checkPresence, type DigestExpectation, type MirrorLookup, type SampleTagImage, type TagPresence } from './mirror-presence.js';
import { DEFAULT_ARCHITECTURES } from './samples-resources.js';

export interface SamplesConfigSpec {
  file: string;
  managementState?: string;
  samplesRegistry: string;
  architectures: string[];
  skippedImagestreams: string[];
  skippedTemplates: string[];
}

function strings(v: unknown, where: string, file: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new GantryError('CONFIG_INVALID', `${file}: ${where} is not a list of strings`);
  return v as string[];
}

function isSamplesConfig(o: unknown): o is { spec?: Record<string, unknown> } {
  const r = o as { apiVersion?: unknown; kind?: unknown } | null;
  return !!r && typeof r === 'object' && r.kind === 'Config' && typeof r.apiVersion === 'string' && r.apiVersion.startsWith('samples.operator.openshift.io/');
}

/** The samples Config among the documents of a YAML or JSON file (also inside a List); exactly one. */
export function parseSamplesConfig(text: string, file: string): SamplesConfigSpec {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new GantryError('CONFIG_INVALID', `${file}: not YAML or JSON`);
  const found: { spec?: Record<string, unknown> }[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new GantryError('CONFIG_INVALID', `${file}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    const items = value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'List' ? ((value as { items?: unknown[] }).items ?? []) : [value];
    for (const item of items) if (isSamplesConfig(item)) found.push(item);
  }
  if (found.length !== 1) {
    throw new GantryError('CONFIG_INVALID', `${file} holds ${found.length} samples.operator.openshift.io Config resources, not one`, {
      hint: 'oc get configs.samples.operator.openshift.io cluster -o yaml > config.yaml',
    });
  }
  const spec = found[0]!.spec ?? {};
  const registry = spec.samplesRegistry ?? '';
  if (typeof registry !== 'string') throw new GantryError('CONFIG_INVALID', `${file}: spec.samplesRegistry ${quoteValue(String(registry))} is not a string`);
  return {
    file,
    ...(typeof spec.managementState === 'string' ? { managementState: spec.managementState } : {}),
    samplesRegistry: registry,
    architectures: strings(spec.architectures, 'spec.architectures', file),
    skippedImagestreams: strings(spec.skippedImagestreams, 'spec.skippedImagestreams', file),
    skippedTemplates: strings(spec.skippedTemplates, 'spec.skippedTemplates', file),
  };
}

export interface CheckResult {
  /** The tags that would fail to import, sorted by imagestream and tag. */
  failing: TagPresence[];
  /** Tags checked (imagestreams not skipped). */
  checked: number;
  /** Tags of skipped imagestreams (looked up too, but never failing). */
  skipped: number;
  /** Skipped imagestreams whose every tag is at samplesRegistry now: they could leave skippedImagestreams. */
  unskippable: string[];
  /** Every tag looked up, skipped or not. */
  presence: TagPresence[];
}

export async function checkSamples(config: SamplesConfigSpec, tags: readonly SampleTagImage[], opts: { lookup: MirrorLookup; signal?: AbortSignal; expectation?: DigestExpectation }): Promise<CheckResult> {
  const skip = new Set(config.skippedImagestreams);
  // Skipped imagestreams are looked up as well: not to fail, but to say which could be unskipped after more mirroring.
  const presence = await checkPresence(tags, {
    samplesRegistry: config.samplesRegistry,
    architectures: config.architectures.length ? config.architectures : DEFAULT_ARCHITECTURES,
    lookup: opts.lookup,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.expectation ? { expectation: opts.expectation } : {}),
  });
  const wanted = presence.filter((p) => !skip.has(p.imagestream));
  const failing = wanted.filter((p) => !p.present).sort((a, b) => (a.imagestream === b.imagestream ? (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0) : a.imagestream < b.imagestream ? -1 : 1));
  const skippedTags = presence.filter((p) => skip.has(p.imagestream));
  const missingSkipped = new Set(skippedTags.filter((p) => !p.present).map((p) => p.imagestream));
  const unskippable = [...new Set(skippedTags.map((p) => p.imagestream))].filter((s) => !missingSkipped.has(s)).sort();
  return { failing, checked: wanted.length, skipped: skippedTags.length, unskippable, presence };
}

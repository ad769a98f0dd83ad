// What gantry delete prints: one line per skipped image or settled manifest, the closing summary, and the
// -o json documents. Error texts go through formatError/redact, so no credential reaches the output.
import { GantryError } from '../errors.js';
import type { ConfigIssue } from '../config/config-types.js';
import type { DeleteOutcome, DeleteResult } from '../delete/execute-delete.js';
import type { DeletePlan, SkippedImage } from '../delete/plan-delete.js';
import { formatReference } from '../oci/reference.js';
import type { RetryInfo } from '../transport/registry-client.js';
import { formatDuration, formatError, redact } from './output.js';

export function describeIssue(i: ConfigIssue): string {
  return `${i.severity}: ${i.file}:${i.line}:${i.column}: ${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}`;
}

export function retryLine(e: RetryInfo): string {
  return redact(`retrying ${e.operation} on ${e.registry} in ${formatDuration(e.delayMs)} (attempt ${e.attempt}): ${e.reason}`);
}

const destOf = (s: SkippedImage | DeletePlan['failed'][number]) => `docker://${formatReference(s.image.dest)}`;

export function describeSkipped(s: SkippedImage): string {
  const src = formatReference(s.image.source);
  if (s.reason === 'shared') return `kept: ${destOf(s)} (${s.found}) is also tagged ${(s.keptBy ?? []).join(', ')}, which stays; not listed`;
  return s.reason === 'not-present'
    ? `not present: ${destOf(s)} (${src}), skipped`
    : `changed: ${destOf(s)} now holds ${s.found}, not ${s.image.source.digest} as mirrored from ${src}; skipped`;
}

const VERBS: Record<DeleteOutcome['status'], string> = {
  deleted: 'deleted',
  absent: 'already deleted',
  'would-delete': 'would delete',
  failed: 'failed',
  'not-attempted': 'not attempted',
};

export function describeOutcome(o: DeleteOutcome, debug: boolean): string {
  if (o.status === 'failed') return formatError(o.error, debug, o.item.imageReference);
  return `${VERBS[o.status]}: ${o.item.imageReference} (${o.item.imageName})`;
}

export function summarizeDelete(r: DeleteResult, dryRun: boolean): string {
  const c = r.counts;
  const manifests = (n: number) => `${n} manifest${n === 1 ? '' : 's'}`;
  if (dryRun) return `dry run: ${manifests(c['would-delete'])} would be deleted, ${c.absent} already deleted; nothing was deleted`;
  const parts = [`${manifests(c.deleted)} deleted`, `${c.absent} already deleted`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c['not-attempted']) parts.push(`${c['not-attempted']} not attempted (--fail-fast)`);
  const gc = c.deleted > 0 ? "\nmanifests were deleted; their blobs stay on disk until the registry's garbage collection frees them (distribution: registry garbage-collect CONFIG.yml)" : '';
  return `${parts.join(', ')}${gc}`;
}

function errorJson(err: unknown): { code: string; message: string } {
  const code = err instanceof GantryError ? err.code : ((err as { code?: unknown })?.code as string | undefined) ?? 'INTERNAL';
  return { code, message: redact((err as Error)?.message ?? String(err)) };
}

export function generateJson(r: DeletePlan, files: { listFile: string; configFile: string } | undefined): unknown {
  return {
    phase: 'generate',
    file: files?.listFile ?? null,
    config: files?.configFile ?? null,
    items: r.items,
    skipped: r.skipped.map((s) => ({ imageName: formatReference(s.image.source), destination: destOf(s), reason: s.reason, ...(s.found ? { found: s.found } : {}), ...(s.keptBy ? { keptBy: s.keptBy } : {}) })),
    failed: r.failed.map((f) => ({ imageName: formatReference(f.image.source), destination: destOf(f), error: errorJson(f.error) })),
    blocked: r.plan.blocked,
    deleted: 0,
  };
}

export function deleteJson(file: string, dryRun: boolean, r: DeleteResult): unknown {
  return {
    phase: 'delete',
    file,
    dryRun,
    results: r.outcomes.map((o) => ({
      imageName: o.item.imageName,
      imageReference: o.item.imageReference,
      ...(o.item.tag !== undefined ? { tag: o.item.tag } : {}),
      line: o.item.line,
      status: o.status,
      ...(o.error !== undefined ? { error: errorJson(o.error) } : {}),
    })),
    counts: r.counts,
  };
}

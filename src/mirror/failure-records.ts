// Per-image failures as records for the errors report and the archive manifest: what failed, the error's code and
// message, and the bundles that need the image (so users know which operators will not install).
import { isGantryError } from '../errors.js';
import type { CopyFailure } from './copy-plan.js';

export interface FailureRecord {
  what: string;
  code: string;
  message: string;
  bundles: string[];
}

export function failureRecords(failed: CopyFailure[]): FailureRecord[] {
  return failed.map((f) => {
    const bundles = new Set<string>();
    for (const r of f.image?.reasons ?? []) if ('bundle' in r) bundles.add(`${r.catalog} ${r.package} ${r.bundle}`);
    for (const b of f.neededBy ?? []) bundles.add(b);
    const err = f.error;
    return {
      what: f.what,
      code: isGantryError(err) ? err.code : 'ERROR',
      message: err instanceof Error ? err.message : String(err),
      bundles: [...bundles].sort(),
    };
  });
}

/** The errors report: one block per failed image, its error, and the bundles affected. */
export function formatErrorsReport(records: FailureRecord[]): string {
  return records
    .map((r) => [`${r.what}`, `  error[${r.code}]: ${r.message}`, ...r.bundles.map((b) => `  needed by: ${b}`)].join('\n') + '\n')
    .join('');
}

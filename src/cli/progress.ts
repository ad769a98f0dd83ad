// Turns copy events into what a person sees: a progress bar (bytes, rate, ETA, images) on a TTY, plain log
// lines otherwise, and a closing summary. The library only emits events; only this file draws.
import type { CopyEvent } from '../copy/events.js';
import { formatBytes, formatDuration, redact } from './output.js';

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  quiet: boolean;
  /** Force plain lines even on a TTY. */
  plain?: boolean;
}

export interface ProgressStats {
  images: number;
  imagesDone: number;
  imagesSkipped: number;
  imagesFailed: number;
  bytesTotal: number;
  bytesDone: number;
  bytesMoved: number;
  blobs: { copied: number; exists: number; mounted: number };
  retries: number;
  startedAt: number;
}

export interface ProgressDisplay {
  onEvent(e: CopyEvent): void;
  stop(): ProgressStats;
}

export async function createProgressDisplay(opts: ProgressOptions): Promise<ProgressDisplay> {
  const stats: ProgressStats = {
    images: 0,
    imagesDone: 0,
    imagesSkipped: 0,
    imagesFailed: 0,
    bytesTotal: 0,
    bytesDone: 0,
    bytesMoved: 0,
    blobs: { copied: 0, exists: 0, mounted: 0 },
    retries: 0,
    startedAt: Date.now(),
  };
  const counted = new Set<string>();
  const sources = new Map<number, string>();
  const useBar = !opts.quiet && !opts.plain && opts.stream.isTTY === true;
  const log = (line: string) => {
    if (!opts.quiet) opts.stream.write(`${redact(line)}\n`);
  };

  let bar: { update(v: number, payload: object): void; setTotal(t: number): void; stop(): void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (useBar) {
    // Loaded only for TTYs: keeps start-up light for scripted runs.
    const { cliProgress } = await import('./progress-bar.js');
    const b = new cliProgress.SingleBar(
      {
        format: 'copying |{bar}| {percentage}% {done_text}/{total_text} {rate_text} ETA {eta_text} images {images_text}',
        barsize: 24,
        hideCursor: true,
        stream: opts.stream,
        clearOnComplete: false,
        etaBuffer: 40,
      },
      cliProgress.Presets.shades_classic,
    );
    b.start(1, 0, payload());
    bar = b;
    timer = setInterval(() => redraw(), 150);
    timer.unref();
  }

  function payload(): object {
    const elapsed = (Date.now() - stats.startedAt) / 1000;
    const rate = elapsed > 0 ? stats.bytesMoved / elapsed : 0;
    const remaining = Math.max(0, stats.bytesTotal - stats.bytesDone);
    return {
      done_text: formatBytes(stats.bytesDone),
      total_text: formatBytes(stats.bytesTotal),
      rate_text: `${formatBytes(rate)}/s`,
      eta_text: rate > 0 ? formatDuration((remaining / rate) * 1000) : '-',
      images_text: `${stats.imagesDone + stats.imagesFailed}/${stats.images}`,
    };
  }

  function redraw(): void {
    if (!bar) return;
    bar.setTotal(Math.max(1, stats.bytesTotal));
    bar.update(Math.min(stats.bytesDone, Math.max(1, stats.bytesTotal)), payload());
  }

  return {
    onEvent(e) {
      switch (e.type) {
        case 'image-start':
          stats.images++;
          sources.set(e.id, `${e.source} → ${e.dest}`);
          break;
        case 'image-resolved':
          for (const b of e.blobs) {
            if (counted.has(b.digest)) continue;
            counted.add(b.digest);
            stats.bytesTotal += b.size;
          }
          break;
        case 'image-done':
          stats.imagesDone++;
          if (e.skipped) stats.imagesSkipped++;
          if (!useBar) log(`${e.skipped ? 'up to date' : 'copied'} ${sources.get(e.id) ?? ''} (${e.digest})`);
          break;
        case 'image-failed':
          stats.imagesFailed++;
          if (!useBar) log(`failed ${sources.get(e.id) ?? ''}: ${(e.error as Error)?.message ?? String(e.error)}`);
          break;
        case 'blob-progress':
          stats.bytesDone += e.bytes;
          stats.bytesMoved += e.bytes;
          break;
        case 'blob-done':
          stats.blobs[e.outcome]++;
          if (e.outcome !== 'copied') stats.bytesDone += e.size;
          break;
        case 'blob-retry':
          stats.retries++;
          stats.bytesDone -= e.bytesDiscarded;
          if (!useBar) log(`retrying ${e.digest.slice(0, 19)} in ${formatDuration(e.delayMs)} (attempt ${e.attempt}): ${e.reason}`);
          break;
        case 'retry':
          stats.retries++;
          if (!useBar) log(`retrying ${e.operation} on ${e.registry} in ${formatDuration(e.delayMs)} (attempt ${e.attempt}): ${e.reason}`);
          break;
        default:
          break;
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      if (bar) {
        redraw();
        bar.stop();
      }
      return stats;
    },
  };
}

export function summarize(stats: ProgressStats): string {
  const elapsed = Date.now() - stats.startedAt;
  const rate = elapsed > 0 ? (stats.bytesMoved / elapsed) * 1000 : 0;
  const parts = [
    `${stats.imagesDone} image${stats.imagesDone === 1 ? '' : 's'} ok (${stats.imagesSkipped} already up to date)`,
    ...(stats.imagesFailed ? [`${stats.imagesFailed} failed`] : []),
    `${formatBytes(stats.bytesMoved)} moved in ${formatDuration(elapsed)} (${formatBytes(rate)}/s)`,
    `blobs: ${stats.blobs.copied} copied, ${stats.blobs.exists} present, ${stats.blobs.mounted} mounted`,
    ...(stats.retries ? [`${stats.retries} retries`] : []),
  ];
  return parts.join('; ');
}

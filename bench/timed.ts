// One command run under GNU time for the benchmarks that compare whole processes (mirror, release): wall time,
// peak RSS of the largest process GNU time waited for, the exit code and stderr.
import { spawn } from 'node:child_process';

export interface Measure {
  wallMs: number;
  peakRssMiB: number;
  code: number;
  stderr: string;
}

/** Rejects on a non-zero exit unless allowFailure; stdout is discarded. */
export function timed(cmd: string[], opts: { allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Measure> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', ...cmd], { stdio: ['ignore', 'ignore', 'pipe'], env: opts.env ?? process.env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const lines = err.trim().split('\n');
      const rss = Number(lines.pop()) / 1024;
      const stderr = lines.join('\n');
      if (code !== 0 && !opts.allowFailure) return reject(new Error(`${cmd.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ wallMs, peakRssMiB: rss, code: code ?? -1, stderr });
    });
  });
}

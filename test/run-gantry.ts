// Runs the shipped bin/gantry.js as a child process without blocking this process, so servers the test runs
// in-process (fault proxies, silent ports, fake registries) keep answering while gantry talks to them.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');

export interface GantryRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
}

export function runGantry(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<GantryRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

// Running external tools (skopeo, umoci, openssl) from tests and benchmarks: a child process with a hard
// timeout, captured output and optional stdin, plus small skopeo helpers built on it.
import { spawn } from 'node:child_process';
import { sha256, type Digest } from '../oci/digest.js';

export interface RunToolOptions {
  /** Hard limit; the process is killed with SIGKILL when it is exceeded and runTool rejects. */
  timeoutMs: number;
  /** Extra environment variables, merged over process.env. */
  env?: Record<string, string>;
  /** Bytes written to the tool's stdin (stdin is closed either way). */
  input?: string | Uint8Array;
  cwd?: string;
  signal?: AbortSignal;
}

export interface ToolResult {
  /** Exit code; null when the process died from a signal. */
  code: number | null;
  stdout: string;
  /** stdout as raw bytes, for output that must be hashed exactly (skopeo inspect --raw). */
  stdoutBytes: Buffer;
  stderr: string;
}

const DEFAULT_SKOPEO_TIMEOUT_MS = 60_000;

/** Runs `cmd args…` to completion. Rejects only on spawn failure, timeout or abort; a non-zero exit is a result. */
export function runTool(cmd: string, args: readonly string[], opts: RunToolOptions): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new Error(`${cmd}: aborted before start`, { cause: opts.signal.reason }));
      return;
    }
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env === undefined ? process.env : { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let failure: Error | undefined;
    const kill = (why: Error): void => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => kill(new Error(`${cmd} ${args.join(' ')}: timed out after ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    const onAbort = (): void => kill(new Error(`${cmd}: aborted`, { cause: opts.signal?.reason }));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      failure ??= e;
    });
    // A tool that exits without reading stdin makes the write fail with EPIPE; the exit code tells the story.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input === undefined ? undefined : opts.input);
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const stdoutBytes = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString('utf8');
      if (failure !== undefined) {
        const tail = stderr.slice(-2000);
        reject(tail === '' ? failure : new Error(`${failure.message}\nstderr: ${tail}`, { cause: failure }));
        return;
      }
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr });
    });
  });
}

export interface SkopeoOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs skopeo and throws (with its stderr) unless it exits 0. */
export async function runSkopeo(args: readonly string[], opts: SkopeoOptions = {}): Promise<ToolResult> {
  const r = await runTool('skopeo', args, {
    timeoutMs: opts.timeoutMs ?? DEFAULT_SKOPEO_TIMEOUT_MS,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (r.code !== 0) throw new Error(`skopeo ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r;
}

/**
 * The digest of the manifest `ref` names (e.g. "docker://127.0.0.1:5000/app:v1"), computed from the raw
 * manifest bytes skopeo fetched. For an index this is the index's digest, not a platform's.
 * `extraArgs` go before the reference: ["--tls-verify=false"], ["--cert-dir", dir], ["--creds", "u:p"].
 */
export async function skopeoInspectDigest(
  ref: string,
  extraArgs: readonly string[] = [],
  opts: SkopeoOptions = {},
): Promise<Digest> {
  const r = await runSkopeo(['inspect', '--raw', ...extraArgs, ref], opts);
  return sha256(r.stdoutBytes);
}

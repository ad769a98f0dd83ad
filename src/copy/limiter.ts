// Concurrency limits: a counting semaphore, and a limiter that takes a slot from a global pool plus one
// per endpoint, so a run never opens more transfers than allowed to any one registry.
import { abortError } from '../errors.js';

export class Semaphore {
  private available: number;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly size: number) {
    this.available = size;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.available > 0) {
      this.available--;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(wake);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortError(signal));
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.available++;
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

export class EndpointLimiter {
  private readonly global: Semaphore;
  private readonly perEndpoint = new Map<string, Semaphore>();

  constructor(
    globalLimit: number,
    private readonly endpointLimit: number,
  ) {
    this.global = new Semaphore(globalLimit);
  }

  private endpoint(key: string): Semaphore {
    let s = this.perEndpoint.get(key);
    if (!s) {
      s = new Semaphore(this.endpointLimit);
      this.perEndpoint.set(key, s);
    }
    return s;
  }

  /** Runs fn holding a global slot and one slot of each distinct endpoint (taken in sorted order: no deadlock). */
  async run<T>(endpoints: string[], fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const keys = [...new Set(endpoints)].sort();
    const held: Semaphore[] = [];
    try {
      for (const k of keys) {
        const s = this.endpoint(k);
        await s.acquire(signal);
        held.push(s);
      }
      return await this.global.run(fn, signal);
    } finally {
      for (const s of held.reverse()) s.release();
    }
  }
}

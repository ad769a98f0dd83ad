// Concurrency limits: a counting semaphore, and a limiter that takes a slot from a global pool plus one
// per endpoint, so a run never opens more transfers than allowed to any one registry.
import { abortError } from '../errors.js';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal;
}

export class Semaphore {
  private available: number;
  private readonly waiters: Waiter[] = [];
  private readonly watched = new Set<AbortSignal>();

  constructor(readonly size: number) {
    this.available = size;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    if (this.available > 0) {
      this.available--;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, ...(signal ? { signal } : {}) };
      this.waiters.push(waiter);
      if (signal) this.watch(signal);
    });
  }

  /**
   * One abort listener per signal, not per waiter: an EventTarget checks each new listener against the ones it
   * holds, so a listener per queued task made queuing 100,000 images quadratic (and deaf to SIGTERM meanwhile).
   */
  private watch(signal: AbortSignal): void {
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        this.watched.delete(signal);
        let kept = 0;
        for (const w of this.waiters) {
          if (w.signal === signal) w.reject(abortError(signal));
          else this.waiters[kept++] = w;
        }
        this.waiters.length = kept;
      },
      { once: true },
    );
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next.resolve();
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

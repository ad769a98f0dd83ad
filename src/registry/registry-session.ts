// A registry session: one RegistryClient (keep-alive pool, token cache) per registry endpoint and access
// settings, shared by every store of a run, so copies to and from one registry share connections and tokens.
import type { Credentials, CredentialStore } from '../transport/auth-file.js';
import { RegistryClient, type FlagNames, type RetryInfo } from '../transport/registry-client.js';
import type { RetryPolicy } from '../transport/retry.js';
import { createRegistryStore, type RegistryStore } from './registry-store.js';

export interface RegistryAccess {
  tlsVerify?: boolean;
  plainHttp?: boolean;
  certDir?: string;
  /** Explicit credentials (--creds); win over the auth files. */
  credentials?: Credentials;
  /** The command's flags for this side (e.g. --dest-tls-verify), named in hints. */
  flags?: FlagNames;
}

export interface RegistrySessionOptions {
  /** Credentials from auth files, consulted when no explicit credentials are given. */
  credentialStore?: CredentialStore;
  retry?: RetryPolicy;
  onRetry?: (info: RetryInfo) => void;
  connectionsPerOrigin?: number;
  /** Deadline for connections, response headers and pauses in bodies (default Defaults.requestTimeoutMs). */
  timeoutMs?: number;
  /** The flag that sets timeoutMs in this command (named in timeout hints). */
  timeoutFlag?: string;
  /** The command's auth file flag (named in credential hints). */
  authfileFlag?: string;
}

export interface RegistrySession {
  store(registry: string, repository: string, access?: RegistryAccess): RegistryStore;
  /** Connects to every registry a store was made for, in parallel (scheme probe, auth challenge). Errors surface later, on use. */
  connect(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export function createRegistrySession(opts: RegistrySessionOptions = {}): RegistrySession {
  const clients = new Map<string, RegistryClient>();

  function clientFor(registry: string, access: RegistryAccess): RegistryClient {
    const key = JSON.stringify([registry, access.tlsVerify ?? true, access.plainHttp ?? false, access.certDir ?? '', access.credentials?.username ?? '', access.flags ?? {}]);
    let client = clients.get(key);
    if (!client) {
      client = new RegistryClient({
        registry,
        tlsVerify: access.tlsVerify ?? true,
        plainHttp: access.plainHttp ?? false,
        ...(access.certDir ? { certDir: access.certDir } : {}),
        credentials: (repository) => access.credentials ?? opts.credentialStore?.lookup(registry, repository),
        ...(opts.retry ? { retry: opts.retry } : {}),
        ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
        ...(opts.connectionsPerOrigin ? { connections: opts.connectionsPerOrigin } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        flags: { ...access.flags, ...(opts.timeoutFlag ? { timeout: opts.timeoutFlag } : {}), ...(opts.authfileFlag ? { authfile: opts.authfileFlag } : {}) },
      });
      clients.set(key, client);
    }
    return client;
  }

  return {
    store(registry, repository, access = {}) {
      return createRegistryStore({ client: clientFor(registry, access), repository });
    },
    async connect(signal) {
      await Promise.all([...clients.values()].map((c) => c.origin(signal).catch(() => undefined)));
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}

// A grpc-js client of opm's api.Registry (and health, reflection) for tests, the opm recording script and the
// benchmark: every call settles into data ({ answer } or { error: { code, details } }), streams collected.
import * as grpc from '@grpc/grpc-js';
import { loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadProtos } from '../server/grpc/protos.js';

export const STREAMING = new Set([
  'ListPackages',
  'GetChannelEntriesThatReplace',
  'GetChannelEntriesThatProvide',
  'GetLatestChannelEntriesThatProvide',
  'ListBundles',
]);

export type RegistryMethod =
  | 'ListPackages'
  | 'GetPackage'
  | 'GetBundle'
  | 'GetBundleForChannel'
  | 'GetChannelEntriesThatReplace'
  | 'GetBundleThatReplaces'
  | 'GetChannelEntriesThatProvide'
  | 'GetLatestChannelEntriesThatProvide'
  | 'GetDefaultBundleThatProvides'
  | 'ListBundles';

export interface CallError {
  code: number;
  /** grpc.status name, e.g. UNKNOWN. */
  status: string;
  details: string;
}

export type Outcome = { answer: unknown } | { error: CallError };

export interface RegistryClient {
  call(method: RegistryMethod, request: Record<string, string>, opts?: { deadlineMs?: number }): Promise<Outcome>;
  /** A server stream, item by item (for tests that stop or pause mid-stream). */
  stream(method: RegistryMethod, request: Record<string, string>): grpc.ClientReadableStream<unknown>;
  health(service?: string): Promise<Outcome>;
  /** Service names through the reflection service (v1alpha, which grpcurl falls back to, and v1). */
  listServices(version?: 'v1' | 'v1alpha'): Promise<string[]>;
  /** The file descriptor (serialized FileDescriptorProto bytes) holding a symbol, via reflection. */
  fileContainingSymbol(symbol: string): Promise<Buffer[]>;
  close(): void;
}

const DEFAULT_DEADLINE_MS = 120_000;

function statusName(code: number): string {
  return (grpc.status as unknown as Record<number, string>)[code] ?? String(code);
}

function reflectionProto(version: 'v1' | 'v1alpha'): grpc.GrpcObject {
  // The reflection protos ship with @grpc/reflection.
  const require = createRequire(import.meta.url);
  const root = dirname(dirname(require.resolve('@grpc/reflection'))); // …/build
  const file = join(root, 'proto', 'grpc', 'reflection', version, 'reflection.proto');
  return loadPackageDefinition(loadSync(file, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true }));
}

export function connectRegistry(address: string): RegistryClient {
  const pkg = loadPackageDefinition(loadProtos());
  const Registry = (pkg.api as grpc.GrpcObject).Registry as grpc.ServiceClientConstructor;
  const Health = (((pkg.grpc as grpc.GrpcObject).health as grpc.GrpcObject).v1 as grpc.GrpcObject).Health as grpc.ServiceClientConstructor;
  const creds = grpc.credentials.createInsecure();
  // Large answers (ListBundles of a big catalog) exceed the 4 MiB default receive limit only per message; lift it anyway.
  const options = { 'grpc.max_receive_message_length': -1 };
  const registry = new Registry(address, creds, options);
  const health = new Health(address, creds, options);
  const clients: grpc.Client[] = [registry, health];
  const deadline = (ms = DEFAULT_DEADLINE_MS) => new Date(Date.now() + ms);
  type Fn = (...a: unknown[]) => unknown;
  const fn = (c: grpc.Client, m: string) => (c as unknown as Record<string, Fn>)[m]!.bind(c);

  const settle = (err: grpc.ServiceError | null): Outcome => ({ error: { code: err!.code, status: statusName(err!.code), details: err!.details } });

  const unary = (c: grpc.Client, m: string, req: unknown, ms?: number) =>
    new Promise<Outcome>((resolve) => {
      fn(c, m)(req, { deadline: deadline(ms) }, (err: grpc.ServiceError | null, res: unknown) => resolve(err ? settle(err) : { answer: res }));
    });

  const reflect = (version: 'v1' | 'v1alpha', request: Record<string, string>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const proto = reflectionProto(version);
      const svc = (((proto.grpc as grpc.GrpcObject).reflection as grpc.GrpcObject)[version] as grpc.GrpcObject).ServerReflection as grpc.ServiceClientConstructor;
      const client = new svc(address, creds);
      clients.push(client);
      const call = (client as unknown as Record<string, Fn>).ServerReflectionInfo!.call(client, { deadline: deadline() }) as grpc.ClientDuplexStream<unknown, Record<string, unknown>>;
      call.on('data', (d) => {
        resolve(d);
        call.end();
      });
      call.on('error', reject);
      call.write(request);
    });

  return {
    call(method, request, opts = {}) {
      if (!STREAMING.has(method)) return unary(registry, method, request, opts.deadlineMs);
      return new Promise<Outcome>((resolve) => {
        const items: unknown[] = [];
        const s = fn(registry, method)(request, { deadline: deadline(opts.deadlineMs) }) as grpc.ClientReadableStream<unknown>;
        s.on('data', (d) => items.push(d));
        s.on('error', (err: grpc.ServiceError) => resolve(settle(err)));
        s.on('end', () => resolve({ answer: items }));
      });
    },
    stream(method, request) {
      return fn(registry, method)(request, { deadline: deadline() }) as grpc.ClientReadableStream<unknown>;
    },
    health: (service = '') => unary(health, 'Check', { service }),
    async listServices(version = 'v1alpha') {
      const res = await reflect(version, { host: '', list_services: '' });
      const list = res.list_services_response as { service: { name: string }[] } | undefined;
      if (!list) throw new Error(`reflection answered ${JSON.stringify(res)}`);
      return list.service.map((s) => s.name);
    },
    async fileContainingSymbol(symbol) {
      const res = await reflect('v1alpha', { host: '', file_containing_symbol: symbol });
      const files = res.file_descriptor_response as { file_descriptor_proto: Buffer[] } | undefined;
      if (!files) throw new Error(`reflection answered ${JSON.stringify(res)}`);
      return files.file_descriptor_proto;
    },
    close() {
      for (const c of clients) c.close();
    },
  };
}

/** Waits (bounded) until the health service answers SERVING. */
export async function waitServing(address: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = connectRegistry(address);
    const r = await c.health().catch(() => undefined);
    c.close();
    if (r && 'answer' in r && (r.answer as { status?: string }).status === 'SERVING') return;
    if (Date.now() > until) throw new Error(`${address}: not SERVING within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

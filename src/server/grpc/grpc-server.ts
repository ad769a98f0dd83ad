// The socket side of the OLM v0 registry API: @grpc/grpc-js serving api.Registry over RegistryAnswers, the
// health service (always SERVING, as opm), server reflection, and a graceful stop (tryShutdown).
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { loadProtos } from './protos.js';
import { RegistryError, type GvkRequest, type RegistryAnswers } from './registry-answers.js';

export interface GrpcServerOptions {
  host: string;
  port: number;
  /** How long close() lets calls in flight finish before cutting them (a client that stopped reading). */
  drainMs?: number;
}

/** Under Kubernetes' default 30 s grace period, so the process still exits 0 before it would be killed. */
export const DEFAULT_DRAIN_MS = 25_000;

export interface RunningGrpcServer {
  /** "127.0.0.1:50051", with the port actually bound. */
  address: string;
  /** Refuses new calls and waits for in-flight ones (streams included) to finish, at most drainMs. */
  close(): Promise<void>;
}

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;
type Stream<Req, Res> = grpc.handleServerStreamingCall<Req, Res>;

/** opm returns plain Go errors: status UNKNOWN with the error's text. Anything else is a gantry bug: INTERNAL. */
function toStatus(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof RegistryError) return { code: grpc.status.UNKNOWN, details: err.message };
  return { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}

/**
 * proto3 as Go writes it: fields at their default ('' and empty lists) are not sent. protobufjs would send an
 * empty string it was given, which a client can tell apart from an absent one (hasOwnProperty, JSON dumps).
 */
export function omitDefaults<T>(value: T): T {
  if (Array.isArray(value)) return value.map(omitDefaults) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === '' || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = typeof v === 'object' && v !== null ? omitDefaults(v) : v;
  }
  return out as T;
}

function unary<Req, Res>(answer: (req: Req) => Res): Unary<Req, Res> {
  return (call, callback) => {
    try {
      callback(null, omitDefaults(answer(call.request)));
    } catch (err) {
      callback(toStatus(err));
    }
  };
}

/** Resolves when the socket takes more, or the client went away (then no 'drain' would ever come). */
function drainedOrCancelled(call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.once('drain', done);
    call.once('cancelled', done);
  });
}

/**
 * A server stream written with back-pressure: when the socket buffer is full, wait for 'drain' (a 7,000-bundle
 * ListBundles does not sit in memory twice). A cancelled call stops the loop.
 */
function stream<Req, Res>(answer: (req: Req) => Iterable<Res>): Stream<Req, Res> {
  return (call) => {
    void (async () => {
      try {
        for (const item of answer(call.request)) {
          if (call.cancelled) return;
          if (!call.write(omitDefaults(item))) await drainedOrCancelled(call);
        }
        call.end();
      } catch (err) {
        call.emit('error', toStatus(err));
      }
    })();
  };
}

const gvk = (r: GvkRequest) => ({ group: r.group ?? '', version: r.version ?? '', kind: r.kind ?? '' });

export async function startGrpcServer(answers: RegistryAnswers, opts: GrpcServerOptions): Promise<RunningGrpcServer> {
  const definition = loadProtos();
  const registry = (grpc.loadPackageDefinition(definition).api as grpc.GrpcObject).Registry as grpc.ServiceClientConstructor;
  const health = ((((grpc.loadPackageDefinition(definition).grpc as grpc.GrpcObject).health as grpc.GrpcObject).v1 as grpc.GrpcObject).Health as grpc.ServiceClientConstructor);
  const server = new grpc.Server();
  type R = Record<string, string>;
  server.addService(registry.service, {
    ListPackages: stream<R, unknown>(() => answers.listPackages().map((name) => ({ name }))),
    GetPackage: unary<R, unknown>((r) => answers.getPackage(r.name ?? '')),
    GetBundle: unary<R, unknown>((r) => answers.getBundle(r.pkgName ?? '', r.channelName ?? '', r.csvName ?? '')),
    GetBundleForChannel: unary<R, unknown>((r) => answers.getBundleForChannel(r.pkgName ?? '', r.channelName ?? '')),
    GetChannelEntriesThatReplace: stream<R, unknown>((r) => answers.getChannelEntriesThatReplace(r.csvName ?? '')),
    GetBundleThatReplaces: unary<R, unknown>((r) => answers.getBundleThatReplaces(r.csvName ?? '', r.pkgName ?? '', r.channelName ?? '')),
    GetChannelEntriesThatProvide: stream<R, unknown>((r) => answers.getChannelEntriesThatProvide(gvk(r))),
    GetLatestChannelEntriesThatProvide: stream<R, unknown>((r) => answers.getLatestChannelEntriesThatProvide(gvk(r))),
    GetDefaultBundleThatProvides: unary<R, unknown>((r) => answers.getDefaultBundleThatProvides(gvk(r))),
    ListBundles: stream<R, unknown>(() => answers.listBundles()),
  });
  // opm answers SERVING whatever service is named; Watch stays unimplemented there too.
  server.addService(health.service, {
    Check: unary<R, unknown>(() => ({ status: 'SERVING' })),
    Watch: (call: grpc.ServerWritableStream<R, unknown>) => call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'method Watch not implemented' }),
  });
  new ReflectionService(definition).addToServer(server);

  // grpc-js logs its own errors to stderr ("E No address added…"); gantry reports them once, as its own error.
  // GRPC_VERBOSITY still turns its logs on for debugging.
  if (process.env.GRPC_VERBOSITY === undefined) grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  const hostPart = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${hostPart}:${opts.port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return {
    address: `${hostPart}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.forceShutdown(), opts.drainMs ?? DEFAULT_DRAIN_MS);
        server.tryShutdown(() => {
          clearTimeout(cut);
          resolve();
        });
      }),
  };
}

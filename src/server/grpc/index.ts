// The OLM v0 gRPC registry API (opm serve): typed blobs → catalog model → answers → grpc-js server.
// Explicit export list; the CLI starts it with startRegistryServer.
import { GantryError } from '../../errors.js';
import { addDecoded, decodeBlob } from '../../catalog/fbc/decode-blob.js';
import { emptyConfig, type DeclarativeConfig } from '../../catalog/fbc/types.js';
import { createRegistryAnswers } from './registry-answers.js';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server.js';

export { createRegistryAnswers, RegistryError, type RegistryAnswers, type ApiChannelEntry, type ApiPackage } from './registry-answers.js';
export { type ApiBundle } from './api-bundle.js';
export { startGrpcServer, type RunningGrpcServer } from './grpc-server.js';
export { loadProtos, REGISTRY_PROTO, HEALTH_PROTO, PROTO_OPTIONS } from './protos.js';

/** The declarative config of parsed catalog blobs (blobs that do not decode are left out: the loader reported them). */
export function configFromBlobs(blobs: readonly unknown[]): DeclarativeConfig {
  const config = emptyConfig();
  for (const value of blobs) {
    const d = decodeBlob(value, { file: '', line: 0 });
    if (!('rule' in d)) addDecoded(config, d);
  }
  return config;
}

/** Serves one catalog's blobs over api.Registry on host:port (port 0: a free one). */
export async function startRegistryServer(blobs: readonly unknown[], listen: { host: string; port: number }): Promise<RunningGrpcServer> {
  const answers = createRegistryAnswers(configFromBlobs(blobs));
  try {
    return await startGrpcServer(answers, listen);
  } catch (err) {
    throw new GantryError('IO_ERROR', `cannot serve gRPC on ${listen.host}:${listen.port}: ${err instanceof Error ? err.message : String(err)}`, {
      hint: 'choose another --grpc-listen address (port 0: a free port)',
      cause: err,
    });
  }
}

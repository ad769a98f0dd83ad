// The OLM v0 gRPC registry API (opm serve): catalog model → answers → grpc-js server.
// Explicit export list; the CLI starts it with startRegistryServer.
import { GantryError } from '../../errors.js';
import type { CatalogModel } from '../../catalog/model/catalog-model.js';
import { createRegistryAnswers } from './registry-answers.js';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server.js';

export { createRegistryAnswers, RegistryError, type RegistryAnswers, type ApiChannelEntry, type ApiPackage } from './registry-answers.js';
export { type ApiBundle } from './api-bundle.js';
export { startGrpcServer, type RunningGrpcServer } from './grpc-server.js';
export { loadProtos, REGISTRY_PROTO, HEALTH_PROTO, PROTO_OPTIONS } from './protos.js';

/** Serves one catalog's model over api.Registry on host:port (port 0: a free one). */
export async function startRegistryServer(model: CatalogModel, listen: { host: string; port: number }): Promise<RunningGrpcServer> {
  const answers = createRegistryAnswers(model);
  try {
    return await startGrpcServer(answers, listen);
  } catch (err) {
    throw new GantryError('IO_ERROR', `cannot serve gRPC on ${listen.host}:${listen.port}: ${err instanceof Error ? err.message : String(err)}`, {
      hint: 'choose another --grpc-listen address (port 0: a free port)',
      cause: err,
    });
  }
}

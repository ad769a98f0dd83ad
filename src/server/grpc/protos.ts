// The interface definitions gantry serves over gRPC: opm's `api.Registry` (reference §4.2 field numbers) and
// grpc.health.v1, as proto text embedded here so the bundled CLI needs no files beside it.
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor/index.js';
import { loadFileDescriptorSetFromObject, type PackageDefinition } from '@grpc/proto-loader';

/** opm's registry API (package `api`, as OLM v0 calls it), with the deprecation fields of current opm. */
export const REGISTRY_PROTO = `syntax = "proto3";
package api;
option go_package = ".;api";

service Registry {
  rpc ListPackages(ListPackageRequest) returns (stream PackageName) {}
  rpc GetPackage(GetPackageRequest) returns (Package) {}
  rpc GetBundle(GetBundleRequest) returns (Bundle) {}
  rpc GetBundleForChannel(GetBundleInChannelRequest) returns (Bundle) { option deprecated = true; }
  rpc GetChannelEntriesThatReplace(GetAllReplacementsRequest) returns (stream ChannelEntry) {}
  rpc GetBundleThatReplaces(GetReplacementRequest) returns (Bundle) {}
  rpc GetChannelEntriesThatProvide(GetAllProvidersRequest) returns (stream ChannelEntry) {}
  rpc GetLatestChannelEntriesThatProvide(GetLatestProvidersRequest) returns (stream ChannelEntry) {}
  rpc GetDefaultBundleThatProvides(GetDefaultProviderRequest) returns (Bundle) {}
  rpc ListBundles(ListBundlesRequest) returns (stream Bundle) {}
}

message Deprecation { string message = 1; }
message Channel { string name = 1; string csvName = 2; Deprecation deprecation = 3; }
message PackageName { string name = 1; }
message Package { string name = 1; repeated Channel channels = 2; string defaultChannelName = 3; Deprecation deprecation = 4; }
message GroupVersionKind { string group = 1; string version = 2; string kind = 3; string plural = 4; }
message Dependency { string type = 1; string value = 2; }
message Property { string type = 1; string value = 2; }
message Bundle {
  string csvName = 1;
  string packageName = 2;
  string channelName = 3;
  string csvJson = 4;
  repeated string object = 5;
  string bundlePath = 6;
  repeated GroupVersionKind providedApis = 7;
  repeated GroupVersionKind requiredApis = 8;
  string version = 9;
  string skipRange = 10;
  repeated Dependency dependencies = 11;
  repeated Property properties = 12;
  string replaces = 13;
  repeated string skips = 14;
  Deprecation deprecation = 15;
}
message ChannelEntry { string packageName = 1; string channelName = 2; string bundleName = 3; string replaces = 4; }
message ListPackageRequest {}
message ListBundlesRequest {}
message GetPackageRequest { string name = 1; }
message GetBundleRequest { string pkgName = 1; string channelName = 2; string csvName = 3; }
message GetBundleInChannelRequest { string pkgName = 1; string channelName = 2; }
message GetAllReplacementsRequest { string csvName = 1; }
message GetReplacementRequest { string csvName = 1; string pkgName = 2; string channelName = 3; }
message GetAllProvidersRequest { string group = 1; string version = 2; string kind = 3; string plural = 4; }
message GetLatestProvidersRequest { string group = 1; string version = 2; string kind = 3; string plural = 4; }
message GetDefaultProviderRequest { string group = 1; string version = 2; string kind = 3; string plural = 4; }
`;

/** The standard health service (grpc.health.v1), which OLM's native gRPC probes call. */
export const HEALTH_PROTO = `syntax = "proto3";
package grpc.health.v1;

message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health {
  rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
  rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);
}
`;

/** Field names as written (keepCase), so messages are plain objects with opm's JSON names. */
export const PROTO_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true } as const;

/**
 * Parses proto texts into one package definition. Each file keeps its own name, so reflection (grpcurl)
 * lists `registry.proto` and `health.proto` as opm's server does, not one anonymous file.
 */
export function loadProtos(files: Record<string, string> = { 'registry.proto': REGISTRY_PROTO, 'grpc/health/v1/health.proto': HEALTH_PROTO }): PackageDefinition {
  const root = new protobuf.Root();
  for (const [name, text] of Object.entries(files)) {
    const before = new Set(allObjects(root));
    protobuf.parse(text, root, { keepCase: true });
    for (const obj of allObjects(root)) if (!before.has(obj)) obj.filename = name;
    root.files.push(name);
  }
  // Through a descriptor set: proto-loader's fromJSON would rename the files after their packages.
  const set = (root as unknown as { toDescriptor(syntax: string): { toJSON(): object } }).toDescriptor('proto3');
  return loadFileDescriptorSetFromObject(set.toJSON(), PROTO_OPTIONS);
}

function* allObjects(ns: protobuf.NamespaceBase): Generator<protobuf.ReflectionObject> {
  for (const obj of ns.nestedArray) {
    yield obj;
    if (obj instanceof protobuf.Namespace) yield* allObjects(obj);
  }
}

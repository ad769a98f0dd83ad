import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDockerfile, parseExtraLabels } from './dockerfile.js';
import { isGantryError } from '../errors.js';

test('dockerfile/defaults, byte for byte as opm writes them', () => {
  assert.equal(
    generateDockerfile({ indexDir: 'catalog' }),
    `# The builder image is expected to contain
# /bin/opm (with serve subcommand)
FROM quay.io/operator-framework/opm:latest as builder

# Copy FBC root into image at /configs and pre-populate serve cache
ADD catalog /configs
RUN ["/bin/opm", "serve", "/configs", "--cache-dir=/tmp/cache", "--cache-only"]

FROM quay.io/operator-framework/opm:latest
# The base image is expected to contain
# /bin/opm (with serve subcommand) and /bin/grpc_health_probe

# Configure the entrypoint and command
ENTRYPOINT ["/bin/opm"]
CMD ["serve", "/configs", "--cache-dir=/tmp/cache"]

COPY --from=builder /configs /configs
COPY --from=builder /tmp/cache /tmp/cache

# Set FBC-specific label for the location of the FBC root directory
# in the image
LABEL operators.operatorframework.io.index.configs.v1=/configs
`,
  );
});

test('dockerfile/scratch base with extra labels (opm test case Scratch/Success/WithExtraLabels)', () => {
  assert.equal(
    generateDockerfile({ indexDir: 'bar', builderImage: 'foo', baseImage: 'scratch', extraLabels: parseExtraLabels(['key2=value2', 'key1=old', 'key1=value1']) }),
    `# The builder image is expected to contain
# /bin/opm (with serve subcommand)
FROM foo as builder

# Copy FBC root into image at /configs and pre-populate serve cache
ADD bar /configs
RUN ["/bin/opm", "serve", "/configs", "--cache-dir=/tmp/cache", "--cache-only"]

FROM scratch
# OLMv0 CatalogSources that use binary-less images must set:
# spec:
#   grpcPodConfig:
#     extractContent:
#       catalogDir: /configs
#       cacheDir: /tmp/cache

COPY --from=builder /configs /configs
COPY --from=builder /tmp/cache /tmp/cache

# Set FBC-specific label for the location of the FBC root directory
# in the image
LABEL operators.operatorframework.io.index.configs.v1=/configs

# Set other custom labels
LABEL "key1"="value1"
LABEL "key2"="value2"
`,
  );
});

test('dockerfile/errors', () => {
  assert.throws(() => generateDockerfile({ indexDir: '' }), (e: unknown) => isGantryError(e, 'USAGE') && e.message === 'index directory is unset');
  assert.throws(() => generateDockerfile({ indexDir: 'x', baseImage: '' }), (e: unknown) => isGantryError(e) && e.message === 'base image is unset');
  assert.throws(() => generateDockerfile({ indexDir: 'x', builderImage: 'scratch' }), (e: unknown) => isGantryError(e, 'USAGE'));
  assert.throws(() => parseExtraLabels(['nokey']), (e: unknown) => isGantryError(e, 'USAGE'));
});

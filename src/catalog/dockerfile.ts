// The Dockerfile `opm generate dockerfile` writes for a catalog directory, byte for byte (reference §3.3):
// a builder stage that pre-populates the serve cache, the final stage, the configs label, extra labels sorted.
import { GantryError } from '../errors.js';
import { byteOrder } from '../order.js';

import { CONFIGS_LABEL } from './image-defaults.js';
export const DEFAULT_OPM_IMAGE = 'quay.io/operator-framework/opm:latest';

export interface DockerfileOptions {
  /** The catalog directory as the Dockerfile names it (relative to the build context). */
  indexDir: string;
  baseImage?: string;
  builderImage?: string;
  extraLabels?: Record<string, string>;
}

export function generateDockerfile(opts: DockerfileOptions): string {
  const base = opts.baseImage ?? DEFAULT_OPM_IMAGE;
  const builder = opts.builderImage ?? DEFAULT_OPM_IMAGE;
  if (base === '') throw new GantryError('USAGE', 'base image is unset');
  if (opts.indexDir === '') throw new GantryError('USAGE', 'index directory is unset');
  if (builder === 'scratch') throw new GantryError('USAGE', 'the builder image cannot be scratch: it runs opm to build the serve cache');
  const lines = [
    '# The builder image is expected to contain',
    '# /bin/opm (with serve subcommand)',
    `FROM ${builder} as builder`,
    '',
    '# Copy FBC root into image at /configs and pre-populate serve cache',
    `ADD ${opts.indexDir} /configs`,
    'RUN ["/bin/opm", "serve", "/configs", "--cache-dir=/tmp/cache", "--cache-only"]',
    '',
    `FROM ${base}`,
  ];
  if (base !== 'scratch') {
    lines.push(
      '# The base image is expected to contain',
      '# /bin/opm (with serve subcommand) and /bin/grpc_health_probe',
      '',
      '# Configure the entrypoint and command',
      'ENTRYPOINT ["/bin/opm"]',
      'CMD ["serve", "/configs", "--cache-dir=/tmp/cache"]',
    );
  } else {
    lines.push(
      '# OLMv0 CatalogSources that use binary-less images must set:',
      '# spec:',
      '#   grpcPodConfig:',
      '#     extractContent:',
      '#       catalogDir: /configs',
      '#       cacheDir: /tmp/cache',
    );
  }
  lines.push(
    '',
    'COPY --from=builder /configs /configs',
    'COPY --from=builder /tmp/cache /tmp/cache',
    '',
    '# Set FBC-specific label for the location of the FBC root directory',
    '# in the image',
    `LABEL ${CONFIGS_LABEL}=/configs`,
  );
  const extra = Object.keys(opts.extraLabels ?? {}).sort(byteOrder);
  if (extra.length > 0) {
    lines.push('', '# Set other custom labels');
    for (const k of extra) lines.push(`LABEL "${k}"="${opts.extraLabels![k]}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** --extra-labels k=v (repeatable; the last duplicate wins, as in opm). */
export function parseExtraLabels(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw new GantryError('USAGE', `invalid label "${v}"`, { hint: 'write labels as key=value' });
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

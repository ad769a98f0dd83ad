// gantry release verify IMAGE@sha256:…: fetch a release's signatures from the signature store, verify them against the
// release key, and optionally write what a cluster needs (oc-mirror v2's ConfigMap, a ClusterImagePolicy example).
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { Defaults } from '../defaults.js';
import { writeFileAtomic } from '../files/write-tree.js';
import {
  checkReleaseDigest,
  clusterImagePolicyExample,
  fetchAndVerifyRelease,
  readVerificationKeys,
  releaseSignatureConfigMap,
  signatureStoreUrl,
  type ReleaseType,
  type ReleaseVerification,
} from '../release/index.js';
import type { CliContext } from './context.js';
import { outputOption } from './output-flag.js';
import { parseDuration } from './registry-flags.js';
import { KEY_FLAG_HELP, SIGNATURE_URL_HELP, keyPath, readKeyFile, signatureFetch } from './release-signature-flags.js';

export function registerReleaseVerify(release: Command, ctx: CliContext): void {
  release
    .command('verify')
    .description("fetch a release's OpenPGP signatures from the signature store and verify them; --output-dir writes the signature ConfigMap")
    .argument('<image>', 'the release image by digest: HOST/REPO@sha256:<hex> (or just sha256:<hex>)')
    .option('--signature-url <url>', SIGNATURE_URL_HELP)
    .addOption(new Option('--type <type>', 'the release type, choosing the default signature store').choices(['ocp', 'okd']).default('ocp'))
    .option('--key <file>', KEY_FLAG_HELP)
    .option('--output-dir <dir>', 'write signature-configmap.json/.yaml (oc-mirror v2\'s ConfigMap), cluster-image-policy-example.yaml and signatures/ there')
    .option('--tls-verify [bool]', 'verify the signature store TLS certificate', true)
    .option('--cert-dir <dir>', 'certs.d-style directory (ca.crt) for the signature store')
    .option('--timeout <duration>', `give up on a store that does not answer within this (default ${Defaults.requestTimeoutMs / 1000}s)`, parseDuration('--timeout'), Defaults.requestTimeoutMs)
    .addOption(outputOption(['text', 'json'], 'text'))
    .action(async (image: string, opts: Record<string, unknown>) => {
      const at = image.lastIndexOf('@');
      const digest = at >= 0 ? image.slice(at + 1) : image;
      checkReleaseDigest(digest);
      const keys = await readVerificationKeys(await readKeyFile(opts), keyPath(opts));
      const store = signatureStoreUrl(opts.type as ReleaseType, { ...(typeof opts.signatureUrl === 'string' ? { signatureUrl: opts.signatureUrl } : {}), env: process.env });
      const fetchBytes = signatureFetch(opts);
      const result = await fetchAndVerifyRelease(digest, { store, fetchBytes, keys, signal: ctx.signal });
      const fetched = result.fetched;
      const written = typeof opts.outputDir === 'string' ? await writeClusterFiles(opts.outputDir, result) : [];
      if (opts.output === 'json') {
        ctx.stdout.write(`${JSON.stringify({ digest, store, verified: result.verified.map(({ bytes: _b, ...v }) => v), rejected: result.rejected, files: written }, null, 2)}\n`);
        return;
      }
      const first = result.verified[0]!;
      ctx.stdout.write(`release ${digest}: verified ${result.verified.length} of ${fetched} signature${fetched === 1 ? '' : 's'} (key ${first.keyId}); signed as ${first.dockerReference}\n`);
      for (const r of result.rejected) ctx.stderr.write(`warning: ${r.reason} (left out)\n`);
      for (const f of written) ctx.stdout.write(`wrote ${f}\n`);
    });
}

/** The cluster's files for one verified release, as oc-mirror v2 names them in cluster-resources/. */
async function writeClusterFiles(dir: string, result: ReleaseVerification): Promise<string[]> {
  const cm = releaseSignatureConfigMap([{ digest: result.digest, signatures: result.verified.map((v) => v.bytes) }]);
  const files: [string, string | Uint8Array][] = [
    ['signature-configmap.json', `${JSON.stringify(cm, null, 2)}\n`],
    ['signature-configmap.yaml', stringify(cm)],
    ['cluster-image-policy-example.yaml', clusterImagePolicyExample()],
    // oc-mirror keeps the raw signatures too (working-dir/signatures), so a later run can rebuild the ConfigMap offline.
    ...result.verified.map((v): [string, Uint8Array] => [join('signatures', `${result.digest.replace(':', '-')}-${v.index}`), v.bytes]),
  ];
  const out: string[] = [];
  for (const [name, content] of files) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, content);
    out.push(path);
  }
  return out;
}

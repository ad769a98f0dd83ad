// The registry flags of the catalog queries, declared without loading the registry client: queries are the
// commands run over and over, and the client (undici, auth files) loads only when an image or URL is read.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Defaults } from '../defaults.js';

/** Same spelling and meaning as registry-flags.ts's addAccessFlags(cmd, '') + addCommonRegistryFlags(cmd). */
export function addCatalogSourceFlags(cmd: Command): Command {
  return cmd
    .option('--tls-verify [bool]', 'verify TLS certificates of the catalog URL or image registry; false also allows plain HTTP', true)
    .option('--plain-http', 'talk plain HTTP to the catalog image registry')
    .option('--cert-dir <dir>', 'certs.d-style directory (ca.crt, client.cert/key) for the catalog URL or image registry')
    .option('--creds <user:password>', 'credentials for the catalog image registry (else the auth files)')
    .option('--authfile <path>', 'auth file (containers auth.json / docker config.json); default: the standard search path')
    .option('--retry-times <n>', `retries for failed requests and transfers (default ${Defaults.retryTimes})`, (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--retry-times must be a whole number ≥ 0, got "${value}"`);
      return n;
    });
}

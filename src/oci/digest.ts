// Content digests: parsing, validation and streaming verification (sha256 and sha512, OCI image spec §descriptor).
// Pure apart from node:crypto.
import { createHash, type Hash } from 'node:crypto';
import { GantryError, quoteValue } from '../errors.js';

export type Digest = `${string}:${string}`;

const ENCODED: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

export function isDigest(value: string): value is Digest {
  const i = value.indexOf(':');
  if (i <= 0) return false;
  const re = ENCODED[value.slice(0, i)];
  return re !== undefined && re.test(value.slice(i + 1));
}

export function parseDigest(value: string): Digest {
  if (!isDigest(value)) {
    throw new GantryError('DIGEST_INVALID', `invalid digest ${quoteValue(value)}`, {
      hint: 'a digest looks like sha256:<64 lowercase hex characters>',
    });
  }
  return value;
}

export function digestAlgorithm(d: Digest): string {
  return d.slice(0, d.indexOf(':'));
}

export function digestHex(d: Digest): string {
  return d.slice(d.indexOf(':') + 1);
}

export function sha256(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function createDigester(algorithm: string): Hash {
  if (!(algorithm in ENCODED)) {
    throw new GantryError('DIGEST_INVALID', `unsupported digest algorithm "${algorithm}"`);
  }
  return createHash(algorithm);
}

/**
 * Tracks size and digest of a byte stream. `check()` throws DIGEST_MISMATCH / SIZE_MISMATCH when the bytes
 * seen so far do not match what was expected; call it after the last byte.
 */
export class DigestVerifier {
  readonly expected: Digest;
  readonly expectedSize: number;
  private readonly hash: Hash;
  private seen = 0;

  constructor(expected: Digest, expectedSize: number) {
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.hash = createDigester(digestAlgorithm(expected));
  }

  get bytes(): number {
    return this.seen;
  }

  update(chunk: Uint8Array): void {
    this.seen += chunk.byteLength;
    if (this.expectedSize >= 0 && this.seen > this.expectedSize) {
      throw new GantryError('SIZE_MISMATCH', `content of ${this.expected} is longer than the expected ${this.expectedSize} bytes`);
    }
    this.hash.update(chunk);
  }

  check(): void {
    if (this.expectedSize >= 0 && this.seen !== this.expectedSize) {
      throw new GantryError(
        'SIZE_MISMATCH',
        `content of ${this.expected} has ${this.seen} bytes, expected ${this.expectedSize}`,
      );
    }
    const actual = `${digestAlgorithm(this.expected)}:${this.hash.digest('hex')}`;
    if (actual !== this.expected) {
      throw new GantryError('DIGEST_MISMATCH', `content does not match its digest: expected ${this.expected}, got ${actual}`);
    }
  }
}

/**
 * Passes a stream through while verifying it. The last chunk is held back until the digest is checked, so a
 * consumer that uploads as it reads never sends a complete body for content that does not match.
 */
export async function* verifyStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  expected: Digest,
  expectedSize: number,
): AsyncGenerator<Uint8Array> {
  const verifier = new DigestVerifier(expected, expectedSize);
  let pending: Uint8Array | undefined;
  for await (const chunk of source) {
    verifier.update(chunk);
    if (pending !== undefined) yield pending;
    pending = chunk;
  }
  verifier.check();
  if (pending !== undefined) yield pending;
}

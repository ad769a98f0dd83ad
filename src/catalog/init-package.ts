// `opm init`: one olm.package blob from a name, a default channel, an optional icon (its image type sniffed
// from its bytes, SVG included) and an optional description file.
import { GantryError } from '../errors.js';
import type { Package } from './fbc/types.js';

const SIGNATURES: [string, (b: Uint8Array) => boolean][] = [
  ['image/png', (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38],
  ['image/webp', (b) => b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50 && b[0] === 0x52],
  ['image/bmp', (b) => b[0] === 0x42 && b[1] === 0x4d],
  ['image/x-icon', (b) => b[0] === 0x00 && b[1] === 0x00 && b[2] === 0x01 && b[3] === 0x00],
  ['image/tiff', (b) => (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a)],
];

/** The image MIME type of icon bytes, or a GantryError naming what it looks like instead. */
export function sniffIconType(bytes: Uint8Array, file: string): string {
  for (const [type, match] of SIGNATURES) if (bytes.length >= 12 && match(bytes)) return type;
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  if (/<svg[\s>]/i.test(head)) return 'image/svg+xml';
  throw new GantryError('USAGE', `detected invalid type for ${file}: not an image`, { hint: 'icons must be PNG, JPEG, GIF, WebP, BMP, ICO, TIFF or SVG' });
}

export function initPackage(opts: { name: string; defaultChannel?: string; icon?: { bytes: Uint8Array; file: string }; description?: string }): Package {
  const pkg: Package = { schema: 'olm.package', name: opts.name, defaultChannel: opts.defaultChannel ?? '' };
  if (opts.icon) pkg.icon = { base64data: Buffer.from(opts.icon.bytes).toString('base64'), mediatype: sniffIconType(opts.icon.bytes, opts.icon.file) };
  if (opts.description) pkg.description = opts.description;
  return pkg;
}

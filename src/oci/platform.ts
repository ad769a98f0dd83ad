// Platforms (os/architecture/variant): parsing "linux/arm64/v8" and matching with the variant defaults
// containerd and containers/image apply (arm64 → v8, arm → v7; amd64 has no variant by default).
import { GantryError } from '../errors.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', arm: 'v7' };

export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  const [os, arch, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !arch || (parts.length === 3 && !variant)) {
    throw new GantryError('PLATFORM_INVALID', `invalid platform "${text}"`, {
      hint: 'write platforms as os/architecture[/variant], for example linux/amd64 or linux/arm64/v8',
    });
  }
  const p: Platform = { os: os.toLowerCase(), architecture: normaliseArch(arch.toLowerCase()) };
  if (variant) p.variant = variant.toLowerCase();
  return p;
}

function normaliseArch(arch: string): string {
  return ARCH_ALIASES[arch] ?? arch;
}

function variantOf(p: Platform): string {
  return p.variant ?? DEFAULT_VARIANT[normaliseArch(p.architecture)] ?? '';
}

/** True when `candidate` (from an index) satisfies `wanted` (from the user). A wanted variant must match. */
export function platformMatches(wanted: Platform, candidate: Platform | undefined): boolean {
  if (!candidate) return false;
  if (wanted.os !== candidate.os) return false;
  if (normaliseArch(wanted.architecture) !== normaliseArch(candidate.architecture)) return false;
  if (wanted.variant === undefined) return true;
  return variantOf(wanted) === variantOf(candidate);
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

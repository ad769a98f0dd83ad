// Channels of the semver template from bundle versions: names, replaces/skips edges and the default channel,
// exactly as opm generates and links them (OR:alpha/template/semver/semver.go generateChannels, linkChannels).
import { byteOrder } from '../../order.js';
import type { Channel } from '../fbc/types.js';
import { compareVersions, type Version } from '../../semver/index.js';

/** Channel archetypes in increasing stability; the order is the priority. */
export const CHANNEL_ARCHETYPES = ['candidate', 'fast', 'stable'] as const;
export type ChannelArchetype = (typeof CHANNEL_ARCHETYPES)[number];
export type StreamKind = 'major' | 'minor';

export interface SemverChannelInput {
  packageName: string;
  generateMajorChannels: boolean;
  generateMinorChannels: boolean;
  defaultChannelTypePreference: StreamKind;
  /** Per archetype: bundle name → version (what opm's getVersionsFromStandardChannels collects). */
  versions: Partial<Record<ChannelArchetype, ReadonlyMap<string, Version>>>;
}

export interface SemverChannels {
  /** Sorted by name. */
  channels: Channel[];
  /** The "high-water" channel; '' when there are no bundles. */
  defaultChannel: string;
}

const ARCH_PRIORITY: Record<ChannelArchetype, number> = { candidate: 0, fast: 1, stable: 2 };
const KIND_PRIORITY: Record<StreamKind | '', number> = { '': 0, major: 1, minor: 2 };

interface HighWater {
  archetype: ChannelArchetype;
  kind: StreamKind | '';
  version: Version;
  name: string;
}

/** opm's highwaterChannel.gt: archetype, then version, then the preferred kind, then minor over major. */
function beats(h: HighWater, other: HighWater, pref: StreamKind): boolean {
  if (ARCH_PRIORITY[h.archetype] !== ARCH_PRIORITY[other.archetype]) return ARCH_PRIORITY[h.archetype] > ARCH_PRIORITY[other.archetype];
  const c = compareVersions(h.version, other.version);
  if (c !== 0) return c > 0;
  if (h.kind !== other.kind) {
    if (h.kind === pref) return true;
    if (other.kind === pref) return false;
    return KIND_PRIORITY[h.kind] > KIND_PRIORITY[other.kind];
  }
  return false;
}

interface EntryTuple {
  arch: ChannelArchetype;
  kind: StreamKind;
  parent: string;
  name: string;
  version: Version;
  index: number;
}

export function channelNameFromMajor(arch: ChannelArchetype, v: Version): string {
  return `${arch}-v${v.major}`;
}

export function channelNameFromMinor(arch: ChannelArchetype, v: Version): string {
  return `${arch}-v${v.major}.${v.minor}`;
}

/**
 * opm's generateChannels + linkChannels. The default channel is chosen when a channel is created, with the
 * version of its first (lowest) bundle: so a later minor channel can win over a preferred major one.
 */
export function generateSemverChannels(input: SemverChannelInput): SemverChannels {
  let hwc: HighWater = { archetype: 'candidate', kind: '', version: { major: 0, minor: 0, patch: 0, pre: [], build: [] }, name: '' };
  const channels = new Map<string, Channel>();
  const tuples: EntryTuple[] = [];

  for (const arch of CHANNEL_ARCHETYPES) {
    const bundles = input.versions[arch];
    if (!bundles || bundles.size === 0) continue;
    const byVersion = [...bundles.keys()].sort((a, b) => compareVersions(bundles.get(a)!, bundles.get(b)!));
    for (const name of byVersion) {
      const version = bundles.get(name)!;
      // opm walks a Go map here; the outcome does not depend on the order (see beats()).
      const kinds: [StreamKind, string][] = [];
      if (input.generateMajorChannels) kinds.push(['major', channelNameFromMajor(arch, version)]);
      if (input.generateMinorChannels) kinds.push(['minor', channelNameFromMinor(arch, version)]);
      for (const [kind, channelName] of kinds) {
        let ch = channels.get(channelName);
        if (ch === undefined) {
          ch = { schema: 'olm.channel', name: channelName, package: input.packageName, entries: [] };
          channels.set(channelName, ch);
          const candidate: HighWater = { archetype: arch, kind, version, name: channelName };
          if (beats(candidate, hwc, input.defaultChannelTypePreference)) hwc = candidate;
        }
        ch.entries!.push({ name });
        tuples.push({ arch, kind, parent: channelName, name, version, index: ch.entries!.length - 1 });
      }
    }
  }

  linkChannels(channels, tuples);
  return { channels: [...channels.values()].sort((a, b) => byteOrder(a.name, b.name)), defaultChannel: hwc.name };
}

/**
 * Walks all entries by (archetype, kind, version). Crossing a Y-stream gives the previous Y-stream's max-Z
 * `replaces` = the max-Z before it and `skips` = every earlier entry since the last archetype/kind/X change.
 */
function linkChannels(channels: Map<string, Channel>, entries: EntryTuple[]): void {
  entries.sort(
    (a, b) => ARCH_PRIORITY[a.arch] - ARCH_PRIORITY[b.arch] || KIND_PRIORITY[a.kind] - KIND_PRIORITY[b.kind] || compareVersions(a.version, b.version),
  );
  const setEdges = (t: EntryTuple, replaces: string, skipSet: Set<string>) => {
    const entry = channels.get(t.parent)!.entries![t.index]!;
    if (replaces !== '') entry.replaces = replaces;
    else delete entry.replaces;
    const skips = [...skipSet].filter((s) => s !== replaces).sort(byteOrder);
    if (skips.length > 0) entry.skips = skips;
  };

  let prevZMax = '';
  let skips = new Set<string>();
  for (let i = 1; i < entries.length; i++) {
    const prev = entries[i - 1]!;
    const cur = entries[i]!;
    const archChange = cur.arch !== prev.arch;
    const kindChange = cur.kind !== prev.kind;
    const xChange = prev.version.major !== cur.version.major;
    const yChange = xChange || prev.version.minor !== cur.version.minor;
    if (archChange || kindChange || xChange || yChange) setEdges(prev, prevZMax, skips);
    if (archChange || kindChange || xChange) {
      skips = new Set();
      prevZMax = '';
    } else {
      if (yChange) prevZMax = prev.name;
      skips.add(prev.name);
    }
  }
  if (entries.length > 1) {
    const last = entries[entries.length - 1]!;
    const penultimate = entries[entries.length - 2]!;
    if (last.arch === penultimate.arch && last.kind === penultimate.kind && last.version.major === penultimate.version.major) {
      setEdges(last, prevZMax, skips);
    }
  }
}

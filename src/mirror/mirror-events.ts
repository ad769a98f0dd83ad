// What a mirror operation reports while it runs, as data: the copy engine's events plus the steps around the
// copy (plan issues, blocked images, archive parts, template issues). The CLI decides how to show them.
import type { CopyEvent } from '../copy/events.js';
import type { CatalogSourceTemplateIssue } from '../config/catalog-source-template.js';
import type { InputIssue } from './load-config.js';
import type { PlanIssue } from './plan-mirror.js';

export type MirrorStepEvent =
  /** A problem in the configuration file or a template it names, with file:line:column. */
  | { type: 'input-issue'; issue: InputIssue }
  | { type: 'plan-issue'; issue: PlanIssue }
  | { type: 'blocked'; image: string; pattern: string }
  /** A CatalogSource template that does not fit a rebuilt catalog (cluster resources are written all the same). */
  | { type: 'template-issue'; issue: CatalogSourceTemplateIssue }
  | { type: 'archive-check-start'; dir: string }
  | { type: 'part-verified'; file: string; bytes: number }
  | { type: 'part-written'; file: string; part: number; parts: number; bytes: number }
  /** Progress through one long archive part: packing it (writing) or checking it before a push (checking). */
  | { type: 'part-bytes'; step: 'writing' | 'checking'; file: string; done: number; total: number }
  /** Signatures, attestations, SBOMs or referrers copied next to an image, by the tags that name them. */
  | { type: 'attachments-copied'; image: string; tags: string[] }
  /** A catalog was rebuilt: its digest is new, so it carries no signature. */
  | { type: 'catalog-unsigned'; catalog: string }
  /** platform.graph: the graph image was built (destination: where, as the sink names it). */
  | { type: 'graph-image-built'; destination: string; digest: string; files: number };

export type MirrorEvent = CopyEvent | MirrorStepEvent;

export type MirrorEventListener = (event: MirrorEvent) => void;

const STEP_TYPES = new Set<string>(['input-issue', 'plan-issue', 'blocked', 'template-issue', 'archive-check-start', 'part-verified', 'part-written', 'part-bytes', 'attachments-copied', 'catalog-unsigned', 'graph-image-built']);

export function isStepEvent(e: MirrorEvent): e is MirrorStepEvent {
  return STEP_TYPES.has(e.type);
}

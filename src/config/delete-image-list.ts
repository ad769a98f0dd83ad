// The DeleteImageList document (oc-mirror v2 delete, reference §2.3): written by `gantry delete --generate` for
// review, read back by `--delete-yaml-file`. Pure: items in, sorted YAML out; text in, checked items and issues out.
import { isMap, stringify } from 'yaml';
import { byteOrder } from '../order.js';
import type { Digest } from '../oci/digest.js';
import { isTag, parseReference, type Reference } from '../oci/reference.js';
import { API_V2, type ConfigIssue } from './config-types.js';
import { joinPath, locate, positionOf, readYamlDocument, readFields, readList, readString, report, requireField, type FieldTable, type ReadContext } from './yaml-reader.js';

export const DELETE_LIST_KIND = 'DeleteImageList';

export interface DeleteItem {
  /** The source image, as the configuration selected it (registry/repo:tag or @digest). */
  imageName: string;
  /** docker://HOST/REPO@sha256:… — the manifest to delete at the destination, by digest. */
  imageReference: string;
  /** The destination tag the digest was read from (informational: deleting the manifest removes every tag on it). */
  tag?: string;
}

/** An item that passed every check, with its destination parsed and the line it came from. */
export interface CheckedDeleteItem extends DeleteItem {
  dest: Reference & { digest: Digest };
  line: number;
}

export interface DeleteListTarget {
  registry: string;
  namespace?: string;
}

export interface ParseDeleteListResult {
  /** Absent when any error was found: a list is deleted whole or not at all. */
  items?: CheckedDeleteItem[];
  issues: ConfigIssue[];
}

const TOP: FieldTable = { apiVersion: {}, kind: {}, items: {} };
// `type` and `relatedBlobs` are in oc-mirror's DeleteItem (type_internal.go, older versions): accepted, not used.
const ITEM: FieldTable = { imageName: {}, imageReference: {}, tag: {}, type: {}, relatedBlobs: {} };
const TRANSPORT = 'docker://';

/** Sorted by destination reference, then tag, then source: identical plans give byte-identical files. */
export function sortDeleteItems(items: readonly DeleteItem[]): DeleteItem[] {
  return [...items].sort((a, b) => byteOrder(a.imageReference, b.imageReference) || byteOrder(a.tag ?? '', b.tag ?? '') || byteOrder(a.imageName, b.imageName));
}

export function formatDeleteImageList(items: readonly DeleteItem[]): string {
  const doc = {
    apiVersion: API_V2,
    kind: DELETE_LIST_KIND,
    items: sortDeleteItems(items).map((i) => ({ imageName: i.imageName, imageReference: i.imageReference, ...(i.tag !== undefined ? { tag: i.tag } : {}) })),
  };
  const note = '# Manifests that `gantry delete --delete-yaml-file` deletes, by digest. Review; remove an item to keep it.\n';
  return note + stringify(doc, { lineWidth: 0, sortMapEntries: false });
}

/** `docker://HOST/REPO@DIGEST` → the reference, or a reason it is not one. */
export function parseDeleteReference(text: string): (Reference & { digest: Digest }) | string {
  if (!text.startsWith(TRANSPORT)) return `must start with ${TRANSPORT}`;
  let ref: Reference;
  try {
    ref = parseReference(text.slice(TRANSPORT.length), { defaultTag: null });
  } catch (err) {
    return (err as Error).message;
  }
  if (!ref.digest) return 'must name the manifest by digest (…@sha256:…): a tag could point elsewhere by the time it is deleted';
  return ref as Reference & { digest: Digest };
}

/** Whether `ref` lies under the destination the user named (oc-mirror checks the same, OCPBUGS-43489). */
export function isUnderTarget(ref: Reference, target: DeleteListTarget): boolean {
  if (ref.registry !== target.registry) return false;
  const ns = (target.namespace ?? '').replace(/^\/+|\/+$/g, '');
  return ns === '' || ref.repository.startsWith(`${ns}/`);
}

/** Never throws. With `target`, every item must lie under it. */
export function parseDeleteImageList(text: string, file: string, opts: { target?: DeleteListTarget } = {}): ParseDeleteListResult {
  const issues: ConfigIssue[] = [];
  // The reader's kind only matters for ImageSetConfiguration fields; none of these tables use it.
  const ctx = readYamlDocument(text, file, 'DeleteImageSetConfiguration', issues);
  if (!ctx) return { issues };
  const { doc } = ctx;
  if (!isMap(doc.contents)) {
    report(ctx, { code: 'NOT_A_MAPPING', path: '', at: positionOf(ctx, doc.contents), message: `expected a ${DELETE_LIST_KIND} mapping (apiVersion, kind, items)`, hint: 'generate one with gantry delete --generate' });
    return { issues };
  }
  const top = readFields(ctx, doc.contents, '', TOP);
  if (!top) return { issues };
  const kind = requireField(ctx, readString(ctx, top.get('kind'), 'kind'), top, 'kind', '');
  if (kind !== undefined && kind !== DELETE_LIST_KIND) {
    report(ctx, { code: 'KIND_UNSUPPORTED', path: 'kind', message: `kind is "${kind}", not ${DELETE_LIST_KIND}`, hint: kind === 'DeleteImageSetConfiguration' ? 'that is the configuration: pass it to gantry delete --generate -c' : `set kind: ${DELETE_LIST_KIND}` });
  }
  const api = requireField(ctx, readString(ctx, top.get('apiVersion'), 'apiVersion'), top, 'apiVersion', '');
  if (api !== undefined && api !== API_V2) report(ctx, { code: 'API_VERSION_UNSUPPORTED', path: 'apiVersion', message: `unsupported apiVersion "${api}"`, hint: `set apiVersion: ${API_V2}` });

  const items = readList(ctx, top.get('items'), 'items', (node, path) => readItem(ctx, node, path, opts.target));
  if (issues.some((i) => i.severity === 'error')) return { issues: sortIssues(issues) };
  return { items, issues: sortIssues(issues) };
}

function readItem(ctx: ReadContext, node: unknown, path: string, target: DeleteListTarget | undefined): CheckedDeleteItem | undefined {
  const f = readFields(ctx, node, path, ITEM);
  if (!f) return undefined;
  const imageName = requireField(ctx, readString(ctx, f.get('imageName'), joinPath(path, 'imageName')), f, 'imageName', path);
  const imageReference = requireField(ctx, readString(ctx, f.get('imageReference'), joinPath(path, 'imageReference')), f, 'imageReference', path);
  const tag = readString(ctx, f.get('tag'), joinPath(path, 'tag'));
  const errors = ctx.issues.length;
  if (imageName !== undefined) {
    try {
      parseReference(imageName);
    } catch (err) {
      report(ctx, { code: 'IMAGE_REF_INVALID', path: joinPath(path, 'imageName'), message: (err as Error).message });
    }
  }
  if (tag !== undefined && !isTag(tag)) report(ctx, { code: 'TARGET_TAG_INVALID', path: joinPath(path, 'tag'), message: `"${tag}" is not a valid tag` });
  let dest: (Reference & { digest: Digest }) | undefined;
  if (imageReference !== undefined) {
    const parsed = parseDeleteReference(imageReference);
    const at = joinPath(path, 'imageReference');
    if (typeof parsed === 'string') {
      report(ctx, { code: parsed.startsWith('must name') ? 'DIGEST_REQUIRED' : 'IMAGE_REF_INVALID', path: at, message: `imageReference "${imageReference}" ${parsed.startsWith('must') ? parsed : `is invalid: ${parsed}`}`, hint: 'regenerate the list with gantry delete --generate' });
    } else if (target && !isUnderTarget(parsed, target)) {
      const where = `docker://${target.registry}${target.namespace ? `/${target.namespace}` : ''}`;
      report(ctx, { code: 'DESTINATION_MISMATCH', path: at, message: `${imageReference} is not under the destination ${where}`, hint: 'the list was generated for another registry or namespace: pass the destination it was generated for' });
    } else dest = parsed;
  }
  if (imageName === undefined || imageReference === undefined || !dest || ctx.issues.length > errors) return undefined;
  return { imageName, imageReference, ...(tag !== undefined ? { tag } : {}), dest, line: locate(ctx, path).line };
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.i - b.i).map((x) => x.issue);
}

// Lines of nested keys and list items in a template's text, for messages that point at the offending field.
// Built lazily on first use with the `yaml` parser (it keeps source ranges; JSON text is YAML too).
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';

export type FieldPath = readonly (string | number)[];

export interface LineLocator {
  /** The 1-based line of the deepest part of `path` present in the first document, or undefined. */
  lineOf(path: FieldPath): number | undefined;
}

export function createLineLocator(text: string): LineLocator {
  let state: { doc: Document.Parsed | undefined; counter: LineCounter } | undefined;
  const load = () => {
    if (state) return state;
    const counter = new LineCounter();
    let doc: Document.Parsed | undefined;
    try {
      const docs = parseAllDocuments(text, { lineCounter: counter, version: '1.1', uniqueKeys: false });
      if (Array.isArray(docs)) doc = docs.find((d) => d.contents !== null);
    } catch {
      doc = undefined;
    }
    return (state = { doc, counter });
  };
  return {
    lineOf(path) {
      const { doc, counter } = load();
      let node: unknown = doc?.contents;
      const lineAt = (n: unknown): number | undefined => {
        const range = (n as { range?: [number, number, number] } | null)?.range;
        return range ? counter.linePos(range[0]).line : undefined;
      };
      let line = lineAt(node);
      for (const seg of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
          if (!pair) break;
          line = lineAt(pair.key) ?? line;
          node = pair.value;
        } else if (isSeq(node) && typeof seg === 'number') {
          const item = node.items[seg];
          if (item === undefined) break;
          line = lineAt(item) ?? line;
          node = item;
        } else {
          break;
        }
      }
      return line;
    },
  };
}

/** `candidate.bundles[2].image` from ['candidate', 'bundles', 2, 'image']. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

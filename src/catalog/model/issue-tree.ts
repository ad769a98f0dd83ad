// Renders catalog problems as a tree, like opm's (invalid package → channel → bundle), with file:line on
// every leaf and a deterministic order; plain text, no colours (the CLI may add them).
import type { CatalogIssue } from '../fbc/types.js';

interface Node {
  label: string;
  children: Map<string, Node>;
  leaves: string[];
}

function node(label: string): Node {
  return { label, children: new Map(), leaves: [] };
}

function child(parent: Node, key: string, label: string): Node {
  let n = parent.children.get(key);
  if (!n) {
    n = node(label);
    parent.children.set(key, n);
  }
  return n;
}

function leafText(i: CatalogIssue): string {
  const where = i.file ? ` (${i.file}${i.line ? `:${i.line}` : ''})` : '';
  const tag = i.severity === 'warning' ? 'warning: ' : '';
  return `${tag}${i.message}${where}`;
}

/** Issues are expected in validateCatalog's order; the tree keeps it. */
export function renderIssueTree(issues: CatalogIssue[], title = 'invalid catalog'): string {
  const root = node(title);
  for (const i of issues) {
    let n = root;
    if (i.package !== undefined) n = child(n, `p:${i.package}`, `package "${i.package}"`);
    if (i.channel !== undefined) n = child(n, `c:${i.channel}`, `channel "${i.channel}"`);
    if (i.bundle !== undefined) n = child(n, `b:${i.bundle}`, `bundle "${i.bundle}"`);
    n.leaves.push(leafText(i));
  }
  const lines: string[] = [`${root.label}:`];
  const walk = (n: Node, prefix: string) => {
    const items: { text: string; node?: Node }[] = [...n.leaves.map((text) => ({ text })), ...[...n.children.values()].map((c) => ({ text: `${c.label}:`, node: c }))];
    items.forEach((item, idx) => {
      const last = idx === items.length - 1;
      const [first, ...rest] = item.text.split('\n');
      lines.push(`${prefix}${last ? '└── ' : '├── '}${first}`);
      for (const r of rest) lines.push(`${prefix}${last ? '    ' : '│   '}${r}`);
      if (item.node) walk(item.node, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  walk(root, '');
  // Each distinct hint once, after the tree, instead of under every problem that shares it.
  const hints = [...new Set(issues.map((i) => i.hint).filter((h): h is string => Boolean(h)))];
  for (const h of hints) lines.push(`hint: ${h}`);
  return `${lines.join('\n')}\n`;
}

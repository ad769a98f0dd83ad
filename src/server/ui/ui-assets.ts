// The web UI's built files (dist/ui/: index.html, app.js, app.css), found beside the running bundle and read
// into memory once, so every asset is served by gantry itself (no CDN, works offline).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UiAsset } from './ui-handler.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** dist/ui, looked for in the folders above `from` (dist/cli/chunks/x.js, dist/src/server/ui/x.js, …); undefined when not built. */
export function findUiDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'ui', 'index.html');
    if (existsSync(candidate)) return join(dir, 'ui');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

export async function readUiAssets(dir: string): Promise<Map<string, UiAsset>> {
  const out = new Map<string, UiAsset>();
  for (const name of (await readdir(dir)).sort()) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) out.set(name, { contentType: type, body: await readFile(join(dir, name)) });
  }
  return out;
}

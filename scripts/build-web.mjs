#!/usr/bin/env node
// Builds the web UI of gantry serve (web/ → dist/ui/): the Preact app bundled and minified by esbuild (JSX with
// Preact's automatic runtime), next to index.html and app.css. gantry serve reads dist/ui/ at start.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

const out = 'dist/ui';
try {
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: ['web/main.tsx'],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
    outfile: `${out}/app.js`,
    legalComments: 'none',
  });
  await Promise.all(['index.html', 'app.css'].map((f) => copyFile(`web/${f}`, `${out}/${f}`)));
} catch {
  process.exit(1); // esbuild has printed the errors with file and line
}

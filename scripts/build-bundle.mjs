#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/main.js) into dist/cli/, one chunk per command, and refuses the
// module shapes esbuild cannot bundle faithfully (a dynamic import() of a package: see noPackageDynamicImport).
import { build } from 'esbuild';

/**
 * esbuild turns `await import('pkg')` of a CommonJS package into a chunk that exports only `default`, where Node
 * gives the named exports too: `(await import('undici')).request` works in the module tests and is undefined in
 * the bundle. Packages are therefore imported statically (esbuild then wraps them with its interop helper) and
 * laziness comes from dynamic imports of our own modules, which are ESM on both sides.
 */
const noPackageDynamicImport = {
  name: 'no-package-dynamic-import',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.path.startsWith('node:')) return undefined;
      return {
        errors: [
          {
            text: `dynamic import('${args.path}') of a package in ${args.importer}: the bundle would give it only a default export`,
            notes: [{ text: 'import the package statically in a module of our own, and import() that module instead' }],
          },
        ],
      };
    });
  },
};

try {
  await build({
    entryPoints: ['dist/src/cli/main.js'],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    outdir: 'dist/cli',
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS packages inside an ESM bundle still call require(): give them one.
    banner: { js: "import { createRequire as __gantryRequire } from 'node:module'; const require = __gantryRequire(import.meta.url);" },
    plugins: [noPackageDynamicImport],
    // @grpc/reflection reads its own .proto files relative to __dirname, which a bundled ESM chunk has not:
    // it stays in node_modules and is loaded from there.
    external: ['@grpc/reflection'],
  });
} catch {
  process.exit(1); // esbuild has printed the errors with file and line
}

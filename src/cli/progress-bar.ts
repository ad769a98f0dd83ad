// The terminal progress bar library, behind a module of our own so progress.ts can load it only for a TTY
// (a dynamic import() of the package itself is refused by the bundle build: see scripts/build-bundle.mjs).
export { default as cliProgress } from 'cli-progress';

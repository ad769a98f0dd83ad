#!/usr/bin/env node
// Entry point: the CLI bundled into one file by npm run build (one module to load instead of ~150: faster start). Exits as soon as main settles: idle
// keep-alive sockets and timers must not hold the process (stdout/stderr to pipes and files are synchronous).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
if (process.stdout.writableNeedDrain || process.stderr.writableNeedDrain) {
  process.exitCode = code; // a TTY still draining: let Node exit on its own once written
} else {
  process.exit(code);
}

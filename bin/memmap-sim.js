#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // One line, as for every other failure.
    process.stderr.write(`memmap-sim: internal error: ${String(error?.message ?? error).split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);

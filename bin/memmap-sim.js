#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

// A reader that stops early (`| head`) closes the pipe: stop quietly, as
// coreutils do on SIGPIPE, instead of dying with a raw EPIPE stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

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

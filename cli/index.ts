#!/usr/bin/env node
/** The `ots` executable: hands the real process's argv and streams to main, then exits with its code. */
// First: an older Node is told so in one line, before undici (which needs 22.19) is loaded.
import './node-version.js';
import { closeSharedAgent } from '../src/index.js';
import { main } from './main.js';

// `ots recent | head -1` closes the pipe early: that is the reader's choice, not a crash to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
// Idle keep-alive sockets would otherwise hold the process open until they time out.
await closeSharedAgent();
// exitCode rather than exit(): lets stdout drain when it is a pipe.
process.exitCode = code;

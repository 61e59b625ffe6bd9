#!/usr/bin/env node
/** The `ots` executable: hands the real process's argv and streams to main, then exits with its code. */
import { closeSharedAgent } from '../src/index.js';
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
// Idle keep-alive sockets would otherwise hold the process open for their timeout.
await closeSharedAgent();
// exitCode rather than exit(): lets stdout drain when it is a pipe.
process.exitCode = code;

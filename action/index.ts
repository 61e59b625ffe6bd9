/** The runner's entry (bundled to action/dist/index.js): the real `@actions/core` and core factories. */
import * as core from '@actions/core';
import { checkStatus, createClient } from '../src/index.js';
import { run } from './main.js';

await run(core, { createClient, checkStatus });

/**
 * Where the running local stack is, shared by `npm start` (which writes it) and `npm run invoke`
 * (which reads it): the stack's own build folder holds a small JSON file with its addresses. The
 * build folder is its own (serverless-esbuild's work folder, `OTS_ESBUILD_WORK_FOLDER` in serverless.yml),
 * so `npm test` and `npm run package`, which clear `.esbuild`, never break a running `npm start`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** serverless-esbuild's work folder for `npm start` only (`.esbuild` is the packaging one). */
export const LOCAL_BUILD_FOLDER = '.esbuild-start';
const STACK_FILE = join(ROOT, LOCAL_BUILD_FOLDER, 'local-stack.json');

export interface LocalStack {
  /** Base URL of the functions' HTTP routes (serverless-offline). */
  functionsUrl: string;
  /** serverless-offline's Lambda Invoke API port. */
  lambdaPort: number;
  sandboxUrl: string;
  pid: number;
}

export function writeLocalStack(stack: LocalStack): void {
  mkdirSync(join(ROOT, LOCAL_BUILD_FOLDER), { recursive: true });
  writeFileSync(STACK_FILE, `${JSON.stringify(stack, null, 2)}\n`);
}

export function removeLocalStack(): void {
  rmSync(STACK_FILE, { force: true });
}

/** The running stack, or `undefined` when `npm start` is not running (no file). */
export function readLocalStack(file = STACK_FILE): LocalStack | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalStack;
  } catch {
    return undefined;
  }
}

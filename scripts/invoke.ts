/**
 * `npm run invoke -- <function> [event.json]`: invokes one function of the running local stack
 * (`npm start`) once, through serverless-offline's Lambda Invoke API, and prints what it returned.
 * Without an event file it sends the function's sample event from test/events/. Exit 0 when the
 * function returned, 1 when it failed, 2 for bad usage or a stack that is not running.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readLocalStack } from './local-stack.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The functions of serverless.yml and the sample event each gets by default. */
export const SAMPLE_EVENTS: Record<string, string> = {
  status: 'test/events/http-api-status.json',
  webhook: 'test/events/http-api-webhook.json',
  scheduled: 'test/events/scheduled-event.json',
};
/** serverless-offline names a function `<service>-<stage>-<function>` (serverless.yml: onetime-kit, dev). */
const FUNCTION_PREFIX = 'onetime-kit-dev-';

class UsageError extends Error {}

function usage(problem: string): UsageError {
  const names = Object.keys(SAMPLE_EVENTS).join(', ');
  return new UsageError(`${problem}\nUsage: npm run invoke -- <${names.replaceAll(', ', '|')}> [event.json]`);
}

function readEvent(name: string, file: string | undefined): string {
  const path = file ?? fileURLToPath(new URL(SAMPLE_EVENTS[name] ?? '', `file://${ROOT}`));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usage(`Cannot read the event file ${file ?? path}.`);
  }
  try {
    JSON.parse(text);
  } catch {
    throw usage(`The event file ${file ?? path} is not JSON.`);
  }
  return text;
}

export async function invoke(args: readonly string[], print = console.log): Promise<number> {
  const [name, file, ...rest] = args;
  if (name === undefined) throw usage('Name the function to invoke.');
  if (!(name in SAMPLE_EVENTS)) throw usage(`There is no function "${name.slice(0, 40)}".`);
  if (rest.length > 0) throw usage('Give at most one event file.');
  const event = readEvent(name, file);
  const stack = readLocalStack();
  if (!stack) throw new UsageError('The local stack is not running: start it with `npm start`, then invoke.');
  const url = `http://127.0.0.1:${stack.lambdaPort}/2015-03-31/functions/${FUNCTION_PREFIX}${name}/invocations`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: event,
      headers: { 'content-type': 'application/json' },
    });
  } catch {
    throw new UsageError(`Nothing answers on 127.0.0.1:${stack.lambdaPort}: is \`npm start\` still running?`);
  }
  const text = await response.text();
  print(pretty(text));
  const failed = !response.ok || response.headers.get('x-amz-function-error') !== null;
  return failed ? 1 : 0;
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  invoke(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}

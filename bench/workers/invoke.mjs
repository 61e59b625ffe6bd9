// A stand-in for the Lambda runtime's first invocation, in plain JavaScript (no loader, nothing to
// compile): import a handler module, call it once with an event, print what it took, exit.
// Usage: node invoke.mjs <handler module> <event json file>
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, eventPath] = process.argv.slice(2);
const started = performance.now();
const { handler } = await import(pathToFileURL(modulePath).href);
const imported = performance.now();
const event = JSON.parse(readFileSync(eventPath, 'utf8'));
const context = {
  functionName: 'bench',
  awsRequestId: 'bench-request',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 20_000,
};
const result = await handler(event, context);
const answered = performance.now();
const summary = {
  statusCode: result?.statusCode ?? null,
  state: result?.state ?? JSON.parse(result?.body ?? '{}').state ?? null,
  importMs: imported - started,
  invokeMs: answered - imported,
};
process.stdout.write(`\nBENCH ${JSON.stringify(summary)}\n`);
process.exit(0);

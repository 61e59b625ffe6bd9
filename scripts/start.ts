/**
 * `npm start`: the local stack. Starts the OTS sandbox (127.0.0.1:7143, or a free port when that is
 * taken) and the Lambda functions under serverless-offline on 127.0.0.1:3000 (PORT to change it), with
 * OTS_TARGETS defaulting to the sandbox and OTS_WEBHOOK_SECRET to a local-only dev secret. Prints curl
 * commands to try, including a signed webhook call. Ctrl-C stops both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { signGithub, signOts } from '../functions/signature.js';
import { startSandbox } from '../sandbox/index.js';
import type { Sandbox } from '../sandbox/types.js';

const HOST = '127.0.0.1';
const SANDBOX_PORT = 7143;
/** Local only: printed on purpose, never used outside this machine. */
const DEV_WEBHOOK_SECRET = 'local-dev-webhook-secret';
const WEBHOOK_BODY = '{"source":"curl"}';

async function startLocalSandbox(): Promise<Sandbox> {
  try {
    return await startSandbox({ port: SANDBOX_PORT, host: HOST });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`Port ${SANDBOX_PORT} is taken: the sandbox takes a free port instead.`);
    return startSandbox({ port: 0, host: HOST });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function startOffline(httpPort: number, lambdaPort: number, env: NodeJS.ProcessEnv): ChildProcess {
  const osls = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  const args = ['offline', 'start', '--host', HOST, '--httpPort', String(httpPort)];
  args.push('--lambdaPort', String(lambdaPort), '--noPrependStageInUrl', '--localEnvironment', '--noSponsor');
  // A process group of its own, so Ctrl-C can stop osls and the workers it starts together.
  return spawn(process.execPath, [osls, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    // serverless-offline prints its banner on stderr and the handlers' logs on stdout.
    const relay = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
      to.write(chunk);
      if (chunk.toString().includes('Server ready')) resolve();
    };
    child.stdout?.on('data', relay(process.stdout));
    child.stderr?.on('data', relay(process.stderr));
    child.once('exit', (code) =>
      reject(new Error(`serverless-offline exited (code ${code}) before it was ready`)),
    );
  });
}

function printTryIt(base: string, sandbox: Sandbox, secretIsDev: boolean): void {
  const secret = process.env.OTS_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET;
  const now = Math.floor(Date.now() / 1000);
  const lines = [
    '',
    `Sandbox (OTS API):   ${sandbox.url}/api/v2/status`,
    `Functions:           ${base}`,
    secretIsDev
      ? `Webhook secret:      ${DEV_WEBHOOK_SECRET}  (local only, set OTS_WEBHOOK_SECRET to change)`
      : '',
    '',
    'Try:',
    `  curl -i ${base}/status`,
    `  curl ${base}/status?format=badge`,
    `  curl -i ${base}/status/${new URL(sandbox.url).host}`,
    '',
    '  # signed like GitHub (no timestamp, so it stays valid):',
    `  curl -i -X POST ${base}/webhook -H 'content-type: application/json' \\`,
    `    -H 'X-Hub-Signature-256: ${signGithub(secret, WEBHOOK_BODY)}' -d '${WEBHOOK_BODY}'`,
    '',
    '  # signed with X-OTS-Signature (valid for 5 minutes from now):',
    `  curl -i -X POST ${base}/webhook -H 'X-OTS-Signature: ${signOts(secret, '', now)}'`,
    '',
    'Ctrl-C stops both.',
  ];
  console.log(lines.filter((line, i) => line !== '' || lines[i - 1] !== '').join('\n'));
}

async function main(): Promise<void> {
  const sandbox = await startLocalSandbox();
  const httpPort = Number(process.env.PORT ?? 3000);
  const secretIsDev = process.env.OTS_WEBHOOK_SECRET === undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OTS_TARGETS: process.env.OTS_TARGETS ?? sandbox.url,
    OTS_WEBHOOK_SECRET: process.env.OTS_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET,
    // Pretty logs, and no EMF metrics printed (there is no CloudWatch here).
    POWERTOOLS_DEV: process.env.POWERTOOLS_DEV ?? 'true',
  };
  const child = startOffline(httpPort, await freePort(), env);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
    await sandbox.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  child.once('exit', (code) => void stop(code ?? 1));

  await waitForReady(child);
  printTryIt(`http://${HOST}:${httpPort}`, sandbox, secretIsDev);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

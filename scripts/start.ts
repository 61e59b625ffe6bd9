/**
 * `npm start`: the local stack. Starts the OTS sandbox (127.0.0.1:7143, or a free port when that is
 * taken; SANDBOX_PORT to choose, 0 for any) and the Lambda functions under serverless-offline on
 * 127.0.0.1:3000 (PORT to change it), with OTS_TARGETS defaulting to the sandbox and OTS_WEBHOOK_SECRET
 * to a local-only dev secret. Prints curl commands to try. Ctrl-C (or SIGTERM, SIGHUP) stops both;
 * a second Ctrl-C stops at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readMonitorConfig } from '../functions/config-monitor.js';
import { readTargets } from '../functions/config-targets.js';
import { DEFAULT_SANDBOX_ACCOUNT, startSandbox } from '../sandbox/index.js';
import type { Sandbox } from '../sandbox/types.js';
import {
  describeSchedule,
  invokeUrl,
  type LocalSchedule,
  parseScheduleSeconds,
  startLocalSchedule,
} from './local-schedule.js';
import { LOCAL_BUILD_FOLDER, removeLocalStack, writeLocalStack } from './local-stack.js';
import { type LocalHistory, startLocalHistory } from './local-store.js';
import { ensurePortFree, freePort, parsePort, StartError, waitForReady } from './processes.js';
import { parseSeedFlag, seedHistory } from './seed-history.js';
import { installStopper } from './stopper.js';
import { DEV_WEBHOOK_SECRET, tryItText } from './try-it.js';

const HOST = '127.0.0.1';
const DEFAULT_SANDBOX_PORT = 7143;
const DEFAULT_HTTP_PORT = 3000;
/** osls builds the bundles before it listens: generous, but not forever. */
const READY_TIMEOUT_MS = 120_000;
/** How long osls gets to stop after SIGINT before it is killed. */
const STOP_GRACE_MS = 5000;

async function startLocalSandbox(): Promise<Sandbox> {
  const chosen = process.env.SANDBOX_PORT;
  const port = parsePort(chosen, 'SANDBOX_PORT', DEFAULT_SANDBOX_PORT, true);
  const accounts = [{ ...DEFAULT_SANDBOX_ACCOUNT }];
  try {
    return await startSandbox({ port, host: HOST, accounts });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (chosen !== undefined && chosen.trim() !== '') {
      throw new StartError(`port ${port} is taken: set SANDBOX_PORT=<another port> (0: any free port).`);
    }
    console.log(`Port ${port} is taken: the sandbox takes a free port instead.`);
    return startSandbox({ port: 0, host: HOST, accounts });
  }
}

function startOffline(httpPort: number, lambdaPort: number, env: NodeJS.ProcessEnv): ChildProcess {
  const osls = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  const args = ['offline', 'start', '--host', HOST, '--httpPort', String(httpPort)];
  args.push('--lambdaPort', String(lambdaPort), '--noPrependStageInUrl', '--localEnvironment', '--noSponsor');
  args.push('--param=scheduleEnabled=false'); // scripts/local-schedule.ts runs it, every OTS_LOCAL_SCHEDULE_SECONDS
  // A process group of its own, so stopping can reach osls and the workers it starts together.
  return spawn(process.execPath, [osls, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

/** `--seed-history <N>d`: synthetic history for the configured targets, into the local store only. */
async function seedLocalHistory(env: NodeJS.ProcessEnv, history: LocalHistory, days: number): Promise<void> {
  const targets = readTargets(env).map((t) => ({ name: t.name, statusUrl: `${t.apiBase}/v2/status` }));
  const items = await seedHistory({
    endpoint: history.store.endpoint,
    table: history.table,
    targets,
    days,
    historyDays: readMonitorConfig(env).historyDays,
  });
  console.log(`Seeded ${items} synthetic history items (${days} days); the page marks them as synthetic.`);
}

async function main(): Promise<void> {
  // Every setting is checked before anything starts, so a mistake leaves nothing running.
  const httpPort = parsePort(process.env.PORT, 'PORT', DEFAULT_HTTP_PORT);
  await ensurePortFree(httpPort, HOST, 'PORT');
  const scheduleSeconds = parseScheduleSeconds(process.env.OTS_LOCAL_SCHEDULE_SECONDS);
  const seedDays = parseSeedFlag(process.argv.slice(2));
  const sandbox = await startLocalSandbox();
  const history = await startLocalHistory();
  let schedule: LocalSchedule | undefined;
  const devSecret = process.env.OTS_WEBHOOK_SECRET === undefined;
  const lambdaPort = await freePort(HOST);
  const env: NodeJS.ProcessEnv = {
    // The Slack command's late answer invokes its function through serverless-offline's Lambda API;
    // the SDK wants credentials of some kind, and these never leave the machine.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...process.env,
    AWS_ENDPOINT_URL_LAMBDA: `http://${HOST}:${lambdaPort}`,
    OTS_TARGETS: process.env.OTS_TARGETS ?? sandbox.url,
    OTS_WEBHOOK_SECRET: process.env.OTS_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET,
    ...history.env, // dynalite, through AWS_ENDPOINT_URL_DYNAMODB
    // Pretty logs, and no EMF metrics printed (there is no CloudWatch here).
    POWERTOOLS_DEV: process.env.POWERTOOLS_DEV ?? 'true',
    OTS_ESBUILD_WORK_FOLDER: LOCAL_BUILD_FOLDER,
  };
  if (seedDays !== undefined) await seedLocalHistory(env, history, seedDays);
  let child: ChildProcess | undefined;
  const stop = installStopper({
    getChild: () => child,
    stopRest: async () => {
      removeLocalStack();
      await schedule?.stop();
      await Promise.all([sandbox.stop(), history.store.stop()]);
    },
    graceMs: STOP_GRACE_MS,
  });
  child = startOffline(httpPort, lambdaPort, env);
  child.once('exit', (code) => void stop(code ?? 1));
  try {
    await waitForReady(child, {
      marker: 'Server ready',
      timeoutMs: READY_TIMEOUT_MS,
      name: 'serverless-offline',
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stop(1);
    return;
  }
  schedule = startLocalSchedule({
    url: invokeUrl(lambdaPort, 'onetime-kit-dev-scheduled'),
    seconds: scheduleSeconds,
  });
  console.log(
    `History: dynalite at ${history.store.endpoint}, table ${history.table}; ${describeSchedule(scheduleSeconds)}`,
  );
  const base = `http://${HOST}:${httpPort}`;
  writeLocalStack({ functionsUrl: base, lambdaPort, sandboxUrl: sandbox.url, pid: process.pid });
  console.log(
    tryItText({
      base,
      sandboxUrl: sandbox.url,
      account: DEFAULT_SANDBOX_ACCOUNT,
      devSecret,
      nowSeconds: Math.floor(Date.now() / 1000),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(
    error instanceof StartError ? error.message : `npm start failed: ${(error as Error).message}`,
  );
  process.exit(error instanceof StartError ? 2 : 1);
});

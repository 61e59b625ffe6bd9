/**
 * Runs in its own process, bundled by esbuild (packages left external) and started with plain
 * `node --expose-gc`: the core runs as shipped, not through a TypeScript loader, and only client work
 * shares this event loop (the sandbox lives in the parent). Each run makes CALLS calls per variant, in
 * interleaved slices so that drift on a noisy machine hits every variant alike. Prints one JSON line.
 */
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { closeSharedAgent, createClient } from '../../src/index.js';

const [base = '', callsText = '10000', runsText = '5'] = process.argv.slice(2);
const CALLS = Number(callsText);
const RUNS = Number(runsText);
const SLICE = 500;
const url = `${base}/api/v2/status`;
const client = createClient({ domain: base });
const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));

// One feature of the core at a time on bare undici, to price each (same agent settings as the core).
const agent = new Agent({ keepAliveTimeout: 30_000 });
const retrying = agent.compose(interceptors.retry({ maxRetries: 2, methods: ['GET'], throwOnError: false }));
const giveUp = (error: Error, _context: unknown, callback: (error: Error | null) => void) => callback(error);
const on = (dispatcher: Dispatcher, extra: object = {}) =>
  dispatcher.request({
    origin: base,
    path: '/api/v2/status',
    method: 'GET',
    ...extra,
  } as Dispatcher.RequestOptions);

const VARIANTS = {
  bare: async () => {
    const { body } = await request(url);
    await body.json();
  },
  core: () => client.status(),
  yield: async () => {
    const { body } = await request(url);
    await body.json();
    await yieldOnce();
  },
  deadline: async () => {
    const { body } = await on(agent, { signal: AbortSignal.timeout(10_000) });
    await body.json();
  },
  retry: async () => {
    const { body } = await on(retrying, { retryOptions: { retry: giveUp } });
    await body.json();
  },
  // Pure CPU, no I/O: how much wall time 25 µs of client work between calls costs on this machine.
  busy: async () => {
    const until = performance.now() + 0.025;
    while (performance.now() < until);
    const { body } = await request(url);
    await body.json();
  },
} satisfies Record<string, () => Promise<unknown>>;
type Name = keyof typeof VARIANTS;
const NAMES = Object.keys(VARIANTS) as Name[];

async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await yieldOnce();
  }
  return process.memoryUsage().heapUsed;
}

type Timing = { wallMs: number; cpuMs: number };

async function slice(name: Name, calls: number, into: Timing): Promise<void> {
  const work = VARIANTS[name];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await work();
  into.wallMs += performance.now() - started;
  const used = process.cpuUsage(cpu);
  into.cpuMs += (used.user + used.system) / 1000;
}

async function oneRun(): Promise<Record<Name, Timing>> {
  const totals = Object.fromEntries(NAMES.map((n) => [n, { wallMs: 0, cpuMs: 0 }])) as Record<Name, Timing>;
  for (let done = 0; done < CALLS; done += SLICE) {
    const calls = Math.min(SLICE, CALLS - done);
    for (const name of NAMES) await slice(name, calls, totals[name]);
  }
  return totals;
}

for (const name of NAMES) await slice(name, 2000, { wallMs: 0, cpuMs: 0 }); // warm-up: JIT, pools
// The heap goal is about the core's calls: measured around CALLS of them alone.
const heapBefore = await heapAfterGc();
await slice('core', CALLS, { wallMs: 0, cpuMs: 0 });
const heapAfter = await heapAfterGc();
const runs: Record<Name, Timing>[] = [];
for (let run = 0; run < RUNS; run++) runs.push(await oneRun());
await closeSharedAgent();
await agent.close();
process.stdout.write(`${JSON.stringify({ runs, heapBefore, heapAfter, node: process.version })}\n`);
process.exit(0);

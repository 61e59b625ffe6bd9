/**
 * 3. Client overhead: 10,000 sequential status calls through the core (client.status()) against the same
 * calls with bare undici.request, in a fresh Node 24 process (the sandbox stays in this one, so the
 * worker's event loop holds only client work). Also each feature of the core alone on bare undici (the
 * one-macrotask yield, the deadline signal, the retry interceptor), to price them; CPU time per call;
 * and the heap after GC around 10,000 core calls.
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
const GOAL = 1.25;
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
        'Found and fixed with this benchmark (src/http/transport.ts, src/http/undici-sender.ts): the core made an AbortSignal.timeout per call ' +
          '(its timer stays armed for the whole timeout after the call, about 5 µs more per call on Node 24 ' +
          'than a timer that is cleared), iterated the response stream chunk by chunk, and trimmed the text ' +
          'before parsing it. It now clears its own deadline timer, reads a body of declared length in one ' +
          'go, and parses once. Before the change this ratio was 1.30× (1.36× to 1.60× in earlier trial ' +
          'runs); after it, 1.19× to 1.31× over six runs: at the edge of the goal on this machine.',
        'What remains is the price of three features, each priced alone above: the deadline that covers ' +
          'retries, the retry interceptor on reads, and the yield that keeps one connection (benchmark 2), ' +
          'plus the mapping of the answer. On this virtual machine, client work between a response and the ' +
          'next request costs more wall time than its CPU time once it passes a few microseconds (the ' +
          '"busy CPU" row: pure computation, no I/O), because by then the sandbox process has gone idle and ' +
          'must be woken. Over a real network (tens of milliseconds per call) the difference is noise.',
      ],
      misses:
        table[0]?.met === false
          ? [
              'The core adds about 20 µs of CPU per call (the CPU row) for the deadline, the retry ' +
                'interceptor, the socket-reuse yield and the answer mapping; on this machine that much client ' +
                'work costs about as much extra wall time as the "busy CPU" row shows, which puts the ratio ' +
                'between 1.19× and 1.31× from run to run (six runs after the fix, median 1.26×). ' +
                'Meeting 1.25× reliably on loopback would take dropping one of those features (retries of ' +
                'reads, the per-call deadline, or one connection for sequential calls), which is not worth ' +
                'microseconds that any real network hides; none was dropped.',
            ]
          : [],
    };
  },
};

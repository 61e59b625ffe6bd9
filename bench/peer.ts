/**
 * 8. Peer: share -> reveal round trips per second through onetime-kit against the same through
 * onetimesecret-api (the only other OTS client on npm), same sandbox, same Node 22, same API v1 and
 * account. Goal: at least the peer's throughput, while onetime-kit also does what the peer does not
 * (typed errors, never retrying a write, deadlines, a body cap).
 */
import { startSandbox } from '../sandbox/index.js';
import type { Benchmark } from './lib/benchmark.js';
import { bundleWorker } from './lib/bundle-worker.js';
import { nodeRelease } from './lib/node24.js';
import { cleanEnv, runOk } from './lib/spawn.js';
import { median, pairedRatio } from './lib/stats.js';

const TRIPS = 500;
const RUNS = 5;
const GOAL = 1;
const ACCOUNT = { username: 'bench@example.com', token: 'bench-token-0123456789' };

interface WorkerOutput {
  runs: { kit: number; peer: number }[];
  node: string;
}

const perSecond = (value: number) => `${value.toFixed(0)}/s`;

export const peer: Benchmark = {
  name: 'peer',
  title: '8. Peer: share -> reveal round trips per second, onetime-kit vs onetimesecret-api (Node 22)',
  async run() {
    const node = nodeRelease(22);
    const worker = await bundleWorker('workers/peer.ts');
    const sandbox = await startSandbox({ accounts: [ACCOUNT] });
    let output: WorkerOutput;
    let connections = 0;
    let requests = 0;
    try {
      const args = [worker, sandbox.url, String(TRIPS), String(RUNS), ACCOUNT.username, ACCOUNT.token];
      const exit = await runOk(node.path, args, { env: cleanEnv(), timeoutMs: 600_000 });
      output = JSON.parse(exit.stdout.trim().split('\n').at(-1) ?? '{}') as WorkerOutput;
      ({ connections, requests } = sandbox.stats());
    } finally {
      await sandbox.stop();
    }
    const kit = output.runs.map((run) => run.kit);
    const other = output.runs.map((run) => run.peer);
    const ratio = pairedRatio(kit, other);
    return {
      method:
        `${RUNS} runs of ${TRIPS} sequential share -> reveal round trips per client, interleaved in slices ` +
        `of 50, in one ${output.node} process (bench/workers/peer.ts, bundled by esbuild); the sandbox ` +
        'runs in the bench process. Both clients use API v1 with the same account. Ratio = median of ' +
        'per-run ratios (onetime-kit ÷ peer).',
      rows: [
        {
          measure: 'onetime-kit: round trips per second',
          median: perSecond(median(kit)),
          baseline: `${perSecond(median(other))} (onetimesecret-api 1.1.3)`,
          ratio,
          goal: `≥ ${GOAL}×`,
          met: ratio >= GOAL,
        },
      ],
      notes: [
        `The sandbox accepted ${connections} connections for ${requests} requests: both clients keep ` +
          "their connection alive (onetime-kit's undici pool; the peer's node-fetch 3 on Node 22's " +
          'keep-alive global agent), so the difference is client work per call, not connection setup. ' +
          'Each round trip is two writes (share, reveal) that onetime-kit never retries; the peer has no ' +
          "retries, a 30 s timeout that does not abort the request, and untyped errors for today's v1 messages.",
        ...(node.note ? [node.note] : []),
      ],
      misses:
        ratio >= GOAL
          ? []
          : ['onetime-kit made fewer round trips per second than the peer: see the per-call overhead (3).'],
    };
  },
};

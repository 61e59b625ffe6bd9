/**
 * 1. Fan-out: checkStatus over the five regions, each answering after 300 ms, against one region alone.
 * Concurrent checks should cost about one latency, not five. The regions' names all reach one sandbox
 * through a loopback connector.
 */
import { startSandbox } from '../sandbox/index.js';
import { checkStatus } from '../src/index.js';
import type { Benchmark } from './lib/benchmark.js';
import { loopbackAgent } from './lib/loopback.js';
import { formatMs, median, pairedRatio, timeMs } from './lib/stats.js';

const LATENCY_MS = 300;
const RUNS = 7;
const GOAL = 1.15;

async function timedCheck(port: number, targets: string): Promise<number> {
  // A fresh agent each time: connecting is part of a check, as in a one-shot action or CLI run.
  const dispatcher = loopbackAgent(port);
  try {
    return await timeMs(async () => {
      const report = await checkStatus(targets, { dispatcher });
      if (report.state !== 'nominal') throw new Error(`fan-out check was ${report.state}`);
    });
  } finally {
    await dispatcher.close();
  }
}

export const fanout: Benchmark = {
  name: 'fanout',
  title: '1. Fan-out: checkStatus over 5 targets with 300 ms latency each',
  async run() {
    const sandbox = await startSandbox({ faults: [{ path: '/api/v2/status', latencyMs: LATENCY_MS }] });
    const one: number[] = [];
    const five: number[] = [];
    let peak = 0;
    try {
      await timedCheck(sandbox.port, 'all'); // warm-up: module code, JIT
      for (let run = 0; run < RUNS; run++) {
        one.push(await timedCheck(sandbox.port, 'eu'));
        sandbox.resetStats();
        five.push(await timedCheck(sandbox.port, 'all'));
        peak = Math.max(peak, sandbox.stats().peakInFlight);
      }
    } finally {
      await sandbox.stop();
    }
    const ratio = pairedRatio(five, one);
    const physical = one.map(() => LATENCY_MS);
    return {
      method:
        `${RUNS} runs, each: checkStatus('eu') then checkStatus('all') (5 regions) through a fresh loopback ` +
        `agent; the sandbox adds ${LATENCY_MS} ms to every status answer. Ratio = median of per-run ratios.`,
      rows: [
        {
          measure: 'checkStatus, 5 targets',
          median: formatMs(median(five)),
          baseline: `${formatMs(median(one))} (1 target)`,
          ratio,
          goal: `≤ ${GOAL}×`,
          met: ratio <= GOAL,
        },
        {
          measure: 'checkStatus, 1 target vs the latency itself',
          median: formatMs(median(one)),
          baseline: `${LATENCY_MS} ms (injected latency)`,
          ratio: pairedRatio(one, physical),
        },
        {
          measure: 'requests in flight at once (sandbox peak)',
          median: String(peak),
          goal: '5',
          met: peak === 5,
        },
      ],
      notes: [],
      misses:
        ratio <= GOAL
          ? []
          : ['The five checks did not overlap fully: see the in-flight peak and the per-target latencies.'],
    };
  },
};

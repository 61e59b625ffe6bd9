/**
 * 2. Keep-alive: 200 sequential status calls through one client, against a new connection per call.
 * The sandbox counts the TCP connections it accepts. A third variant, bare undici.request on one agent
 * without the core's one-macrotask yield, shows why the core yields (src/http/transport.ts).
 */
import { Agent, request } from 'undici';
import { type Sandbox, startSandbox } from '../sandbox/index.js';
import { closeSharedAgent, createClient } from '../src/index.js';
import type { Benchmark } from './lib/benchmark.js';
import { formatMs, median, pairedRatio, timeMs } from './lib/stats.js';

const CALLS = 200;
const RUNS = 5;

interface Measured {
  msPerCall: number;
  connections: number;
}

async function measure(sandbox: Sandbox, calls: (i: number) => Promise<void>): Promise<Measured> {
  sandbox.resetStats();
  const ms = await timeMs(async () => {
    for (let i = 0; i < CALLS; i++) await calls(i);
  });
  return { msPerCall: ms / CALLS, connections: sandbox.stats().connections };
}

/** The core as users use it: one client, the process-wide keep-alive agent. */
async function oneClient(sandbox: Sandbox): Promise<Measured> {
  await closeSharedAgent(); // no socket left from an earlier run
  const client = createClient({ domain: sandbox.url });
  const result = await measure(sandbox, async () => {
    await client.status();
  });
  await closeSharedAgent();
  return result;
}

/** The core with a new agent, hence a new connection, for every call. */
function newConnectionEachCall(sandbox: Sandbox): Promise<Measured> {
  return measure(sandbox, async () => {
    const dispatcher = new Agent();
    try {
      await createClient({ domain: sandbox.url, dispatcher }).status();
    } finally {
      await dispatcher.close();
    }
  });
}

/** Bare undici on one agent, reading each body to the end, with no yield between calls. */
async function bareNoYield(sandbox: Sandbox): Promise<Measured> {
  const dispatcher = new Agent();
  const url = `${sandbox.url}/api/v2/status`;
  try {
    return await measure(sandbox, async () => {
      const { body } = await request(url, { dispatcher });
      await body.json();
    });
  } finally {
    await dispatcher.close();
  }
}

export const keepalive: Benchmark = {
  name: 'keepalive',
  title: '2. Keep-alive: 200 sequential status calls through one client',
  async run() {
    const sandbox = await startSandbox();
    const kept: Measured[] = [];
    const fresh: Measured[] = [];
    const bare: Measured[] = [];
    try {
      await oneClient(sandbox); // warm-up
      for (let run = 0; run < RUNS; run++) {
        kept.push(await oneClient(sandbox));
        fresh.push(await newConnectionEachCall(sandbox));
        bare.push(await bareNoYield(sandbox));
      }
    } finally {
      await sandbox.stop();
    }
    const connections = Math.max(...kept.map((m) => m.connections));
    const perCall = (list: Measured[]) => list.map((m) => m.msPerCall);
    const bareConnections = median(bare.map((m) => m.connections));
    return {
      method:
        `${RUNS} runs of ${CALLS} sequential client.status() calls against an in-process sandbox on loopback ` +
        '(Node of the bench). Connections are those the sandbox accepted during the calls.',
      rows: [
        {
          measure: 'connections opened, one client (worst run)',
          median: String(connections),
          baseline: `${median(fresh.map((m) => m.connections))} (new connection per call)`,
          goal: '1',
          met: connections === 1,
        },
        {
          measure: 'time per call, one client',
          median: formatMs(median(perCall(kept))),
          baseline: `${formatMs(median(perCall(fresh)))} (new connection per call)`,
          ratio: pairedRatio(perCall(kept), perCall(fresh)),
        },
        {
          measure: 'bare undici.request, one agent, no yield: connections',
          median: String(bareConnections),
          baseline: `${formatMs(median(perCall(bare)))} per call`,
        },
      ],
      notes: [
        bareConnections > 1
          ? `undici returns a socket to its pool a full event-loop turn after the response ends ` +
            `(client-h1.js: setImmediate before reuse). Without a yield, the next sequential call finds ` +
            `the connection still busy and opens another: bare undici.request on one agent opened ` +
            `${bareConnections} connections for ${CALLS} calls. The core's one setImmediate per response ` +
            'keeps it at one; its cost per call is in benchmark 3.'
          : 'Bare undici.request on one agent also kept one connection in this run.',
      ],
      misses:
        connections === 1
          ? []
          : [`One client opened ${connections} connections: the socket was not reused between calls.`],
    };
  },
};

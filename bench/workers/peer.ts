/**
 * Share -> reveal round trips through onetime-kit and through onetimesecret-api (the peer), in one
 * Node 22 process (the peer runs on nothing newer), against the sandbox in the parent. Both speak API
 * v1 with the same account. Interleaved slices, so drift on a noisy machine hits both alike. Prints
 * one JSON line: per run, the round trips per second of each.
 */
import { closeSharedAgent, createClient } from '../../src/index.js';

const [base = '', trips = '500', runs = '5', username = '', token = ''] = process.argv.slice(2);
const TRIPS = Number(trips);
const RUNS = Number(runs);
const SLICE = 50;
const SECRET = 'bench round trip value';

// The peer's main is index.ts; its compiled CommonJS is index.js (a variable keeps esbuild from bundling it).
const peerModule: string = 'onetimesecret-api/index.js';
const { OneTimeSecretApi } = await import(peerModule);
const peer = new OneTimeSecretApi(username, token, { url: base });
const kit = createClient({ domain: base, apiVersion: 'v1', username, token });

const VARIANTS = {
  kit: async () => {
    const shared = await kit.share({ secret: SECRET });
    if ((await kit.reveal(shared.secretKey)).value !== SECRET) throw new Error('onetime-kit: wrong value');
  },
  peer: async () => {
    const shared = await peer.share(SECRET);
    if ((await peer.retrieveSecret(shared.secret_key)).value !== SECRET) throw new Error('peer: wrong value');
  },
};
type Variant = keyof typeof VARIANTS;

async function slice(name: Variant, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await VARIANTS[name]();
  return performance.now() - started;
}

for (const name of Object.keys(VARIANTS) as Variant[]) await slice(name, SLICE); // warm-up

const results: Record<Variant, number>[] = [];
for (let run = 0; run < RUNS; run++) {
  const ms: Record<Variant, number> = { kit: 0, peer: 0 };
  for (let done = 0; done < TRIPS; done += SLICE) {
    for (const name of Object.keys(VARIANTS) as Variant[]) ms[name] += await slice(name, SLICE);
  }
  results.push({ kit: (TRIPS * 1000) / ms.kit, peer: (TRIPS * 1000) / ms.peer });
}
await closeSharedAgent();
process.stdout.write(`${JSON.stringify({ runs: results, node: process.version })}\n`);

/**
 * 6. Action bundle size: the committed action/dist/index.js (ncc, minified), what stands in it (an
 * esbuild metafile of the same entry), and how many undici copies it carries (from ncc's source map, and
 * from the metafile).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from './lib/benchmark.js';
import { analyse, undiciRoots } from './lib/metafile.js';
import { ROOT } from './lib/paths.js';
import { formatBytes } from './lib/stats.js';

const GOAL = 1_200_000;

export const actionSize: Benchmark = {
  name: 'action-size',
  title: '6. Action bundle size',
  async run() {
    const bundle = join(ROOT, 'action/dist/index.js');
    const bytes = statSync(bundle).size;
    const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
    const nccCopies = undiciRoots(map.sources);
    const meta = await analyse(join(ROOT, 'action/index.ts'));
    const top = meta.byPackage
      .slice(0, 6)
      .map(([name, size]) => `${name} ${formatBytes(size)}`)
      .join(', ');
    return {
      method:
        'The size of the committed bundle (`npm run bundle`: ncc, minified, source map beside it). Its ' +
        'contents: an esbuild build of action/index.ts with a metafile (esbuild minifies a little ' +
        "differently from ncc, so its total differs), and the undici folders in ncc's source map.",
      rows: [
        {
          measure: 'action/dist/index.js',
          median: formatBytes(bytes),
          baseline: `${formatBytes(meta.bytes)} (esbuild, same entry)`,
          goal: `≤ ${formatBytes(GOAL)}`,
          met: bytes <= GOAL,
        },
        {
          measure: 'undici copies (ncc source map / esbuild metafile)',
          median: `${nccCopies.length} / ${meta.undiciCopies.length}`,
          goal: '1',
          met: nccCopies.length === 1 && meta.undiciCopies.length === 1,
        },
      ],
      notes: [`Largest parts (esbuild metafile): ${top}.`],
      misses: [],
    };
  },
};

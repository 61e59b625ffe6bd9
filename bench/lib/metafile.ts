/** What stands in a bundle: an esbuild build with a metafile, bytes grouped by package. */
import { build, type Metafile } from 'esbuild';

export interface Composition {
  bytes: number;
  /** Output bytes per package (`undici`, `@actions/core`) or project folder (`src`), largest first. */
  byPackage: [string, number][];
  /** Distinct folders an undici copy was bundled from. */
  undiciCopies: string[];
}

function packageOf(input: string): string {
  const parts = input.split('node_modules/');
  if (parts.length === 1) return input.split('/')[0] ?? input;
  const tail = parts.at(-1)!.split('/');
  return tail[0]!.startsWith('@') ? `${tail[0]}/${tail[1]}` : tail[0]!;
}

export function undiciRoots(paths: readonly string[]): string[] {
  const roots = paths.map((p) => /^(.*node_modules\/undici\/)/.exec(p)?.[1]).filter((r) => r !== undefined);
  return [...new Set(roots)];
}

export function composition(metafile: Metafile): Composition {
  const outputs = Object.entries(metafile.outputs).filter(([file]) => !file.endsWith('.map'));
  const totals = new Map<string, number>();
  let bytes = 0;
  for (const [, output] of outputs) {
    bytes += output.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return {
    bytes,
    byPackage: [...totals].sort((a, b) => b[1] - a[1]),
    undiciCopies: undiciRoots(Object.keys(metafile.inputs)),
  };
}

/** A minified ESM bundle of `entry` for Node, in memory, with its metafile. */
export async function analyse(entry: string, options: { external?: string[] } = {}): Promise<Composition> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outdir: 'out',
    external: options.external ?? [],
    logLevel: 'silent',
  });
  return composition(result.metafile);
}

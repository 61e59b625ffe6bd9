import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeTooOld } from '../../cli/node-version.js';

describe('the CLI on an older Node', () => {
  it('names the Node it needs and the one it found, for anything below 22.19', () => {
    for (const old of ['20.20.2', '22.18.0', '18.0.0']) {
      expect(nodeTooOld(old)).toBe(
        `ots needs Node 22.19 or newer; this is Node ${old}. Install a current Node (22, 24 or 26).`,
      );
    }
    for (const fine of ['22.19.0', '22.23.3', '24.21.0', '26.10.0']) expect(nodeTooOld(fine)).toBeUndefined();
  });

  it('runs the check before anything else loads: the guard is the first import of the executable', () => {
    const source = readFileSync(new URL('../../cli/index.ts', import.meta.url), 'utf8');
    const imports = source.split('\n').filter((line) => line.startsWith('import '));
    expect(imports[0]).toBe("import './node-version.js';");
  });
});

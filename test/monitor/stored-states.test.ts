/**
 * The store writes its own list of states (functions/store/items.ts says why: it loads lazily and must
 * not import values from the core's entry). It must stay the core's list, in the core's order: a day's
 * worst state and each sample's state code depend on it.
 */
import { describe, expect, it } from 'vitest';
import { STORED_STATES, sampleCode, stateOfSample } from '../../functions/store/items.js';
import { CHECK_STATES } from '../../src/fetch.js';

describe('stored states', () => {
  it('are the core’s states, best first', () => {
    expect(STORED_STATES).toEqual(CHECK_STATES);
  });

  it('encode a sample’s state as its place in the list, and decode it back', () => {
    expect(CHECK_STATES.map(sampleCode)).toEqual([0, 1, 2]);
    expect([0, 1, 2].map(stateOfSample)).toEqual([...CHECK_STATES]);
    expect(stateOfSample(3)).toBeUndefined();
    expect(stateOfSample(undefined)).toBeUndefined();
  });
});

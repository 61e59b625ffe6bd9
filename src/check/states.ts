/** The states a check ends in, and how several combine: the one rule every adapter uses. */
import type { CheckState } from '../types.js';

/** Every state, best first: a later state is worse than an earlier one. */
export const CHECK_STATES = ['nominal', 'degraded', 'down'] as const satisfies readonly CheckState[];

/** The worst of several states (`nominal` for none). */
export function worstState(states: readonly CheckState[]): CheckState {
  const rank = (state: CheckState) => CHECK_STATES.indexOf(state);
  return states.reduce<CheckState>((worst, state) => (rank(state) > rank(worst) ? state : worst), 'nominal');
}

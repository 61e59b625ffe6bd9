/**
 * Deliveries already accepted, remembered until their signature's window closes, so the same delivery
 * sent again inside the window is refused. In process: each warm container has its own memory, so a
 * replay that reaches another container (or a new one) is not caught. The cap bounds memory; only a
 * holder of the secret can add entries, and when full the soonest-expiring are forgotten first.
 */
export const REPLAY_CAPACITY = 10_000;

export class ReplayGuard {
  /** Key -> unix seconds after which the window refuses the delivery anyway. Insertion order ~ expiry. */
  readonly #seen = new Map<string, number>();
  readonly #capacity: number;

  constructor(capacity = REPLAY_CAPACITY) {
    this.#capacity = capacity;
  }

  /** True the first time `key` is offered before `expiresAt`; false for a replay. */
  accept(key: string, expiresAt: number, nowSeconds: number): boolean {
    this.#forgetExpired(nowSeconds);
    const known = this.#seen.get(key);
    if (known !== undefined && known >= nowSeconds) return false;
    if (this.#seen.size >= this.#capacity) {
      const oldest = this.#seen.keys().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    this.#seen.set(key, expiresAt);
    return true;
  }

  #forgetExpired(nowSeconds: number): void {
    for (const [key, expiresAt] of this.#seen) {
      if (expiresAt >= nowSeconds) continue;
      this.#seen.delete(key);
    }
  }
}

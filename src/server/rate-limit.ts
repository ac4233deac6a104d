/**
 * Failed sign-ins, counted per client address in a sliding window: after `max` failures within
 * `windowMs` that address is refused (429) until the oldest failure leaves the window. A success does
 * not reset the count (a guesser who once knew a token gains nothing). Memory is bounded: addresses
 * whose failures have all expired are forgotten.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max = 5, private readonly windowMs = 60_000) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Milliseconds until this address may try again; 0 when it may now. */
  retryAfterMs(key: string, now: number): number {
    const kept = this.recent(key, now);
    return kept.length >= this.max ? this.windowMs - (now - kept[kept.length - this.max]!) : 0;
  }

  fail(key: string, now: number): void {
    this.failures.set(key, [...this.recent(key, now), now]);
  }
}

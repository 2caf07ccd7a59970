// Concurrency primitives of the send workers: a FIFO semaphore bounding the carrier calls in flight
// (one per worker, the size of the keep-alive pool), a token bucket per sender (the carrier's
// messages-per-second limit), and the sleep / equal-jitter backoff between retries of 429 / 5xx /
// timeouts. They serve 6.3.1 (Octopush transmits the messages to the Routers, an obligation of
// means): a campaign stays within what the carriers accept, so a message is delayed, not lost.

export class Semaphore {
  private active = 0;
  // FIFO of waiters with a moving head: thousands wait when a window of pages is queued, and
  // Array.shift() on that many is a copy per release (it was 2% of the worker's CPU).
  private waiting: (() => void)[] = [];
  private head = 0;
  constructor(private readonly size: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.active += 1;
    try {
      return await fn();
    } finally {
      if (this.head < this.waiting.length) {
        const next = this.waiting[this.head++];
        if (this.head === this.waiting.length) {
          this.waiting = [];
          this.head = 0;
        } else if (this.head >= 1024 && this.head * 2 > this.waiting.length) {
          this.waiting = this.waiting.slice(this.head);
          this.head = 0;
        }
        next(); // hand the slot over
      } else {
        this.active -= 1;
      }
    }
  }
}

export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst = Math.max(1, ratePerSecond),
  ) {
    this.tokens = this.burst;
  }
  /** Resolves when a token is available (FIFO). */
  take(): Promise<void> {
    const next = this.chain.then(async () => {
      for (;;) {
        const now = Date.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
        this.last = now;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
      }
    });
    this.chain = next;
    return next;
  }
}

/**
 * One token bucket per sender at `mps` messages per second, or none when `mps` is not positive.
 * Bounded memory: past 10,000 senders the map is cleared, and a fresh bucket only allows its burst.
 */
export function senderBuckets(mps: number): (sender: string) => TokenBucket | null {
  const buckets = new Map<string, TokenBucket>();
  return (sender) => {
    if (!(mps > 0)) return null;
    let b = buckets.get(sender);
    if (!b) {
      if (buckets.size >= 10_000) buckets.clear();
      buckets.set(sender, (b = new TokenBucket(mps)));
    }
    return b;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + Math.random() * (cap / 2)); // "equal jitter"
}

// Per-account rate limit of the send endpoints (ToS 10.3 iv: no disproportionate burden): a token
// bucket per account, in process. With several API processes each holds its own buckets, so the
// effective limit is per process — acceptable for a burden guard, not a billing quota.
import type { RequestHandler } from 'express';
import { principalOf } from './context';
import { Problem } from './errors';

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes one token; when none is left, the seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.clock();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 100_000) this.prune(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerSecond)) };
  }

  /** A full bucket carries no information: forgotten, so the map does not grow with accounts. */
  private prune(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(k);
    }
  }
}

/** 429 rate_limited with Retry-After once the account's bucket is empty. After `authenticate`. */
export function rateLimitPerAccount(buckets: TokenBuckets): RequestHandler {
  return (req, _res, next) => {
    const r = buckets.take(principalOf(req).accountId);
    if (!r.ok) {
      throw new Problem(
        429,
        'rate_limited',
        'Too many requests',
        `Send requests are limited per account; retry in ${r.retryAfterSeconds} s.`,
        { retryAfterSeconds: r.retryAfterSeconds },
        { 'Retry-After': String(r.retryAfterSeconds) },
      );
    }
    next();
  };
}

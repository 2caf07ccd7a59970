// Outgoing webhooks of the simulator (Twilio status callbacks, SendGrid events): a FIFO queue
// drained by at most `concurrency` POSTs over keep-alive connections, so callbacks never swamp
// the receiver or the simulator itself, each carrier's retry policy, and a batcher that packs
// SendGrid events into arrays.
import { Agent, request } from 'undici';
import type { CallbackBehaviour } from './config';

/** How a POST failed: a non-2xx answer, or no answer (no connection, or none read in time). */
type PostFailure = { status: number } | { error: 'connect' | 'read' };

/** Delay before the next attempt, or null to give up; `retries` made so far, `elapsedMs` since the first. */
export type RetryPolicy = (failure: PostFailure, retries: number, elapsedMs: number) => number | null;

/** SendGrid: any failure is retried, at increasing intervals, within the horizon (24 h by default). */
export function sendgridRetry(settings: () => CallbackBehaviour): RetryPolicy {
  return (_failure, retries, elapsedMs) => {
    const s = settings();
    const delay = Math.min(s.sendgridRetryMaxMs, s.sendgridRetryFirstMs * s.sendgridRetryFactor ** retries);
    return elapsedMs + delay <= s.sendgridRetryHorizonMs ? delay : null;
  };
}

const clamp = (v: string | null, min: number, max: number, fallback: number) => {
  const n = v === null || v.trim() === '' ? NaN : Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
};

/**
 * Twilio: only as the URL's connection overrides ask (`#rc=…&rp=…&tt=…&rt=…`, Twilio's ranges
 * and defaults: rc 0–5, default 1; rp among 4xx, 5xx, ct, rt, all, default ct,rt; tt 100–15000 ms,
 * default 15000); without a fragment a callback is posted once. `readTimeoutMs`: `rt`.
 */
export function twilioRetry(
  url: string,
  settings: () => CallbackBehaviour,
): { policy: RetryPolicy; readTimeoutMs: number } {
  const hash = url.indexOf('#');
  if (hash < 0) return { policy: () => null, readTimeoutMs: 15_000 };
  const o = new URLSearchParams(url.slice(hash + 1));
  const rc = clamp(o.get('rc'), 0, 5, 1);
  const tt = clamp(o.get('tt'), 100, 15_000, 15_000);
  const rp = new Set((o.get('rp') ?? 'ct,rt').split(',').map((p) => p.trim()));
  const matches = (f: PostFailure) =>
    rp.has('all') ||
    ('status' in f
      ? (f.status >= 400 && f.status < 500 && rp.has('4xx')) || (f.status >= 500 && rp.has('5xx'))
      : (f.error === 'connect' && rp.has('ct')) || (f.error === 'read' && rp.has('rt')));
  return {
    readTimeoutMs: clamp(o.get('rt'), 100, 15_000, 15_000),
    policy: (failure, retries, elapsedMs) => {
      const delay = settings().twilioRetryDelayMs;
      return retries < rc && matches(failure) && elapsedMs + delay <= tt ? delay : null;
    },
  };
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface WebhookJob {
  /** As the carrier was given it; the fragment (Twilio's overrides) is never sent. */
  url: string;
  body: string;
  /** Headers computed when the POST leaves (SendGrid signs with the current timestamp). */
  headers: () => Record<string, string>;
  /** Called once the webhook is settled (delivered, failed for good, or dropped). */
  onSettled?: () => void;
  retry: RetryPolicy;
  /** How long to wait for the answer's headers (default 10 s). */
  readTimeoutMs?: number;
}

interface QueuedJob extends WebhookJob {
  attempt: number;
  firstAt: number;
}

export type Later = (ms: number, fn: () => void) => void;

export class WebhookQueue {
  private queue: QueuedJob[] = [];
  private head = 0;
  private active = 0;
  private waitingRetry = 0;
  private closed = false;
  readonly agent: Agent;
  counters = { queued: 0, delivered: 0, failed: 0, dropped: 0, retried: 0 };

  constructor(
    private readonly settings: () => CallbackBehaviour,
    private readonly later: Later,
  ) {
    this.agent = new Agent({ connections: Math.max(1, settings().concurrency), keepAliveTimeout: 30_000 });
  }

  get pending(): number {
    return this.queue.length - this.head + this.active + this.waitingRetry;
  }

  push(job: WebhookJob): void {
    if (this.closed) return;
    if (this.pending >= this.settings().maxQueued) {
      this.counters.dropped += 1;
      job.onSettled?.();
      return;
    }
    this.counters.queued += 1;
    this.enqueue({ ...job, attempt: 0, firstAt: Date.now() });
  }

  private enqueue(job: QueuedJob): void {
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    const limit = Math.max(1, this.settings().concurrency);
    while (this.active < limit && this.head < this.queue.length) {
      const job = this.queue[this.head++];
      this.active += 1;
      void this.post(job).finally(() => {
        this.active -= 1;
        this.pump();
      });
    }
    // Drop the consumed prefix now and then instead of shift()ing every item.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private async post(job: QueuedJob): Promise<void> {
    let failure: PostFailure | null = null;
    try {
      const hash = job.url.indexOf('#');
      const response = await request(hash < 0 ? job.url : job.url.slice(0, hash), {
        method: 'POST',
        body: job.body,
        headers: job.headers(),
        dispatcher: this.agent,
        headersTimeout: job.readTimeoutMs ?? 10_000,
        bodyTimeout: job.readTimeoutMs ?? 10_000,
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode >= 300) failure = { status: response.statusCode };
    } catch (err) {
      // No connection (receiver down), or no answer in time / the connection dropped mid-request.
      failure = { error: CONNECT_ERRORS.has(String((err as { code?: unknown }).code)) ? 'connect' : 'read' };
    }
    if (this.closed) return;
    const delay = failure === null ? null : job.retry(failure, job.attempt, Date.now() - job.firstAt);
    if (failure === null) {
      this.counters.delivered += 1;
      job.onSettled?.();
    } else if (delay !== null) {
      this.counters.retried += 1;
      this.waitingRetry += 1;
      this.later(delay, () => {
        this.waitingRetry -= 1;
        this.enqueue({ ...job, attempt: job.attempt + 1 });
      });
    } else {
      this.counters.failed += 1;
      job.onSettled?.();
    }
  }

  /** Forgets waiting webhooks and counts (POSTs already in flight still complete). */
  clear(): void {
    this.queue = [];
    this.head = 0;
    this.waitingRetry = 0;
    this.counters = { queued: 0, delivered: 0, failed: 0, dropped: 0, retried: 0 };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clear();
    await this.agent.destroy();
  }
}

/** Packs JSON events into arrays of at most `eventBatchSize`, sent every `eventFlushMs`. */
export class EventBatcher {
  private buffer: object[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly settings: () => CallbackBehaviour,
    private readonly send: (batch: object[]) => void,
  ) {}

  get pending(): number {
    return this.buffer.length;
  }

  add(events: object[]): void {
    for (const event of events) this.buffer.push(event);
    if (this.buffer.length >= this.settings().eventBatchSize) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.settings().eventFlushMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const size = Math.max(1, this.settings().eventBatchSize);
    const events = this.buffer;
    this.buffer = [];
    for (let i = 0; i < events.length; i += size) this.send(events.slice(i, i + size));
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.buffer = [];
  }
}

/** Requests per second per key, counted in whole-second windows. */
export class RateWindows {
  private readonly windows = new Map<string, { second: number; count: number }>();

  take(key: string, limit: number, nowMs: number): { allowed: boolean; remaining: number; resetSeconds: number } {
    const second = Math.floor(nowMs / 1000);
    let window = this.windows.get(key);
    if (!window || window.second !== second) {
      window = { second, count: 0 };
      this.windows.set(key, window);
    }
    const allowed = window.count < limit;
    if (allowed) window.count += 1;
    return { allowed, remaining: Math.max(0, limit - window.count), resetSeconds: second + 1 };
  }

  clear(): void {
    this.windows.clear();
  }
}

// Outgoing webhooks of the simulator (Twilio status callbacks, SendGrid events): a FIFO queue
// drained by at most `concurrency` POSTs over keep-alive connections, so callbacks never swamp
// the receiver or the simulator itself, plus a batcher that packs SendGrid events into arrays.
import { Agent, request } from 'undici';
import type { CallbackBehaviour } from './config';

export interface WebhookJob {
  url: string;
  body: string;
  /** Headers computed when the POST leaves (SendGrid signs with the current timestamp). */
  headers: () => Record<string, string>;
  /** Called once the webhook is settled (delivered, failed for good, or dropped). */
  onSettled?: () => void;
}

interface QueuedJob extends WebhookJob {
  attempt: number;
}

export type Later = (ms: number, fn: () => void) => void;

export class WebhookQueue {
  private queue: QueuedJob[] = [];
  private head = 0;
  private active = 0;
  private waitingRetry = 0;
  private closed = false;
  readonly agent: Agent;
  counters = { queued: 0, delivered: 0, failed: 0, dropped: 0 };

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
    this.enqueue({ ...job, attempt: 0 });
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
    let ok = false;
    try {
      const response = await request(job.url, {
        method: 'POST',
        body: job.body,
        headers: job.headers(),
        dispatcher: this.agent,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await response.body.dump();
      ok = response.statusCode >= 200 && response.statusCode < 300;
    } catch {
      ok = false; // receiver down or unreachable: same as a refusal
    }
    if (this.closed) return;
    if (ok) {
      this.counters.delivered += 1;
      job.onSettled?.();
    } else if (job.attempt < this.settings().retries) {
      this.waitingRetry += 1;
      this.later(1000, () => {
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
    this.counters = { queued: 0, delivered: 0, failed: 0, dropped: 0 };
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

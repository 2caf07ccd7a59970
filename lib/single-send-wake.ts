// The wake-up of the single-send dispatchers: the API's transaction ends with
// `pg_notify('single_sends', '<lane>:<channel>')`, delivered on commit, and one LISTEN connection
// per send worker wakes the dispatch activities waiting on that key at once. A notification
// missed (connection lost, or sent between a claim and the wait) only costs the poll interval:
// the waits are bounded, and a generation per key lets a wait return at once when a
// notification came after the caller's last look.
import { Client } from 'pg';

export const SINGLE_SEND_CHANNEL = 'single_sends';

export const singleSendKey = (lane: string, channel: string) => `${lane}:${channel}`;

export class SingleSendWake {
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private readonly generations = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly connectionString: string) {}

  /** Notifications seen for `key` so far: pass it to wait() to not miss one in between. */
  generation(key: string): number {
    return this.generations.get(key) ?? 0;
  }

  /** Resolves on a notification for `key` after `since`, after `ms`, or on abort. */
  async wait(key: string, ms: number, since: number, signal?: AbortSignal): Promise<void> {
    await this.connect().catch(() => undefined); // unreachable: the poll interval still bounds it
    if (this.generation(key) !== since || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(key) ?? new Set<() => void>();
      this.waiters.set(key, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      set.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const c = new Client({ connectionString: this.connectionString });
      c.on('error', () => {
        if (this.client === c) this.client = null;
        void c.end().catch(() => undefined);
      });
      c.on('notification', (n) => {
        const key = n.payload ?? '';
        this.generations.set(key, this.generation(key) + 1);
        for (const w of [...(this.waiters.get(key) ?? [])]) w();
      });
      try {
        await c.connect();
        await c.query(`listen ${SINGLE_SEND_CHANNEL}`);
        this.client = c;
      } catch (err) {
        await c.end().catch(() => undefined);
        throw err;
      }
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }
}

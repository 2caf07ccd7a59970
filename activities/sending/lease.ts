// The lease of a page attempt on its messages, so that an attempt Temporal has given up on (its
// worker frozen past the heartbeat timeout: a GC pause, a VM freeze, a partition) cannot submit
// what the retry has reconciled and resubmitted. The mark (page-store.ts) leases the rows it
// marks to the attempt's token until now() + TTL by the database's clock; the attempt renews the
// lease every TTL/4 while it holds rows, and submits only while Date.now() is before its local
// deadline: the local time taken BEFORE the leasing statement was sent + TTL − margin. That
// deadline falls before the database's lease_until whatever the offset between the two clocks
// (only their rates matter, and they drift by ppm), so a retry that takes the rows over once
// lease_until < now() finds them out of the old attempt's hands. Reconciliation with the carrier
// runs only after that takeover. The window that remains is in docs/ARCHITECTURE.md.
import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { failure, FailureType } from '../../workflows/failures';
import { isBatch, scopeLabel, scopeWhere, type PageRow, type PageScope, type PageStore } from './page-store';

export type LeaseConfig = Pick<Config, 'SEND_LEASE_TTL_MS' | 'SEND_LEASE_MARGIN_MS'>;

/** How long a retry waits for another attempt's lease before it fails (and is retried later). */
const TAKEOVER_WAIT_TTLS = 4;

export class PageLease {
  /** Unique per activity attempt: a retry on the same worker is another owner. */
  readonly token: string;
  readonly ttlMs: number;
  private readonly marginMs: number;
  /** Local instant (Date.now()) before which this attempt may submit. */
  private deadline = -Infinity;
  /** The rows leased to this attempt whose outcome it has not written yet (renewed until it has). */
  private held = new Set<string>();
  /** Bumped by each acquisition: a renewal sent before it does not vouch for the new rows. */
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private renewing = false;
  private fencedBy: string | null = null;
  /** Rows the mark found 'submitting' under another token: a retry must take them over. */
  contended = 0;

  constructor(
    private readonly db: Knex,
    config: LeaseConfig,
    readonly input: PageScope,
    private readonly ctx: Context = Context.current(),
  ) {
    const { activityId, attempt } = ctx.info;
    this.token = `${activityId}:${attempt}:${randomBytes(6).toString('hex')}`;
    this.ttlMs = config.SEND_LEASE_TTL_MS;
    this.marginMs = config.SEND_LEASE_MARGIN_MS;
  }

  /** `ids` were leased by a statement sent at local time `sentAt`; they replace what was held. */
  acquired(ids: string[], sentAt: number): void {
    this.generation += 1;
    this.held = new Set(ids.map(String));
    this.deadline = sentAt + this.ttlMs - this.marginMs;
    if (!this.timer && !this.fencedBy) this.timer = setInterval(() => void this.renew(), this.ttlMs / 4);
  }

  /** The row is resolved (answered, or given up): it needs no lease any more. */
  release(id: string): void {
    this.held.delete(String(id));
  }

  /** Asked immediately before every carrier submission. A refusal is final for this attempt. */
  allows(): boolean {
    if (this.fencedBy) return false;
    const lateMs = Date.now() - this.deadline;
    if (lateMs < 0) return true;
    this.fence('lease expired', { lateMs });
    return false;
  }

  get fenced(): boolean {
    return this.fencedBy !== null;
  }

  /** The retryable failure of a fenced attempt; its messages stay 'submitting' for the next one. */
  failure(): ApplicationFailure {
    return failure(FailureType.PageFenced, `${scopeLabel(this.input)} attempt fenced: ${this.fencedBy}`, {
      retryable: true,
    });
  }

  /** At the end of a page: rows left to another token (a stale attempt) need a retry's takeover. */
  assertUncontended(): void {
    if (this.contended === 0) return;
    const detail = `${this.contended} messages of ${scopeLabel(this.input)} marked by another attempt`;
    throw failure(FailureType.PageLeased, detail, { retryable: true });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Moves the lease (and the local deadline, measured the same conservative way) forward. */
  private async renew(): Promise<void> {
    if (this.renewing || this.fencedBy || this.held.size === 0) return;
    const ids = [...this.held];
    const generation = this.generation;
    const sentAt = Date.now();
    this.renewing = true;
    try {
      // Not limited to 'submitting': a webhook may have moved a message already sent on. Only a
      // takeover changes lease_owner, so fewer rows than held means another attempt took some.
      const res = await this.db.raw(
        `update messages set lease_until = now() + ? * interval '1 millisecond'
          where id = any(?::bigint[]) and lease_owner = ?`,
        [this.ttlMs, ids, this.token],
      );
      if (this.fencedBy) return;
      if ((res.rowCount ?? 0) < ids.length) this.fence('lease lost', { held: ids.length, renewed: res.rowCount });
      else if (generation === this.generation)
        this.deadline = Math.max(this.deadline, sentAt + this.ttlMs - this.marginMs);
    } catch (err) {
      if (!this.fencedBy) this.fence('lease renewal failed', { error: (err as Error).message });
    } finally {
      this.renewing = false;
    }
  }

  private fence(reason: string, detail: Record<string, unknown>): void {
    this.fencedBy = reason;
    this.stop();
    // One line per page attempt: the first refusal fences it for good.
    this.ctx.log.warn(`page attempt fenced: ${reason}`, {
      ...this.logFields(),
      attempt: this.ctx.info.attempt,
      token: this.token,
      ...detail,
    });
  }

  /** A page's fields as before; a batch by its id and size (not its ids). */
  logFields(): Record<string, unknown> {
    const s = this.input;
    return isBatch(s) ? { batchId: s.batchId, messages: s.ids.length } : { ...s };
  }

  /**
   * Takes over the page's rows left 'submitting' by another attempt, each once its lease has
   * expired by the database's clock, sleeping (the activity heartbeats meanwhile) until the
   * latest lease_until has passed; bounded, then a retryable failure. On return no row of the
   * page is 'submitting' under another owner's lease.
   */
  async takeOver(): Promise<void> {
    const where = scopeWhere(this.input);
    const end = Date.now() + TAKEOVER_WAIT_TTLS * this.ttlMs;
    let waited = false;
    for (;;) {
      const sentAt = Date.now();
      const { rows: taken } = await this.db.raw(
        `update messages set lease_owner = ?, lease_until = now() + ? * interval '1 millisecond'
          where ${where.sql} and status = 'submitting'
            and (lease_until is null or lease_until < now() or lease_owner = ?)
          returning id`,
        [this.token, this.ttlMs, ...where.bindings, this.token],
      );
      this.acquired(
        (taken as { id: string }[]).map((r) => r.id),
        sentAt,
      );
      const {
        rows: [left],
      } = await this.db.raw(
        `select count(*)::int as n, ceil(extract(epoch from max(lease_until) - now()) * 1000)::int as ms
           from messages where ${where.sql} and status = 'submitting'
            and lease_owner is distinct from ?`,
        [...where.bindings, this.token],
      );
      if (left.n === 0) return;
      const remaining = end - Date.now();
      if (remaining <= 0) {
        const detail = `${left.n} messages of ${scopeLabel(this.input)} still leased by another attempt`;
        throw failure(FailureType.PageLeased, detail, { retryable: true });
      }
      if (!waited)
        this.ctx.log.info('page waits for a lease', { ...this.logFields(), leased: left.n, waitMs: left.ms });
      waited = true;
      await this.ctx.sleep(Math.min(Math.max(Number(left.ms ?? 0), 0) + 10, remaining));
    }
  }
}

/**
 * The page's actionable rows, after taking over (once their leases expired) those another attempt
 * left 'submitting', re-read so that what that attempt wrote meanwhile is seen.
 */
export async function loadLeased(lease: PageLease, store: PageStore): Promise<{ rows: PageRow[]; skipped: number }> {
  const loaded = await store.loadPage(lease.input);
  if (!loaded.rows.some((r) => r.status === 'submitting')) return loaded;
  await lease.takeOver();
  return store.loadPage(lease.input);
}

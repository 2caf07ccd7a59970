// Delivery of outbound webhooks (docs/webhooks.md), one activity run by an endpoint's dispatcher
// workflow (workflows/webhook-dispatch.ts): claims the endpoint's due events by a lease
// (`for update skip locked`: the window's activities never share one), posts them signed
// (Standard Webhooks), 16 at a time, and writes every attempt and each event's next state in one
// statement. 2xx delivered; 410 disables the endpoint; anything else, or no answer, waits for
// the next step of the schedule (domain/webhook-schedule.ts); an event whose schedule is spent with
// no success of the endpoint since its first attempt disables the endpoint, and the account's
// owners are e-mailed. Time: the workflow's clock (`at`), so that time skipping moves the schedule.
import { heartbeat } from '@temporalio/activity';
import { isIP } from 'node:net';
import type { Knex } from 'knex';
import { Agent, request } from 'undici';
import type { Config } from '../lib/config';
import { webhookRetryDelayMs } from '../domain/webhook-schedule';
import { webhookHeaders } from '../lib/webhooks/signature';
import { addressRefusal, guardedLookup } from '../lib/webhooks/url-guard';
import type { Mailer } from './mailer';

export interface DeliverInput {
  endpointId: string;
  generation: number;
  /** The workflow's clock (ms since the epoch) when it scheduled this activity. */
  at: number;
  /** How long to wait for a first due event (default 10 s). */
  idleMs?: number;
  batchSize?: number;
}

export interface DeliverResult {
  attempted: number;
  delivered: number;
  /** The dispatcher stops: the endpoint is disabled or deleted, or a newer generation runs. */
  stop: boolean;
  /** The earliest next attempt of the endpoint's pending events (when nothing was due). */
  nextDueAt: string | null;
}

interface Claimed {
  id: string;
  event_id: string;
  retry_index: number;
  first_attempt_at: Date;
  payload: { id: string; type: string; created_at: string; account_id: string; data: unknown };
}

interface Attempt {
  id: string;
  code: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
  at: Date;
  outcome: 'delivered' | 'retry' | 'failed' | 'gone';
  nextAt: Date | null;
}

const EXCERPT = 512;
const PARALLEL = 16;
const LEASE_S = 120;

export function createWebhookActivities(deps: {
  db: Knex;
  config: Pick<Config, 'WEBHOOK_ALLOW_LOOPBACK' | 'WEBHOOK_TIMEOUT_MS' | 'WEBHOOK_BATCH_SIZE'>;
  mailer: Mailer;
}) {
  const { db, config, mailer } = deps;
  const agent = new Agent({
    connections: 64,
    headersTimeout: config.WEBHOOK_TIMEOUT_MS,
    bodyTimeout: config.WEBHOOK_TIMEOUT_MS,
    connect: { timeout: config.WEBHOOK_TIMEOUT_MS, lookup: guardedLookup(config.WEBHOOK_ALLOW_LOOPBACK) },
  });

  async function claim(endpointId: string, now: Date, limit: number): Promise<Claimed[]> {
    const { rows } = await db.raw(
      `update webhook_events w set claimed_until = now() + interval '${LEASE_S} seconds',
              first_attempt_at = coalesce(w.first_attempt_at, ?)
        where w.id in (select id from webhook_events
                        where endpoint_id = ? and status = 'pending' and next_attempt_at <= ?
                          and (claimed_until is null or claimed_until < now())
                        order by next_attempt_at, id limit ? for update skip locked)
        returning w.id, w.event_id, w.retry_index, w.first_attempt_at, w.payload`,
      [now, endpointId, now, limit],
    );
    return rows as Claimed[];
  }

  async function post(
    url: URL,
    headers: Record<string, string>,
    body: string,
    at: Date,
  ): Promise<Omit<Attempt, 'id' | 'outcome' | 'nextAt'>> {
    const t0 = performance.now();
    const done = (code: number | null, excerpt: string | null, error: string | null) => ({
      code,
      excerpt,
      error,
      at,
      latencyMs: Math.round(performance.now() - t0),
    });
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address is never looked up: checked here; a name is checked by guardedLookup.
    const refused = isIP(host) ? addressRefusal(host, config.WEBHOOK_ALLOW_LOOPBACK) : null;
    if (refused) return done(null, null, `target refused: ${refused}`);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'Tentacle-Webhooks/1', ...headers },
        body,
      });
      let excerpt = '';
      for await (const chunk of res.body) {
        excerpt += (chunk as Buffer).toString('utf8');
        if (excerpt.length >= EXCERPT) {
          res.body.destroy();
          break;
        }
      }
      return done(res.statusCode, excerpt.slice(0, EXCERPT).replace(/\u0000/g, '\ufffd'), null); // PostgreSQL text holds no NUL
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const timeout = /TIMEOUT/.test(e.code ?? '');
      return done(null, null, timeout ? 'timeout' : `${e.code ?? 'error'}: ${e.message ?? ''}`.slice(0, 200));
    }
  }

  async function record(endpointId: string, attempts: Attempt[]): Promise<void> {
    const col = <K extends keyof Attempt>(k: K) => attempts.map((a) => a[k]);
    await db.raw(
      `with r as (select * from unnest(?::bigint[], ?::int[], ?::int[], ?::text[], ?::text[], ?::timestamptz[],
                                       ?::text[], ?::timestamptz[])
                    as r(id, code, latency, excerpt, err, at, outcome, next_at)),
       a as (insert into webhook_attempts (event_row_id, endpoint_id, attempted_at, status_code, latency_ms,
                                           response_excerpt, error)
             select id, ?, at, code, latency, excerpt, err from r)
       update webhook_events w set
         status = case r.outcome when 'delivered' then 'delivered' when 'failed' then 'failed' else 'pending' end,
         attempts = w.attempts + 1,
         retry_index = case when r.outcome = 'retry' then w.retry_index + 1 else w.retry_index end,
         next_attempt_at = coalesce(r.next_at, w.next_attempt_at),
         claimed_until = null,
         delivered_at = case when r.outcome = 'delivered' then now() else w.delivered_at end,
         last_status = r.code
       from r where w.id = r.id`,
      [
        col('id'),
        col('code'),
        col('latencyMs'),
        col('excerpt'),
        col('error'),
        col('at'),
        col('outcome'),
        col('nextAt'),
        endpointId,
      ],
    );
  }

  /** Disables the endpoint (once) and tells the account's owners, once per generation. */
  async function disable(endpointId: string, generation: number, reason: string): Promise<void> {
    const [ep] = await db('webhook_endpoints')
      .where({ id: endpointId, generation })
      .update({ enabled: false, disabled_reason: reason, disabled_at: db.fn.now(), updated_at: db.fn.now() })
      .returning(['account_id', 'url', 'description']);
    const row =
      ep ?? (await db('webhook_endpoints').where({ id: endpointId }).first('account_id', 'url', 'description'));
    if (!row) return;
    const noticeKey = `webhook-disabled:${endpointId}:${generation}`;
    if (await db('platform_emails').where({ notice_key: noticeKey }).first('notice_key')) return;
    const owners = await db('members')
      .where({ account_id: row.account_id, role: 'owner' })
      .whereNull('disabled_at')
      .pluck('email');
    if (owners.length === 0) return;
    const origin = new URL(row.url).origin; // never the path or query: they may carry a customer's token
    await mailer.send({
      to: owners,
      subject: 'A webhook endpoint of your account was disabled',
      text:
        `Your webhook endpoint ${endpointId} (${origin}${row.description ? `, ${row.description}` : ''}) ` +
        `was disabled: ${reason}. Events are kept: enable it again (PATCH /v1/webhook-endpoints/${endpointId}) ` +
        'and redeliver what failed (POST …/redeliver).',
      accountId: row.account_id,
      noticeKey,
    });
  }

  return {
    async deliverWebhooks(input: DeliverInput): Promise<DeliverResult> {
      const current = await db('webhook_endpoints').where({ id: input.endpointId }).first();
      if (!current || !current.enabled || current.deleted_at || current.generation !== input.generation)
        return { attempted: 0, delivered: 0, stop: true, nextDueAt: null };
      const started = Date.now();
      const clock = () => new Date(Math.max(input.at + (Date.now() - started), Date.now()));
      const limit = input.batchSize ?? config.WEBHOOK_BATCH_SIZE;
      let claimed = await claim(input.endpointId, clock(), limit);
      while (claimed.length === 0 && Date.now() - started < (input.idleMs ?? 10_000)) {
        heartbeat();
        await new Promise((r) => setTimeout(r, Math.min(250, input.idleMs ?? 250)));
        claimed = await claim(input.endpointId, clock(), limit);
      }
      if (claimed.length === 0) {
        const next = await db('webhook_events')
          .where({ endpoint_id: input.endpointId, status: 'pending' })
          .min({ at: 'next_attempt_at' })
          .first();
        return {
          attempted: 0,
          delivered: 0,
          stop: false,
          nextDueAt: next?.at ? new Date(next.at).toISOString() : null,
        };
      }
      const now = clock();
      // Read again after the wait: a rotation or a new URL applies to what is posted from now on.
      const ep = await db('webhook_endpoints').where({ id: input.endpointId }).first();
      const secrets = [ep.secret as string];
      if (ep.previous_secret && ep.previous_secret_until && new Date(ep.previous_secret_until) > new Date())
        secrets.push(ep.previous_secret as string);
      const url = new URL(ep.url as string);
      const attempts: Attempt[] = [];
      let next = 0;
      const lane = async () => {
        while (next < claimed.length) {
          const ev = claimed[next++];
          const p = ev.payload;
          const body = JSON.stringify({
            id: p.id,
            type: p.type,
            created_at: p.created_at,
            account_id: p.account_id,
            data: p.data,
          });
          const ts = Math.floor(Date.now() / 1000); // the receiver's tolerance is about real time
          const r = await post(url, webhookHeaders(secrets, ev.event_id, ts, body), body, clock());
          const ok = r.code !== null && r.code >= 200 && r.code < 300;
          const delay = ok || r.code === 410 ? null : webhookRetryDelayMs(ev.retry_index, Math.random());
          attempts.push({
            id: ev.id,
            ...r,
            outcome: ok ? 'delivered' : r.code === 410 ? 'gone' : delay === null ? 'failed' : 'retry',
            nextAt: delay === null ? null : new Date(now.getTime() + delay),
          });
          heartbeat();
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, lane));
      await record(input.endpointId, attempts);
      const delivered = attempts.filter((a) => a.outcome === 'delivered').length;
      if (delivered > 0) await db('webhook_endpoints').where({ id: input.endpointId }).update({ last_success_at: now });
      let stop = false;
      if (attempts.some((a) => a.outcome === 'gone')) {
        await disable(input.endpointId, input.generation, 'the endpoint answered 410 Gone');
        stop = true;
      } else {
        const spent = claimed.filter((c) => attempts.find((a) => a.id === c.id)?.outcome === 'failed');
        const since = Math.min(...spent.map((c) => new Date(c.first_attempt_at).getTime()));
        const lastOk = delivered > 0 ? now.getTime() : ep.last_success_at ? new Date(ep.last_success_at).getTime() : 0;
        if (spent.length > 0 && lastOk < since) {
          await disable(input.endpointId, input.generation, 'every delivery failed for the whole retry schedule');
          stop = true;
        }
      }
      return { attempted: attempts.length, delivered, stop, nextDueAt: null };
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;

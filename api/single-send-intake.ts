// Group commit of single sends (ToS 6.1, 6.2): POST /v1/messages hands its checked request to the
// intake, which commits whatever requests are waiting in ONE transaction: the lone request of a
// quiet moment at once (a batch of one), and under load the requests that arrived while the
// previous commits ran. Per batch, not per message: the price list, the accounts, the suppressions
// and each account's balance row are read once, and orders, campaigns, messages, queue rows and
// ledger entries are written by one statement each. Each request still gets its own answer: a 422
// or a 402 refuses that request only, and nothing of it is written. A batch that fails as a whole
// (a database error) is retried request by request, so one request cannot fail the others.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import { InsufficientBalanceError, lockBalances } from '../lib/ledger';
import { applyReservations, planReservations, type PlannedReservation } from '../lib/ledger-reservations';
import { createOrders, loadPriceList, priceQuote, priceTableOf, type OrderRow, type StoredQuote } from '../lib/orders';
import { SINGLE_SEND_CHANNEL, singleSendKey } from '../lib/single-send-wake';
import { Refused, MicroBatcher } from '../lib/micro-batch';
import { conflict, Problem, unprocessable } from './errors';
import { createRowValidator, type RowOutcome } from './recipient-rows';
import { insufficient } from './sending-common';

export interface SingleSendRequest {
  accountId: string;
  /** The Idempotency-Key, when given: a second request with it replays the first answer. */
  key?: string;
  requestHash: string;
  channel: 'sms' | 'email';
  purpose: 'marketing' | 'transactional';
  to: string;
  body: string;
  subject?: string;
  sender: string;
  vars: Record<string, unknown>;
}

export interface SingleSendAnswer {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

/** A request in the batch; `fail` marks it refused (a Problem), `answer` answered. */
interface Pending {
  req: SingleSendRequest;
  outcome?: SingleSendAnswer | Refused;
}

type Accepted = Pending & {
  row: Extract<RowOutcome, { ok: true }>;
  quote: StoredQuote;
  orderId: string;
  order?: OrderRow;
  messageId?: string;
  planned?: PlannedReservation;
};

const REJECTIONS = {
  invalid_phone: 'not a valid phone number',
  invalid_email: 'not a valid e-mail address',
  missing_variable: 'missing variables',
  malformed_row: 'malformed',
  no_price: 'no price for this destination',
};

function rejection(to: string, row: Extract<RowOutcome, { ok: false }>): Problem {
  const detail = row.missing ? `missing variables: ${row.missing.join(', ')}` : REJECTIONS[row.reason];
  return unprocessable(row.reason, `Recipient "${to}": ${detail}.`, row.missing ? { missing: row.missing } : {});
}

/** Requests waiting for a batch beyond which new ones are refused (four batches' worth). */
const MAX_WAITING = 1_000;

export class SingleSendIntake {
  private readonly batcher: MicroBatcher<SingleSendRequest, SingleSendAnswer>;

  constructor(
    private readonly db: Knex,
    private readonly config: Pick<Config, 'SMS_OPT_OUT_MENTION'>,
    private readonly lane: string,
    private readonly now: () => Date,
  ) {
    // Two transactions in flight: the next batch gathers while they commit. A batch that fails as
    // a whole (a database error) is run again request by request.
    this.batcher = new MicroBatcher((reqs) => this.commit(reqs), {
      maxItems: 250,
      maxInFlight: 2,
      isolateFailures: true,
    });
  }

  /**
   * Past MAX_WAITING requests waiting, a send is refused at once (503 intake_busy, Retry-After: 1)
   * rather than queued past any client's timeout: overload slows nobody who was admitted.
   */
  submit(req: SingleSendRequest): Promise<SingleSendAnswer> {
    if (this.batcher.waiting >= MAX_WAITING)
      return Promise.reject(
        new Problem(
          503,
          'intake_busy',
          'Too many sends at once',
          'The platform is taking more sends than it can commit; retry in a second.',
          {},
          { 'Retry-After': '1' },
        ),
      );
    return this.batcher.add(req);
  }

  private async commit(reqs: SingleSendRequest[]): Promise<(SingleSendAnswer | Refused)[]> {
    // A second request with the same key waits for the first's commit, then replays its answer.
    const seen = new Set<string>();
    const first: Pending[] = [];
    const again: number[] = [];
    reqs.forEach((req, n) => {
      const k = req.key === undefined ? null : `${req.accountId}\n${req.key}`;
      if (k !== null && seen.has(k)) again.push(n);
      else {
        if (k !== null) seen.add(k);
        first.push({ req });
      }
    });
    await this.commitFirst(first);
    const replays = again.length > 0 ? await this.commit(again.map((n) => reqs[n])) : [];
    let [f, a] = [0, 0];
    return reqs.map((_, n) => (again.includes(n) ? replays[a++] : first[f++].outcome!));
  }

  private async commitFirst(batch: Pending[]): Promise<void> {
    const { db } = this;
    const at = this.now();
    const accountIds = [...new Set(batch.map((p) => p.req.accountId))];
    const [list, accounts] = await Promise.all([
      loadPriceList(db, at),
      db('accounts').whereIn('id', accountIds).select('id', 'country', 'formula'),
    ]);
    const prices = priceTableOf(list);
    const accountOf = new Map(accounts.map((a) => [a.id as string, a]));
    const valid: Accepted[] = [];
    for (const p of batch) {
      const { req } = p;
      const row = createRowValidator({
        channel: req.channel,
        purpose: req.purpose,
        template: req.body,
        subject: req.subject ?? null,
        defaultCountry: accountOf.get(req.accountId)?.country ?? 'FR',
        optOutMention: this.config.SMS_OPT_OUT_MENTION,
        prices,
      })(req.to, req.vars);
      if (!row.ok) {
        p.outcome = new Refused(rejection(req.to, row));
        continue;
      }
      const lines = [{ country: row.country ?? '*', segments: row.segments, quantity: 1 }];
      const quote = priceQuote(list, { channel: req.channel, lines, at });
      valid.push(Object.assign(p, { row, quote, orderId: randomUUID() }));
    }
    const suppressed = await this.suppressed(valid);
    const accepted = valid.filter((a) => {
      const reason = suppressed.get(`${a.req.accountId}|${a.req.channel}|${a.row.recipient}`);
      if (reason === undefined) return true;
      const detail = `${a.row.recipient} is on this account's suppression list (${reason}).`;
      a.outcome = new Refused(unprocessable('recipient_suppressed', detail, { reason }));
      return false;
    });
    if (accepted.length > 0) await db.transaction((trx) => this.write(trx, accepted, accountOf, at));
  }

  /** (account|channel|address) → reason, for the batch's recipients on their account's list. */
  private async suppressed(items: Accepted[]): Promise<Map<string, string>> {
    if (items.length === 0) return new Map();
    const { rows } = await this.db.raw(
      `select s.account_id, s.channel, s.address, s.reason from suppressions s
         join unnest(?::uuid[], ?::text[], ?::text[]) as v(a, c, r)
           on s.account_id = v.a and s.channel = v.c and s.address = v.r`,
      [items.map((i) => i.req.accountId), items.map((i) => i.req.channel), items.map((i) => i.row.recipient)],
    );
    return new Map(
      (rows as { account_id: string; channel: string; address: string; reason: string }[]).map((r) => [
        `${r.account_id}|${r.channel}|${r.address}`,
        r.reason,
      ]),
    );
  }

  /** The batch's transaction: sets each request's outcome. */
  private async write(
    trx: Knex.Transaction,
    items: Accepted[],
    accountOf: Map<string, { formula: 'subscription' | 'pack' }>,
    at: Date,
  ): Promise<void> {
    // Keys first: a concurrent request with the same key (another batch, another API process)
    // waits here until that one commits, then its key is found and its answer replayed.
    // In (account, key) order, so that two batches sharing keys never wait on each other in a cycle.
    const keyed = items
      .filter((i) => i.req.key !== undefined)
      .sort((a, b) => (a.req.accountId + '\n' + a.req.key < b.req.accountId + '\n' + b.req.key ? -1 : 1));
    const claimed = new Set<string>();
    if (keyed.length > 0) {
      const { rows } = await trx.raw(
        `insert into idempotency_keys (account_id, key, request_hash, status_code, response, order_id)
         select a, k, h, 202, '{}'::jsonb, o from unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[]) as v(a, k, h, o)
         on conflict (account_id, key) do nothing returning account_id, key`,
        [
          keyed.map((i) => i.req.accountId),
          keyed.map((i) => i.req.key),
          keyed.map((i) => i.req.requestHash),
          keyed.map((i) => i.orderId),
        ],
      );
      for (const r of rows as { account_id: string; key: string }[]) claimed.add(`${r.account_id}\n${r.key}`);
      const replays = keyed.filter((i) => !claimed.has(`${i.req.accountId}\n${i.req.key}`));
      if (replays.length > 0) {
        const stored = await trx('idempotency_keys').whereIn(
          ['account_id', 'key'],
          replays.map((i) => [i.req.accountId, i.req.key!]),
        );
        const byKey = new Map(stored.map((s) => [`${s.account_id}\n${s.key}`, s]));
        for (const i of replays) {
          const s = byKey.get(`${i.req.accountId}\n${i.req.key}`)!;
          i.outcome =
            s.request_hash !== i.req.requestHash
              ? new Refused(
                  conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request.'),
                )
              : { status: s.status_code, body: s.response, replayed: true };
        }
      }
    }
    const fresh = items.filter((i) => i.req.key === undefined || claimed.has(`${i.req.accountId}\n${i.req.key}`));
    if (fresh.length === 0) return;
    // Written first, the balance rows locked last: every send of an account waits on its balance
    // row, so it is held only for the reservation and the commit. A refusal's rows are removed.
    await this.insert(trx, fresh, at);
    // 7.1.1 / 7.1.2: each account's new orders are charged in arrival order on its balance.
    const balances = await lockBalances(
      trx,
      fresh.map((i) => i.req.accountId),
    );
    const charged: Accepted[] = [];
    const refused: Accepted[] = [];
    for (const [accountId, bal] of balances) {
      const mine = fresh.filter((i) => i.req.accountId === accountId);
      const plans = planReservations(
        accountOf.get(accountId)!.formula,
        bal.availableE4,
        mine.map((i) => ({ accountId, orderId: i.orderId, amountE4: i.quote.totalE4 })),
      );
      mine.forEach((item, n) => {
        const plan = plans[n];
        if (plan instanceof InsufficientBalanceError) {
          item.outcome = new Refused(insufficient(plan));
          refused.push(item);
        } else charged.push(Object.assign(item, { planned: plan }));
      });
    }
    if (refused.length > 0) await this.remove(trx, refused);
    await applyReservations(
      trx,
      charged.map((i) => i.planned!),
    );
    await this.answer(trx, charged);
  }

  /** A refused request leaves nothing: its rows go, its key stays free for a retry once funded. */
  private async remove(trx: Knex.Transaction, items: Accepted[]): Promise<void> {
    const orderIds = items.map((i) => i.orderId);
    await trx('single_sends').whereIn('order_id', orderIds).delete();
    await trx('messages').whereIn('order_id', orderIds).delete();
    await trx('campaigns').whereIn('order_id', orderIds).delete();
    await trx('orders').whereIn('id', orderIds).delete();
    const keyed = items.filter((i) => i.req.key !== undefined);
    if (keyed.length > 0)
      await trx('idempotency_keys')
        .whereIn(
          ['account_id', 'key'],
          keyed.map((i) => [i.req.accountId, i.req.key!]),
        )
        .delete();
  }

  /** Orders, campaigns, messages and queue rows of the requests (their reservation comes after). */
  private async insert(trx: Knex.Transaction, items: Accepted[], at: Date): Promise<void> {
    const orders = await createOrders(
      trx,
      items.map((i) => ({
        id: i.orderId,
        accountId: i.req.accountId,
        kind: 'single',
        channel: i.req.channel,
        quote: i.quote,
      })),
    );
    await trx('campaigns').insert(
      items.map((i) => ({
        order_id: i.orderId,
        account_id: i.req.accountId,
        kind: 'single',
        channel: i.req.channel,
        purpose: i.req.purpose,
        sender: i.req.sender,
        subject: i.req.subject ?? null,
        template: i.req.body,
        status: 'running',
        total: 1,
        started_at: at,
        priced_at: at,
        price_list_version: i.quote.priceListVersion,
      })),
    );
    const messages = await trx('messages')
      .insert(
        items.map((i) => ({
          order_id: i.orderId,
          seq: 1,
          account_id: i.req.accountId,
          channel: i.req.channel,
          recipient: i.row.recipient,
          country: i.row.country,
          vars: JSON.stringify(i.row.vars),
          status: 'queued',
          segments: i.row.segments,
          price_e4: i.quote.lines[0].amountE4,
        })),
      )
      .returning(['id', 'order_id']);
    const messageOf = new Map(messages.map((m) => [m.order_id as string, String(m.id)]));
    await trx('single_sends').insert(
      items.map((i) => ({
        message_id: messageOf.get(i.orderId),
        order_id: i.orderId,
        account_id: i.req.accountId,
        channel: i.req.channel,
        lane: this.lane,
      })),
    );
    items.forEach((i, n) => {
      i.order = orders[n];
      i.messageId = messageOf.get(i.orderId)!;
    });
  }

  /** The answers of the charged requests, stored with their Idempotency-Key; the dispatcher woken. */
  private async answer(trx: Knex.Transaction, items: Accepted[]): Promise<void> {
    items.forEach((i) => {
      const order = i.order!;
      const body = {
        id: i.messageId,
        orderId: i.orderId,
        status: 'queued',
        channel: i.req.channel,
        to: i.row.recipient,
        country: i.row.country,
        sender: i.req.sender,
        segments: i.row.segments,
        priceE4: i.quote.lines[0].amountE4,
        order: {
          totalE4: order.totalE4,
          totalCents: order.totalCents,
          reservedE4: i.planned!.reservedE4,
          overageE4: i.planned!.overageE4,
          priceListVersion: i.quote.priceListVersion,
        },
      };
      i.outcome = { status: 202, body, replayed: false };
    });
    const keyed = items.filter((i) => i.req.key !== undefined);
    if (keyed.length > 0) {
      await trx.raw(
        `update idempotency_keys k set response = v.r from unnest(?::uuid[], ?::text[], ?::jsonb[]) as v(a, k, r)
          where k.account_id = v.a and k.key = v.k`,
        [
          keyed.map((i) => i.req.accountId),
          keyed.map((i) => i.req.key),
          keyed.map((i) => JSON.stringify((i.outcome as SingleSendAnswer).body)),
        ],
      );
    }
    for (const channel of new Set(items.map((i) => i.req.channel))) {
      await trx.raw('select pg_notify(?, ?)', [SINGLE_SEND_CHANNEL, singleSendKey(this.lane, channel)]);
    }
  }
}

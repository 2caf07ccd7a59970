// Customer billing routes (ToS 7): balance and ledger, quotes and orders, invoices (list,
// detail, printable document, Factur-X CII XML), payments, disputes (7.3, in writing through the
// API), Pack purchase (7.1.2). Every route is scoped to the caller's own account.
import { Router } from 'express';
import { z } from 'zod';
import { isDeemedAccepted } from '../domain/dispute-window';
import { draftLines, packPurchaseLines } from '../domain/billing-cycle';
import { durationWords } from '../domain/duration-wording';
import { balanceOf, entryView } from '../lib/ledger-views';
import { getOrder, orderView, quoteOrder, QuoteError } from '../lib/orders';
import { issueInvoice } from '../lib/invoices';
import { getInvoice, renderInvoice, type InvoiceView } from '../lib/invoices-documents';
import { invoicePaymentState } from '../lib/invoices-payment-state';
import { loadPolicy } from '../lib/terms';
import { paymentView } from '../lib/payments';
import { audit } from '../lib/audit';
import { enqueueInvoiceWorkflow, fileInvoiceDispute } from '../lib/workflow-clients/invoice';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import type { DisputeResult } from '../workflows/billing-messages';
import { PriceNotFoundError } from '../domain/price-list';
import type { ApiDeps } from './context';
import { principalOf } from './context';
import { authenticate } from './auth';
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { conflict, notFound, Problem, unprocessable } from './errors';
import { describeBillingRoutes } from './openapi/billing';
import type { DbRow } from '../lib/db';
import { keysetPage, pageQueryShape, type Keyset } from './pagination';

/** The Packs on sale (7.1.2): price excl. VAT = amount credited. */
const PACKS: Readonly<Record<string, { name: string; priceCents: number }>> = {
  'pack-100': { name: '100 €', priceCents: 10_000 },
  'pack-500': { name: '500 €', priceCents: 50_000 },
  'pack-2000': { name: '2 000 €', priceCents: 200_000 },
};

const uuid = z.uuid();
/**
 * Every billing list: a keyset page (api/pagination.ts), no filter.
 * @public The route's schema, for the OpenAPI document.
 */
export const billingListQuery = z.strictObject(pageQueryShape);
const keyset = (list: string, sort: string, direction: 'asc' | 'desc'): Keyset => ({
  list,
  sort,
  sortType: sort === 'id' ? 'bigint' : 'timestamp',
  id: 'id',
  idType: sort === 'id' ? 'bigint' : 'uuid',
  direction,
});
/** The ledger reads as a statement, oldest entry first; the others newest first. */
const LEDGER = keyset('ledger', 'id', 'asc');
const ORDERS = keyset('orders', 'created_at', 'desc');
const INVOICES = keyset('invoices', 'issued_at', 'desc');
const PAYMENTS = keyset('payments', 'received_at', 'desc');
export const quoteSchema = z.strictObject({
  channel: z.enum(['sms', 'email']),
  lines: z
    .array(
      z.strictObject({
        country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, upper case'),
        segments: z.number().int().min(1).max(100).default(1),
        quantity: z.number().int().min(1).max(10_000_000),
      }),
    )
    .min(1)
    .max(300),
});
export const disputeSchema = z.strictObject({
  reason: z.string().trim().min(10, 'state what is disputed (at least 10 characters)').max(5000),
});
export const documentQuery = z.strictObject({ format: z.enum(['html', 'xml']).default('html') });
export const packSchema = z.strictObject({ pack: z.enum(Object.keys(PACKS) as [string, ...string[]]) });

export async function invoiceWithPayment(db: ApiDeps['db'], inv: InvoiceView) {
  return { ...inv, payment: inv.kind === 'invoice' ? await invoicePaymentState(db, inv.id) : null };
}

export function billingRouter(deps: ApiDeps): Router {
  describeBillingRoutes(); // api/openapi/billing.ts
  const r = Router();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const auth = authenticate(deps);
  const actorOf = (p: ReturnType<typeof principalOf>) => ({
    actorType: p.via === 'session' ? ('member' as const) : ('api_key' as const),
    actorId: p.memberId ?? p.apiKeyId,
  });

  async function ownInvoice(accountId: string, id: string): Promise<InvoiceView> {
    const parsed = uuid.safeParse(id);
    const inv = parsed.success ? await getInvoice(db, parsed.data, accountId) : null;
    if (!inv) throw notFound('invoice');
    return inv;
  }

  r.get('/v1/billing/balance', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    res.json(await balanceOf(db, accountId));
  });

  r.get('/v1/billing/ledger', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = billingListQuery.parse(req.query);
    const query = db('ledger_entries').where({ account_id: accountId }).select('*');
    const { items, nextCursor } = await keysetPage(db, query, LEDGER, q, entryView);
    res.json({ entries: items, balance: await balanceOf(db, accountId), nextCursor });
  });

  // A price quote at today's price list, without placing an Order.
  r.post('/v1/billing/quotes', auth, requireRole(...ALLOWED.read), async (req, res) => {
    principalOf(req);
    const input = quoteSchema.parse(req.body);
    try {
      res.json(await quoteOrder(db, { channel: input.channel, lines: input.lines, at: now() }));
    } catch (err) {
      if (err instanceof PriceNotFoundError) throw unprocessable('price_not_found', err.message);
      if (err instanceof QuoteError) throw unprocessable(err.code, err.message);
      throw err;
    }
  });

  r.get('/v1/billing/orders', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = billingListQuery.parse(req.query);
    const query = db('orders').where({ account_id: accountId }).select('*');
    const { items, nextCursor } = await keysetPage(db, query, ORDERS, q, orderView);
    res.json({ orders: items, nextCursor });
  });

  r.get('/v1/billing/orders/:id', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const id = uuid.safeParse(req.params.id);
    const order = id.success ? await getOrder(db, id.data) : null;
    if (!order || order.accountId !== accountId) throw notFound('order');
    res.json(order);
  });

  r.get('/v1/billing/invoices', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = billingListQuery.parse(req.query);
    const query = db('invoices').where({ account_id: accountId }).select('id');
    const { items, nextCursor } = await keysetPage(db, query, INVOICES, q, async (r0) => {
      const inv = await getInvoice(db, r0.id);
      return {
        id: inv!.id,
        number: inv!.number,
        kind: inv!.kind,
        purpose: inv!.purpose,
        issuedAt: inv!.issuedAt,
        dueAt: inv!.dueAt,
        totalCents: inv!.totalCents,
        outstandingCents: inv!.kind === 'invoice' ? (await invoicePaymentState(db, inv!.id)).outstandingCents : 0,
      };
    });
    res.json({ invoices: items, nextCursor });
  });

  r.get('/v1/billing/invoices/:id', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    res.json(await invoiceWithPayment(db, await ownInvoice(accountId, req.params.id as string)));
  });

  // Printable HTML (default) or Factur-X CII XML (?format=xml).
  r.get('/v1/billing/invoices/:id/document', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const { format } = documentQuery.parse(req.query);
    const inv = await ownInvoice(accountId, req.params.id as string);
    const body = await renderInvoice(db, inv, format);
    res.setHeader('Content-Disposition', `inline; filename="${inv.number}.${format}"`);
    if (format === 'html') res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type(format === 'html' ? 'text/html; charset=utf-8' : 'application/xml; charset=utf-8').send(body);
  });

  r.get('/v1/billing/payments', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = billingListQuery.parse(req.query);
    const query = db('payments').where({ account_id: accountId }).select('*');
    const { items: rows, nextCursor } = await keysetPage(db, query, PAYMENTS, q, (p) => p);
    const allocs = rows.length
      ? await db('payment_allocations').whereIn(
          'payment_id',
          rows.map((p) => p.id),
        )
      : [];
    res.json({
      payments: rows.map((p) => ({
        ...paymentView(p),
        allocations: allocs
          .filter((a) => a.payment_id === p.id)
          .map((a) => ({ invoiceId: a.invoice_id, amountCents: Number(a.amount_cents) })),
      })),
      nextCursor,
    });
  });

  // 7.3: a dispute in writing until the end of the policy's `invoiceDispute` period (15 calendar
  // days in 2026-01) after the invoice was made available. The invoice workflow's clock decides;
  // once it has finished (window over and paid) the same rule is applied here.
  r.post('/v1/billing/invoices/:id/disputes', auth, requireRole(...ALLOWED.pay), async (req, res) => {
    const p = principalOf(req);
    const { reason } = disputeSchema.parse(req.body);
    const inv = await ownInvoice(p.accountId, req.params.id as string);
    if (inv.kind !== 'invoice') throw unprocessable('not_an_invoice', 'A credit note cannot be disputed.');
    const by = { type: 'member' as const, id: p.memberId ?? p.apiKeyId ?? undefined };
    let result: DisputeResult;
    try {
      result = await fileInvoiceDispute(deps.temporal, inv.id, { reason, by });
    } catch (err) {
      // The workflow has finished (window over and paid) or cannot be reached: the same rule on
      // the deadline stored at issue (the workflow's input). Still open: the workflow must decide.
      const deadline = new Date(inv.disputeDeadline ?? inv.issuedAt);
      if (!isDeemedAccepted(deadline, now())) {
        req.log?.warn({ err, invoiceId: inv.id }, 'dispute: invoice workflow unavailable');
        throw new Problem(
          503,
          'invoice_workflow_unavailable',
          'Try again',
          'The invoice cannot take a dispute right now; try again shortly.',
          {},
          { 'Retry-After': '5' },
        );
      }
      result = { accepted: false, refused: 'deemed_accepted', deadline: deadline.toISOString() };
    }
    if (!result.accepted) {
      const window = durationWords((await loadPolicy(db, inv.termsVersion)).invoiceDispute);
      const detail =
        `The dispute window closed at ${result.deadline} (disputes within ${window} of the invoice being ` +
        'made available, 7.3): the invoice is deemed accepted.';
      throw conflict('invoice_deemed_accepted', detail, { deadline: result.deadline });
    }
    await audit(db, {
      ...actorOf(p),
      accountId: p.accountId,
      action: 'invoice.dispute',
      resource: inv.id,
      requestId: String(req.id),
      details: { disputeId: result.disputeId },
    });
    res.status(201).json({ id: result.disputeId, invoiceId: inv.id, status: 'open', deadline: result.deadline });
  });

  r.get('/v1/billing/disputes', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const rows = await db('invoice_disputes').where({ account_id: accountId }).orderBy('filed_at', 'desc');
    res.json({ disputes: rows.map(disputeView) });
  });

  // 7.1.2: buying a Pack issues its invoice; the Pack is credited when that invoice is paid
  // (lib/payments.ts says why).
  r.post('/v1/billing/packs', auth, requireRole(...ALLOWED.pay), async (req, res) => {
    const p = principalOf(req);
    const { pack } = packSchema.parse(req.body);
    const account = await db('accounts').where({ id: p.accountId }).first('formula', 'status');
    if (account.formula !== 'pack')
      throw conflict('not_a_pack_account', 'Packs are for accounts on the Pack formula (7.1.2).');
    if (account.status === 'terminated') throw conflict('account_terminated', 'The account is terminated.');
    const idem = req.get('idempotency-key');
    if (idem !== undefined && !/^[\w-]{8,100}$/.test(idem))
      throw new Problem(
        400,
        'validation_failed',
        'Invalid request',
        'Idempotency-Key must be 8–100 letters, digits, - or _.',
      );
    const def = PACKS[pack];
    const { invoice, created, start } = await db.transaction(async (trx) => {
      const out = await issueInvoice(trx, {
        accountId: p.accountId,
        purpose: 'pack',
        idemKey: `pack:${p.accountId}:${idem ?? req.id}`,
        lines: draftLines(packPurchaseLines(def)),
        meta: { pack, packCents: def.priceCents },
      });
      if (out.created)
        await audit(trx, {
          ...actorOf(p),
          accountId: p.accountId,
          action: 'pack.purchase',
          resource: out.invoice.id,
          requestId: String(req.id),
          details: { pack },
        });
      // An idempotent replay writes nothing new (its start, already written, may still be pending).
      return { ...out, start: await enqueueInvoiceWorkflow(trx, deps.config, out.invoice) };
    });
    await relayNow({ ...deps, logger: req.log }, start);
    res
      .status(created ? 201 : 200)
      .location(`/v1/billing/invoices/${invoice.id}`)
      .json(await invoiceWithPayment(db, invoice));
  });

  return r;
}

export function disputeView(d: DbRow) {
  return {
    id: d.id,
    invoiceId: d.invoice_id,
    accountId: d.account_id,
    reason: d.reason,
    filedAt: new Date(d.filed_at).toISOString(),
    status: d.status,
    resolutionNote: d.resolution_note ?? null,
    creditNoteId: d.credit_note_id ?? null,
    resolvedAt: d.resolved_at ? new Date(d.resolved_at).toISOString() : null,
  };
}

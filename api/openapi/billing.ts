// Descriptions of the customer billing routes (api/billing.ts), kept apart so that the route
// file stays short; the schemas are the ones the routes parse with.
import { z } from 'zod';
import { billingListQuery, disputeSchema, documentQuery, packSchema, quoteSchema } from '../billing';
import { describeRoute, jsonObject, type RouteSpec } from './registry';

const billing = (spec: Omit<RouteSpec, 'tag' | 'access'>) =>
  describeRoute({ tag: 'Billing', access: 'customer', ...spec });
const id = { id: z.string() };
const idempotencyKey = {
  'Idempotency-Key': {
    schema: z.string(),
    description: '8–100 letters, digits, - or _: a retry returns the first answer',
  },
};

const int = z.number().int();
/** lib/ledger-views.ts Balance: ten-thousandths of a euro, and the same rounded down to cents. */
const balance = z.object({ availableE4: int, reservedE4: int, availableCents: int, reservedCents: int });
/** lib/ledger-views.ts LedgerEntryView. */
const ledgerEntry = z.object({
  id: z.string(),
  kind: z.string(),
  availableDelta: int,
  reservedDelta: int,
  amountE4: int,
  orderId: z.string().nullable(),
  fundingEntryId: z.string().nullable(),
  overage: z.boolean(),
  source: z.object({ kind: z.string(), ref: z.string().nullable() }).nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});

const nextCursor = z.string().nullable();

export function describeBillingRoutes(): void {
  billing({ method: 'get', path: '/v1/billing/balance', summary: 'Prepaid balance', responses: { 200: balance } });
  billing({
    method: 'get',
    path: '/v1/billing/ledger',
    summary: 'Append-only ledger, oldest first (cursor-paginated)',
    query: billingListQuery,
    responses: { 200: z.object({ entries: z.array(ledgerEntry), balance, nextCursor }) },
    problems: ['invalid_cursor'],
  });
  billing({
    method: 'post',
    path: '/v1/billing/quotes',
    summary: 'Price quote at today’s price list',
    body: quoteSchema,
    responses: { 200: jsonObject },
    problems: ['price_not_found', 'order_too_large'],
  });
  billing({
    method: 'get',
    path: '/v1/billing/orders',
    summary: 'Orders, newest first (cursor-paginated)',
    query: billingListQuery,
    responses: { 200: z.object({ orders: z.array(jsonObject), nextCursor }) },
    problems: ['invalid_cursor'],
  });
  billing({
    method: 'get',
    path: '/v1/billing/orders/:id',
    summary: 'An order and its quote',
    params: id,
    responses: { 200: jsonObject },
    problems: ['not_found'],
  });
  billing({
    method: 'get',
    path: '/v1/billing/invoices',
    summary: 'Invoices and credit notes, newest first (cursor-paginated)',
    query: billingListQuery,
    responses: { 200: z.object({ invoices: z.array(jsonObject), nextCursor }) },
    problems: ['invalid_cursor'],
  });
  billing({
    method: 'get',
    path: '/v1/billing/invoices/:id',
    summary: 'An invoice with its payment state',
    params: id,
    responses: { 200: jsonObject },
    problems: ['not_found'],
  });
  billing({
    method: 'get',
    path: '/v1/billing/invoices/:id/document',
    summary: 'Printable HTML (default) or Factur-X CII XML (?format=xml)',
    params: id,
    query: documentQuery,
    responses: { 200: { contentType: 'text/html', description: 'The invoice (text/html or application/xml)' } },
    problems: ['not_found'],
  });
  billing({
    method: 'get',
    path: '/v1/billing/payments',
    summary: 'Payments and their allocations, newest first (cursor-paginated)',
    query: billingListQuery,
    responses: { 200: z.object({ payments: z.array(jsonObject), nextCursor }) },
    problems: ['invalid_cursor'],
  });
  billing({
    method: 'post',
    path: '/v1/billing/invoices/:id/disputes',
    summary: 'Dispute an invoice (7.3: until the end of the 15th calendar day)',
    params: id,
    body: disputeSchema,
    responses: { 201: jsonObject },
    problems: ['not_found', 'not_an_invoice', 'invoice_deemed_accepted', 'invoice_workflow_unavailable'],
  });
  billing({
    method: 'get',
    path: '/v1/billing/disputes',
    summary: 'The account’s invoice disputes',
    responses: { 200: z.object({ disputes: z.array(jsonObject) }) },
  });
  billing({
    method: 'post',
    path: '/v1/billing/packs',
    summary: 'Buy a Pack (credited when its invoice is paid)',
    headers: idempotencyKey,
    body: packSchema,
    responses: { 201: jsonObject, 200: jsonObject },
    problems: ['not_a_pack_account', 'account_terminated@409'],
  });
}

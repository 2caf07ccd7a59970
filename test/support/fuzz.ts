// Helpers of the edge fuzz test (test/integration/edge-fuzz.test.ts, issue 9): every route of the
// app read from its router, a percent-encoder that sends lone surrogates as a lax client would,
// a fingerprint of what a refused request could have written, and the hostile arbitraries
// (strings, numbers, instants, bodies, query strings, CSV uploads) the routes are fed.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { System } from './system';

export interface RouteDef {
  method: string;
  path: string;
}

/** Express's router layers, as far as the walk below reads them (internal, untyped). */
export interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route of the app: the router stack, walked into mounted routers. */
export function listRoutes(stack: Layer[]): RouteDef[] {
  const out: RouteDef[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const m of Object.keys(layer.route.methods)) {
        if (m !== '_all') out.push({ method: m.toUpperCase(), path: String(layer.route.path) });
      }
    } else if (layer.handle?.stack) out.push(...listRoutes(layer.handle.stack));
  }
  return out;
}

/** Percent-encodes any string, lone surrogates included (as the 3 bytes a lax encoder would send). */
export function encode(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const bytes =
      cp >= 0xd800 && cp <= 0xdfff
        ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        : [...Buffer.from(ch, 'utf8')];
    const hex = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    out += /^[A-Za-z0-9\-._~]$/.test(ch) ? ch : bytes.map(hex).join('');
  }
  return out;
}

const ACCOUNT_TABLES = [
  'accounts',
  'members',
  'account_changes',
  'sessions',
  'api_keys',
  'member_invitations',
  'evidence_log',
  'audit_log',
  'deadlines',
  'contract_cases',
  'contract_notices',
  'termination_notices',
  'liability_claims',
  'data_subject_requests',
  'orders',
  'ledger_entries',
  'invoices',
  'payments',
  'invoice_disputes',
  'campaigns',
  'messages',
  'suppressions',
  'idempotency_keys',
];

/** Whose rows a fingerprint covers: the fuzzed accounts and the staff member's acts. */
export interface Fuzzed {
  sys: System;
  accountIds: string[];
  staff: { staffId: string; username: string };
}

/** Rows of the fuzzed accounts (and the staff member's acts), with a checksum of what a refusal could update. */
export async function fingerprint({ sys, accountIds: ids, staff }: Fuzzed): Promise<Record<string, unknown>> {
  const parts = ACCOUNT_TABLES.map(
    (t) => `'${t}', (select count(*) from ${t} where ${t === 'accounts' ? 'id' : 'account_id'} = any(:ids))`,
  );
  const { rows } = await sys.db.raw(
    `select json_build_object(${parts.join(', ')},
    'rejections', (select count(*) from recipient_rejections r join campaigns c on c.order_id = r.order_id
                    where c.account_id = any(:ids)),
    'message_events', (select count(*) from message_events e join messages m on m.id = e.message_id
                        where m.account_id = any(:ids)),
    'staff_audit', (select count(*) from audit_log where actor_id = :staff and action <> 'staff.login'),
    'legal_rates', (select count(*) from legal_interest_rates where created_by = :username),
    'accounts_sum', (select md5(string_agg(a::text, '|' order by id)) from accounts a where id = any(:ids)),
    'campaigns_sum', (select md5(string_agg(c::text, '|' order by order_id)) from campaigns c
                       where account_id = any(:ids))) as f`,
    { ids, staff: staff.staffId, username: staff.username },
  );
  return rows[0].f;
}

/** Waits until nothing changes for 400 ms: the workflows an accepted request started have written. */
export async function quiet(fuzzed: Fuzzed): Promise<void> {
  let last = JSON.stringify(await fingerprint(fuzzed));
  for (let i = 0; i < 25; i++) {
    await new Promise((r) => setTimeout(r, 400));
    const now = JSON.stringify(await fingerprint(fuzzed));
    if (now === last) return;
    last = now;
  }
}

/** Field names the routes read: random bodies with these keys get past strict schemas' key checks. */
const FIELDS = [
  'to',
  'body',
  'subject',
  'from',
  'sender',
  'vars',
  'channel',
  'purpose',
  'template',
  'scheduledAt',
  'recipients',
  'username',
  'password',
  'totp',
  'currentPassword',
  'newPassword',
  'token',
  'code',
  'role',
  'fullName',
  'totpRequired',
  'name',
  'reason',
  'pack',
  'lines',
  'country',
  'segments',
  'quantity',
  'amountCents',
  'method',
  'reference',
  'receivedAt',
  'invoiceId',
  'accountId',
  'accountIds',
  'note',
  'outcome',
  'semester',
  'rateBp',
  'monthlyFeeCents',
  'monthlyPrepaidCents',
  'startedAt',
  'eventAt',
  'awareAt',
  'startsAt',
  'endsAt',
  'description',
  'obligations',
  'kind',
  'ref',
  'action',
  'behaviour',
  'breach',
  'suspend',
  'version',
  'textSha256',
  'policy',
  'summary',
  'subjectContact',
  'details',
  'resolution',
  'emergency',
  'legalName',
  'vatNumber',
  'billingAddress',
  'line1',
  'postalCode',
  'city',
  'roles',
  'email',
  'id',
  'type',
  'data',
];
const QUERY = [
  'cursor',
  'afterId',
  'after',
  'limit',
  'before',
  'reason',
  'format',
  'token',
  'status',
  'state',
  'kind',
  'accountId',
  'dueBefore',
  'mid',
];

/** The hostile arbitraries; `known` ids (accounts, campaign) are drawn among the strings. */
export function hostileArbitraries(known: { member: () => string; victim: () => string; campaign: () => string }) {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const hostileString = (): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constantFrom(
        '\u0000',
        'a\u0000b',
        '\ud800x',
        'x\udc00',
        '\udbff',
        'ok \ud83d\ude00',
        '',
        ' ',
        '%00',
        '%FF',
        '99999999999999999999999',
        '-1',
        '0',
        '1e309',
        '0x10',
        '9999-01-01T00:00:00Z',
        '2001-01-01T00:00:00Z',
        '0001-01-01T00:00:00Z',
        '2026-12-31T23:59:59+14:00',
        'sms',
        'email',
        'marketing',
        'transactional',
        '+33612345678',
        'someone@example.org',
        'pack-100',
        'html',
        'xml',
        'open',
        'staff',
        'suspend',
        'terminate',
        'credit_note',
        'transfer',
        '2026-S1',
        'a reason long enough',
      ),
      fc.string({ unit: anyUnit, maxLength: 24 }),
      fc.string({ maxLength: 24 }),
      fc.constantFrom(known.member, known.victim, known.campaign, () => randomUUID()).map((f) => f()),
    );
  const hostileNumber = fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, 2 ** 63, 1e23, -1e23, 1_000_000_001, 10_001),
  );
  const leaf = fc.oneof(hostileString(), hostileNumber, fc.boolean(), fc.constant(null));
  const hostileValue = fc.oneof(
    leaf,
    fc.array(leaf, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...FIELDS), leaf, { maxKeys: 3 }),
  );
  const hostileBody = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), hostileString()), hostileValue, {
    maxKeys: 5,
  });
  const hostileQuery = fc.dictionary(fc.constantFrom(...QUERY), hostileString(), { maxKeys: 3 });
  const csvBody = fc.array(fc.tuple(hostileString(), hostileString()), { minLength: 1, maxLength: 4 }).map((rows) => {
    const cell = (c: string) => `"${c.replace(/"/g, '""')}"`;
    return `to,name\n${rows.map((cells) => cells.map(cell).join(',')).join('\n')}\n`;
  });
  return { hostileString, hostileNumber, leaf, hostileValue, hostileBody, hostileQuery, csvBody };
}

// Property (issue 9): whatever strings, numbers and instants a request carries — in its path, its
// query string or its body (JSON, or CSV for an upload) — no route answers 5xx, and a refusal
// (4xx) writes nothing. The routes are read from createApp's router, so a new route is covered
// without touching this file. Customer routes run as a real member, /v1/staff routes as an admin.
// FUZZ_SEED and FUZZ_RUNS (per route) replay or widen a run; the seed is printed on failure.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createApp } from '../../api/app';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { http, onboard, startSystem, type System } from '../support/system';
import { staffLogin } from '../support/staff';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const saved = { ...process.env };

interface RouteDef { method: string; path: string }

/** Express's router layers, as far as the walk below reads them (internal, untyped). */
interface Layer { route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } }

/** Every route of the app: the router stack, walked into mounted routers. */
function listRoutes(stack: Layer[]): RouteDef[] {
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
function encode(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const bytes = cp >= 0xd800 && cp <= 0xdfff
      ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
      : [...Buffer.from(ch, 'utf8')];
    const hex = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    out += /^[A-Za-z0-9\-._~]$/.test(ch) ? ch : bytes.map(hex).join('');
  }
  return out;
}

let sys: System;
let routes: RouteDef[];
let member: Awaited<ReturnType<typeof onboard>>;
let victim: Awaited<ReturnType<typeof onboard>>;
let staff: { token: string; staffId: string; username: string };
let campaignId: string;

const KEYS = ['TWILIO_AUTH_TOKEN', 'SENDGRID_WEBHOOK_PUBLIC_KEY'];

beforeAll(async () => {
  // Webhooks configured: a bad signature is 403, not 503.
  process.env.TWILIO_AUTH_TOKEN = `tok-${randomUUID()}`;
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  process.env.SENDGRID_WEBHOOK_PUBLIC_KEY = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  sys = await startSystem();
  const config = loadConfig(process.env);
  const app = createApp({ db: sys.db, temporal: sys.client, config, logger: createLogger('fuzz', 'silent') });
  routes = listRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack);
  member = await onboard(sys);
  victim = await onboard(sys);
  staff = await staffLogin(sys, ['admin']);
  const body = { channel: 'sms', purpose: 'marketing', template: 'Hi {{name}}' };
  const c = await http(sys.baseUrl, 'POST', '/v1/campaigns', { token: member.session, body });
  campaignId = c.body.id;
  await quiet();
});
afterAll(async () => {
  await sys?.stop();
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const ACCOUNT_TABLES = ['accounts', 'members', 'account_changes', 'sessions', 'api_keys', 'evidence_log', 'audit_log',
  'deadlines', 'contract_cases', 'contract_notices', 'termination_notices', 'liability_claims', 'data_subject_requests',
  'orders', 'ledger_entries', 'invoices', 'payments', 'invoice_disputes', 'campaigns', 'messages', 'suppressions',
  'idempotency_keys'];

/** Rows of the fuzzed accounts (and the staff member's acts), with a checksum of what a refusal could update. */
async function fingerprint(): Promise<Record<string, unknown>> {
  const ids = [member.accountId, victim.accountId];
  const parts = ACCOUNT_TABLES.map((t) =>
    `'${t}', (select count(*) from ${t} where ${t === 'accounts' ? 'id' : 'account_id'} = any(:ids))`);
  const { rows } = await sys.db.raw(`select json_build_object(${parts.join(', ')},
    'rejections', (select count(*) from recipient_rejections r join campaigns c on c.order_id = r.order_id
                    where c.account_id = any(:ids)),
    'message_events', (select count(*) from message_events e join messages m on m.id = e.message_id
                        where m.account_id = any(:ids)),
    'staff_audit', (select count(*) from audit_log where actor_id = :staff and action <> 'staff.login'),
    'legal_rates', (select count(*) from legal_interest_rates where created_by = :username),
    'accounts_sum', (select md5(string_agg(a::text, '|' order by id)) from accounts a where id = any(:ids)),
    'campaigns_sum', (select md5(string_agg(c::text, '|' order by order_id)) from campaigns c
                       where account_id = any(:ids))) as f`,
  { ids, staff: staff.staffId, username: staff.username });
  return rows[0].f;
}

/** Waits until nothing changes for 400 ms: the workflows an accepted request started have written. */
async function quiet(): Promise<void> {
  let last = JSON.stringify(await fingerprint());
  for (let i = 0; i < 25; i++) {
    await new Promise((r) => setTimeout(r, 400));
    const now = JSON.stringify(await fingerprint());
    if (now === last) return;
    last = now;
  }
}

/** Field names the routes read: random bodies with these keys get past strict schemas' key checks. */
const FIELDS = ['to', 'body', 'subject', 'from', 'sender', 'vars', 'channel', 'purpose', 'template', 'scheduledAt',
  'recipients', 'username', 'password', 'totp', 'name', 'reason', 'pack', 'lines', 'country', 'segments',
  'quantity', 'amountCents', 'method', 'reference', 'receivedAt', 'invoiceId', 'accountId', 'accountIds',
  'note', 'outcome', 'semester', 'rateBp', 'monthlyFeeCents', 'monthlyPrepaidCents', 'startedAt', 'eventAt',
  'awareAt', 'startsAt', 'endsAt', 'description', 'obligations', 'kind', 'ref', 'action', 'behaviour', 'breach',
  'suspend', 'version', 'textSha256', 'policy', 'summary', 'subjectContact', 'details', 'resolution',
  'emergency', 'legalName', 'vatNumber', 'billingAddress', 'line1', 'postalCode', 'city', 'roles', 'email',
  'id', 'type', 'data'];
const QUERY = ['afterId', 'after', 'limit', 'before', 'reason', 'format', 'token', 'status', 'state', 'kind',
  'accountId', 'dueBefore', 'mid'];

const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const hostileString = (): fc.Arbitrary<string> => fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800x', 'x\udc00', '\udbff', 'ok \ud83d\ude00', '', ' ', '%00', '%FF',
    '99999999999999999999999', '-1', '0', '1e309', '0x10', '9999-01-01T00:00:00Z', '2001-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z', '2026-12-31T23:59:59+14:00', 'sms', 'email', 'marketing', 'transactional',
    '+33612345678', 'someone@example.org', 'pack-100', 'html', 'xml', 'open', 'staff', 'suspend', 'terminate',
    'credit_note', 'transfer', '2026-S1', 'a reason long enough'),
  fc.string({ unit: anyUnit, maxLength: 24 }),
  fc.string({ maxLength: 24 }),
  fc.constantFrom(() => member.accountId, () => victim.accountId, () => campaignId, () => randomUUID()).map((f) => f()),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, 2 ** 63, 1e23, -1e23, 1_000_000_001, 10_001));
const leaf = fc.oneof(hostileString(), hostileNumber, fc.boolean(), fc.constant(null));
const hostileValue = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...FIELDS), leaf, { maxKeys: 3 }));
const hostileBody = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), hostileString()), hostileValue, { maxKeys: 5 });
const hostileQuery = fc.dictionary(fc.constantFrom(...QUERY), hostileString(), { maxKeys: 3 });
const csvBody = fc.array(fc.tuple(hostileString(), hostileString()), { minLength: 1, maxLength: 4 })
  .map((rows) => {
    const cell = (c: string) => `"${c.replace(/"/g, '""')}"`;
    return `to,name\n${rows.map((cells) => cells.map(cell).join(',')).join('\n')}\n`;
  });

interface Finding { route: string; request: string; status: number; body: unknown; wrote?: unknown }

test('Every route, fed arbitrary strings, numbers and instants in path, query and body, answers no 5xx '
  + 'and writes nothing on a refusal', async () => {
  expect(routes.length).toBeGreaterThan(60);
  const findings: Finding[] = [];
  const started = Date.now();
  for (const [i, route] of routes.entries()) {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const csv = route.method === 'PUT' && route.path.endsWith('/recipients');
    const input = fc.record({
      params: fc.tuple(...names.map(() => hostileString()), fc.constant('')),
      query: hostileQuery,
      body: csv ? fc.oneof(csvBody, hostileBody) : hostileBody,
    });
    await fc.assert(fc.asyncProperty(input, async ({ params, query, body }) => {
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) => encode(params[names.indexOf(name)] ?? ''));
      const qs = Object.entries(query).map(([k, v]) => `${k}=${encode(v)}`).join('&');
      const url = `${path}${qs ? `?${qs}` : ''}`;
      const customer = route.path.startsWith('/v1/') ? member.session : undefined;
      const staffRoute = route.path.startsWith('/v1/staff');
      const token = staffRoute ? staff.token : customer;
      const isCsv = typeof body === 'string';
      // Staff routes get the access reason, so that the input reaches their schemas.
      const reason: Record<string, string> = staffRoute ? { 'x-access-reason': 'fuzzing the staff API' } : {};
      const before = await fingerprint();
      const res = await http(sys.baseUrl, route.method, url, {
        token, raw: ['GET', 'DELETE'].includes(route.method) ? undefined : isCsv ? body : JSON.stringify(body),
        headers: { ...reason, ...(isCsv ? { 'content-type': 'text/csv' } : {}) },
      });
      const request = `${route.method} ${url} ${isCsv ? body : JSON.stringify(body)}`;
      const where = `${route.method} ${route.path}`;
      if (res.status >= 500) findings.push({ route: where, request, status: res.status, body: res.body });
      if (res.status < 400) { await quiet(); return true; }
      const after = await fingerprint();
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        const wrote = Object.keys(after).filter((k) => after[k] !== before[k]);
        findings.push({ route: where, request, status: res.status, body: res.body, wrote });
      }
      return res.status < 500;
    }), { numRuns: RUNS, seed: SEED + i, endOnFailure: true }).catch((err: Error) => {
      if (!findings.length) throw err; // a failure the findings do not describe
    });
  }
  if (findings.length) {
    console.error(`FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}:`, JSON.stringify(findings.slice(0, 10), null, 1));
  }
  expect(findings).toEqual([]);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${routes.length} routes × ${RUNS} runs in ${seconds} s (FUZZ_SEED=${SEED})`);
}, Math.max(120_000, RUNS * 12_000)); // a widened run (FUZZ_RUNS) gets the time it needs

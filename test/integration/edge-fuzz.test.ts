// Property (issue 9): whatever strings, numbers and instants a request carries — in its path, its
// query string or its body (JSON, or CSV for an upload) — no route answers 5xx, and a refusal
// (4xx) writes nothing. The routes are read from createApp's router, so a new route is covered
// without touching this file. Customer routes run as a real member, /v1/staff routes as an admin.
// FUZZ_SEED and FUZZ_RUNS (per route) replay or widen a run; the seed is printed on failure.
// The helpers (routes, encoding, fingerprint, arbitraries): test/support/fuzz.ts.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createApp } from '../../api/app';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { http, onboard, startSystem, type System } from '../support/system';
import { staffLogin } from '../support/staff';
import {
  encode,
  fingerprint as fingerprintOf,
  hostileArbitraries,
  listRoutes,
  quiet as quietOf,
  type Fuzzed,
  type Layer,
  type RouteDef,
} from '../support/fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const saved = { ...process.env };

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
  // Its own client address (X-Forwarded-For from loopback): the logins and reset requests it
  // fuzzes throttle that address, not the logins of the files running beside it on 127.0.0.1.
  sys = await startSystem({ env: { TRUST_PROXY: '127.0.0.1' } });
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

const fuzzed = (): Fuzzed => ({ sys, accountIds: [member.accountId, victim.accountId], staff });
const fingerprint = () => fingerprintOf(fuzzed());
const quiet = () => quietOf(fuzzed());
const { hostileString, hostileQuery, hostileBody, csvBody } = hostileArbitraries({
  member: () => member.accountId,
  victim: () => victim.accountId,
  campaign: () => campaignId,
});

interface Finding {
  route: string;
  request: string;
  status: number;
  body: unknown;
  wrote?: unknown;
}

test(
  'Every route, fed arbitrary strings, numbers and instants in path, query and body, answers no 5xx ' +
    'and writes nothing on a refusal',
  async () => {
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
      await fc
        .assert(
          fc.asyncProperty(input, async ({ params, query, body }) => {
            const path = route.path.replace(/:(\w+)/g, (_m, name: string) => encode(params[names.indexOf(name)] ?? ''));
            const qs = Object.entries(query)
              .map(([k, v]) => `${k}=${encode(v)}`)
              .join('&');
            const url = `${path}${qs ? `?${qs}` : ''}`;
            const customer = route.path.startsWith('/v1/') ? member.session : undefined;
            const staffRoute = route.path.startsWith('/v1/staff');
            const token = staffRoute ? staff.token : customer;
            const isCsv = typeof body === 'string';
            // Staff routes get the access reason, so that the input reaches their schemas.
            const reason: Record<string, string> = staffRoute ? { 'x-access-reason': 'fuzzing the staff API' } : {};
            const before = await fingerprint();
            const res = await http(sys.baseUrl, route.method, url, {
              token,
              raw: ['GET', 'DELETE'].includes(route.method) ? undefined : isCsv ? body : JSON.stringify(body),
              headers: {
                'x-forwarded-for': '198.51.100.78',
                ...reason,
                ...(isCsv ? { 'content-type': 'text/csv' } : {}),
              },
            });
            const request = `${route.method} ${url} ${isCsv ? body : JSON.stringify(body)}`;
            const where = `${route.method} ${route.path}`;
            if (res.status >= 500) findings.push({ route: where, request, status: res.status, body: res.body });
            if (res.status < 400) {
              await quiet();
              return true;
            }
            const after = await fingerprint();
            if (JSON.stringify(after) !== JSON.stringify(before)) {
              const wrote = Object.keys(after).filter((k) => after[k] !== before[k]);
              findings.push({ route: where, request, status: res.status, body: res.body, wrote });
            }
            return res.status < 500;
          }),
          { numRuns: RUNS, seed: SEED + i, endOnFailure: true },
        )
        .catch((err: Error) => {
          if (!findings.length) throw err; // a failure the findings do not describe
        });
    }
    if (findings.length) {
      console.error(`FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}:`, JSON.stringify(findings.slice(0, 10), null, 1));
    }
    expect(findings).toEqual([]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${routes.length} routes × ${RUNS} runs in ${seconds} s (FUZZ_SEED=${SEED})`);
  },
  Math.max(120_000, RUNS * 12_000),
); // a widened run (FUZZ_RUNS) gets the time it needs

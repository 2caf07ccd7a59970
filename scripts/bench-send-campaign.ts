// One campaign of the bulk-send bench (bench-send.ts), through the public API as a customer runs
// it (ToS 6.1): create, upload N recipients as CSV, start, then watch the simulator's own count
// from the first submission to the last acceptance; lost and duplicated messages by the
// simulator's record of message ids, and CPU per message per part of the system.
import { Readable } from 'node:stream';
import { request } from 'undici';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { topUp } from '../lib/ledger-funding';
import type { CarrierSimulator } from '../simulator';
import { cpuPerMessage, cpuSnapshot } from './bench-send-procs';
import { campaignHandle } from '../lib/workflow-clients/campaign';

export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON of any route; callers read its fields
): Promise<{ status: number; json: any }> {
  const res = await request(base + path, {
    method: method as 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

let registered = 0;
/** A Pack account registered through the API (company, terms accepted), with a session and an API key. */
export async function registerAccount(
  apiUrl: string,
  label: string,
): Promise<{ accountId: string; session: string; key: string }> {
  const username = `${label}${Date.now().toString(36)}x${++registered}`;
  const password = 'bench-password-long-enough';
  const reg = await api(apiUrl, 'POST', '/v1/accounts', {
    account: {
      legalForm: 'company',
      legalName: 'Bench SAS',
      country: 'FR',
      siren: '732829320',
      vatNumber: 'FR44732829320',
      billingAddress: { line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
      proofOfPowerRef: 'bench',
      formula: 'pack',
    },
    member: { username, email: `${username}@bench.example`, fullName: 'Bench User', password },
    acceptTerms: { version: '2026-01', accepted: true },
  });
  if (reg.status !== 201) throw new Error(`registration failed: ${reg.status} ${JSON.stringify(reg.json)}`);
  const accountId = reg.json.account.id as string;
  const session = (await api(apiUrl, 'POST', '/v1/sessions', { username, password })).json.token as string;
  const key = (await api(apiUrl, 'POST', '/v1/api-keys', { name: label }, session)).json.key as string;
  return { accountId, session, key };
}

/** Funds credited to a bench account (cents): far more than any run consumes. */
export const BENCH_FUNDS_CENTS = 2_000_000_000;

/** registerAccount, then funded by a staff adjustment of BENCH_FUNDS_CENTS. */
export async function fundedAccount(
  apiUrl: string,
  db: Knex,
  label: string,
): Promise<{ accountId: string; session: string; key: string }> {
  const account = await registerAccount(apiUrl, label);
  await topUp(db, {
    accountId: account.accountId,
    amountCents: BENCH_FUNDS_CENTS,
    source: { kind: 'adjustment', ref: `${label}-${account.accountId}` },
  });
  return account;
}

function csv(n: number, channel: 'sms' | 'email', offset: number): Readable {
  return Readable.from(
    (function* rows() {
      yield 'to,name\n';
      const chunk = 10_000;
      for (let start = 1; start <= n; start += chunk) {
        const lines: string[] = [];
        for (let i = start; i < Math.min(n + 1, start + chunk); i += 1) {
          const k = offset + i;
          lines.push(
            channel === 'sms' ? `+336${String(k).padStart(8, '0')},Client ${i}` : `user${k}@example.com,Client ${i}`,
          );
        }
        yield `${lines.join('\n')}\n`;
      }
    })(),
  );
}

/** A transactional campaign drafted and its N recipients uploaded as CSV through the API (not started). */
export async function uploadCampaign(
  apiUrl: string,
  key: string,
  channel: 'sms' | 'email',
  recipients: number,
  offset: number,
): Promise<{ id: string; uploadSeconds: number }> {
  const created = await api(
    apiUrl,
    'POST',
    '/v1/campaigns',
    channel === 'sms'
      ? { channel, purpose: 'transactional', template: 'Bonjour {{name}}, votre code est prêt.' }
      : {
          channel,
          purpose: 'transactional',
          subject: 'Bonjour {{name}}',
          template: 'Bonjour {{name}}, voici notre lettre.',
        },
    key,
  );
  if (created.status !== 201)
    throw new Error(`campaign creation failed: ${created.status} ${JSON.stringify(created.json)}`);
  const id = (created.json.id ?? created.json.orderId) as string;
  const t0 = performance.now();
  const up = await request(`${apiUrl}/v1/campaigns/${id}/recipients`, {
    method: 'PUT',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${key}` },
    body: csv(recipients, channel, offset),
  });
  const upload = JSON.parse(await up.body.text());
  const uploadSeconds = (performance.now() - t0) / 1000;
  if (up.statusCode !== 200) throw new Error(`upload failed: ${up.statusCode} ${JSON.stringify(upload)}`);
  if (upload.accepted !== recipients)
    throw new Error(`upload accepted ${upload.accepted} of ${recipients}: ${JSON.stringify(upload.rejected)}`);
  return { id, uploadSeconds };
}

export interface CampaignBench {
  apiUrl: string;
  key: string;
  recipients: number;
  sim: CarrierSimulator;
  roles: Map<number, string>;
  pgDir: string;
  temporalClient: Client;
  log: (m: string) => void;
}

export interface CampaignRun {
  perSecond: number;
  uploadRate: number;
  lost: number;
  duplicates: number;
  cpu: Record<string, number>;
}

export function campaignRunner(b: CampaignBench) {
  const { apiUrl, key, recipients, sim, roles, pgDir, temporalClient, log } = b;
  return async (channel: 'sms' | 'email', offset: number, label: string): Promise<CampaignRun> => {
    const { id, uploadSeconds } = await uploadCampaign(apiUrl, key, channel, recipients, offset);
    const uploadRate = recipients / uploadSeconds;
    log(`${label}: uploaded ${recipients} rows in ${uploadSeconds.toFixed(1)} s (${Math.round(uploadRate)} rows/s)`);

    const before = sim.stats().accepted[channel];
    const midsBefore = sim.stats().mids;
    const cpuBefore = cpuSnapshot(roles, pgDir);
    const startRes = await api(apiUrl, 'POST', `/v1/campaigns/${id}/start`, {}, key);
    if (startRes.status !== 202) throw new Error(`start failed: ${startRes.status} ${JSON.stringify(startRes.json)}`);
    // First submission → last acceptance, from the simulator's own count (sampled every 20 ms).
    let first = 0;
    let last = 0;
    let lastProgress = Date.now();
    let seen = 0;
    for (;;) {
      const n = sim.stats().accepted[channel] - before;
      const now = performance.now();
      if (n > 0 && first === 0) first = now;
      if (n !== seen) {
        seen = n;
        lastProgress = Date.now();
      }
      if (n >= recipients) {
        last = now;
        break;
      }
      if (Date.now() - lastProgress > 120_000) throw new Error(`${label}: no progress for 120 s at ${n}/${recipients}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const perSecond = recipients / ((last - first) / 1000);
    const summary = await campaignHandle(temporalClient, id).result();
    log(
      `${label}: ${recipients} accepted in ${((last - first) / 1000).toFixed(1)} s = ${Math.round(perSecond)}/s; ` +
        `finalised ${JSON.stringify(summary.counts)}`,
    );
    // Lost and duplicated by the simulator's record of message ids, for this campaign alone.
    const mids = sim.stats().mids;
    const lost = recipients - (mids.unique - midsBefore.unique);
    const duplicates = mids.duplicated - midsBefore.duplicated;
    const lagging = sim.stats().callbacks.pending;
    if (lagging > 0)
      log(`${label}: ${lagging} delivery callbacks still queued at the simulator when the last message was accepted`);
    const cpu = cpuPerMessage(cpuBefore, cpuSnapshot(roles, pgDir), recipients);
    log(`${label}: CPU ms per message ${JSON.stringify(cpu)}`);
    return { perSecond, uploadRate, lost, duplicates, cpu };
  };
}

// The harness of the send API tests (test/integration/send-api-*.test.ts): the real carrier
// simulator, Postgres, the Temporal dev server, a real lifecycle worker (campaign workflow) and a
// real send worker on the file's own queue, one onboarded account, and the request helpers.
// Phone numbers carry the file's own digit, so that files sharing a database never share one.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { startSystem, http, onboard, type System } from './system';
import { uniqueQueue } from './temporal';
import { startSendWorker, type SendWorkerHandle } from './send-worker';
import type { DbRow } from '../../lib/db';

export type Account = Awaited<ReturnType<typeof onboard>>;

export interface SendApiSuite {
  sim: CarrierSimulator;
  sys: System;
  acme: Account;
  api: (
    a: Account,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => ReturnType<typeof http>;
  uploadCsv: (a: Account, campaignId: string, csv: string) => ReturnType<typeof http>;
  message: (id: string) => Promise<DbRow>;
  phone: () => string;
  /** A status callback signed as Twilio signs it (the simulator's auth token = ours). */
  twilioCallback: (path: string, params: Record<string, string>, token?: string) => ReturnType<typeof http>;
}

/** Registers the suite's beforeAll / afterAll; the fields are set once beforeAll has run. */
export function sendApiSuite(name: string, phoneDigit: number): SendApiSuite {
  let sender: SendWorkerHandle;
  const sendQueue = uniqueQueue(name);
  const saved = { ...process.env };
  let n = 0;
  const s = {} as SendApiSuite;
  Object.assign(s, {
    api: (a, method, path, body, headers) => http(s.sys.baseUrl, method, path, { token: a.apiKey, body, headers }),
    uploadCsv: (a, campaignId, csv) =>
      http(s.sys.baseUrl, 'PUT', `/v1/campaigns/${campaignId}/recipients`, {
        token: a.apiKey,
        raw: csv,
        headers: { 'content-type': 'text/csv' },
      }),
    message: (id) => s.sys.db('messages').where({ id }).first(),
    phone: () => `+3361${String(process.pid % 1000).padStart(3, '0')}${phoneDigit}${String(++n).padStart(3, '0')}`,
    twilioCallback: (path, params, token = s.sim.twilio.authToken) => {
      const url = `${s.sys.baseUrl}${path}`;
      return http(s.sys.baseUrl, 'POST', path, {
        raw: new URLSearchParams(params).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': getExpectedTwilioSignature(token, url, params),
        },
      });
    },
  } satisfies Omit<SendApiSuite, 'sim' | 'sys' | 'acme'>);

  beforeAll(async () => {
    s.sim = await startCarrierSimulator();
    const sim = s.sim;
    // The API verifies the simulator's signatures with the simulator's credentials, the lifecycle
    // worker's status reconciliation asks the simulator, and the campaigns it starts run on this
    // test's own send queue.
    Object.assign(process.env, {
      TWILIO_BASE_URL: sim.url,
      TWILIO_ACCOUNT_SID: sim.twilio.accountSid,
      TWILIO_AUTH_TOKEN: sim.twilio.authToken,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sim.sendgrid.webhookPublicKey,
      SEND_TASK_QUEUE: sendQueue,
    });
    s.sys = await startSystem();
    const sys = s.sys;
    sim.configure({
      twilio: { inboundUrl: `${sys.baseUrl}/webhooks/twilio/inbound` },
      sendgrid: { eventWebhookUrl: `${sys.baseUrl}/webhooks/sendgrid/events` },
    });
    sender = await startSendWorker({
      sys,
      sim,
      taskQueue: sendQueue,
      concurrency: 16,
      email: true,
      retry: { attempts: 5, baseMs: 5, maxMs: 50 },
    });
    s.acme = await onboard(sys);
  });

  afterAll(async () => {
    await sender?.stop();
    await s.sys?.stop();
    await s.sim?.stop();
    for (const k of [
      'TWILIO_BASE_URL',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'SENDGRID_WEBHOOK_PUBLIC_KEY',
      'SEND_TASK_QUEUE',
    ]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  return s;
}

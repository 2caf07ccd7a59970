// A fast local Twilio + SendGrid for development, tests and benchmarks. The real twilio and
// @sendgrid/mail clients talk to it unchanged except for their base URL. It records every
// accepted message with our id (mid) so a run can be checked for lost and duplicated messages.
//
// A message is recorded as accepted BEFORE the simulated latency: a client that times out or
// crashes while waiting has still had its message accepted, which is exactly the ambiguity the
// send path must reconcile (docs/ARCHITECTURE.md, "No duplicates, no loss").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { normalisePhone } from '../domain/phone';
import { defaultConfig, mergeConfig, sampleLatency, type SimulatorConfig, type SimulatorConfigPatch } from './config';
import { json, type SimContext, type SimResponse } from './context';
import { signEvents, sendMail } from './sendgrid';
import { SimulatorState, type SimRecord, type SimulatorStats } from './state';
import { createMessage, fetchMessage, listMessages, TWILIO_PATH, twilioError } from './twilio';
import { EventBatcher, RateWindows, sendgridRetry, WebhookQueue } from './webhooks';

export { COMPRESSED_RETRIES, type SimulatorConfigPatch } from './config';

export interface CarrierSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  accountSid?: string;
  authToken?: string;
  sendgridApiKey?: string;
  config?: SimulatorConfigPatch;
}

interface InboundSms {
  from: string;
  to: string;
  body: string;
  /** Defaults to config.twilio.inboundUrl. */
  url?: string;
}

interface InboundResult {
  status: number;
  messageSid: string;
  body: string;
}

interface RecordFilter {
  mid?: string;
  channel?: 'sms' | 'email';
}

export interface CarrierSimulator {
  /** Base URL for both clients, e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  twilio: { accountSid: string; authToken: string };
  sendgrid: { apiKey: string; webhookPublicKey: string };
  configure(patch: SimulatorConfigPatch): SimulatorConfig;
  config(): SimulatorConfig;
  stats(): SimulatorStats;
  records(filter?: RecordFilter): SimRecord[];
  /** Times a mid was accepted (counted even beyond maxRecords). */
  acceptedCount(mid: string): number;
  sendInbound(sms: InboundSms): Promise<InboundResult>;
  /** Resolves once no callback or event is waiting or in flight. */
  whenIdle(timeoutMs?: number): Promise<void>;
  /** Forgets records, counts and pending webhooks; `config: true` also restores the defaults. */
  reset(options?: { config?: boolean }): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 30 * 1024 * 1024; // SendGrid's own limit

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

function write(res: ServerResponse, r: SimResponse): void {
  if (res.destroyed) return;
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}

export async function startCarrierSimulator(options: CarrierSimulatorOptions = {}): Promise<CarrierSimulator> {
  const accountSid = options.accountSid ?? `AC${hex(16)}`;
  const authToken = options.authToken ?? hex(16);
  const apiKey =
    options.sendgridApiKey ?? `SG.${randomBytes(16).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const ctx = {
    twilio: {
      accountSid,
      authToken,
      basicAuth: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
    },
    sendgrid: { apiKey, bearerAuth: `Bearer ${apiKey}`, privateKey, publicKeyBase64 },
    state: new SimulatorState(),
    rates: new RateWindows(),
    later,
    scheduledCallbacks: 0,
  } as SimContext;
  // Requests held by a hang (config.hang), released when it ends.
  const held: (() => void)[] = [];
  const unhung = (): Promise<void> =>
    ctx.config.hang ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve();
  const readHeld = async (req: IncomingMessage): Promise<string | null> => {
    const body = await readBody(req);
    await unhung();
    return body;
  };
  const applyConfig = (config: SimulatorConfig) => {
    ctx.config = config;
    if (!config.hang) for (const release of held.splice(0)) release();
    ctx.sets = {
      invalidNumbers: new Set(config.twilio.invalidNumbers),
      unsubscribedNumbers: new Set(config.twilio.unsubscribedNumbers),
      bouncedEmails: new Set(config.sendgrid.bouncedEmails.map((e) => e.toLowerCase())),
      unsubscribedEmails: new Set(config.sendgrid.unsubscribedEmails.map((e) => e.toLowerCase())),
    };
    return config;
  };
  applyConfig(mergeConfig(defaultConfig(), options.config ?? {}));
  ctx.webhooks = new WebhookQueue(() => ctx.config.callbacks, later);
  const sendgridEvents = sendgridRetry(() => ctx.config.callbacks);
  ctx.events = new EventBatcher(
    () => ctx.config.callbacks,
    (batch) => {
      const url = ctx.config.sendgrid.eventWebhookUrl;
      if (!url) return;
      const payload = JSON.stringify(batch);
      ctx.webhooks.push({ url, body: payload, headers: () => signEvents(ctx, payload), retry: sendgridEvents });
    },
  );

  const callbackStats = () => ({
    ...ctx.webhooks.counters,
    pending: ctx.webhooks.pending + ctx.events.pending + ctx.scheduledCallbacks,
  });

  const records = (filter: RecordFilter = {}) =>
    ctx.state.records.filter(
      (r) =>
        (filter.mid === undefined || r.mid === filter.mid) &&
        (filter.channel === undefined || r.channel === filter.channel),
    );

  const sendInbound = async (sms: InboundSms): Promise<InboundResult> => {
    const url = sms.url ?? ctx.config.twilio.inboundUrl;
    if (!url) throw new Error('no inbound URL: set config.twilio.inboundUrl or pass url');
    const messageSid = `SM${hex(16)}`;
    const params: Record<string, string> = {
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      Body: sms.body,
      From: sms.from,
      MessageSid: messageSid,
      NumMedia: '0',
      NumSegments: '1',
      SmsMessageSid: messageSid,
      SmsSid: messageSid,
      SmsStatus: 'received',
      To: sms.to,
    };
    const fromPhone = normalisePhone(sms.from);
    if (fromPhone.ok) params.FromCountry = fromPhone.country;
    const response = await request(url, {
      method: 'POST',
      body: new URLSearchParams(params).toString(),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': getExpectedTwilioSignature(authToken, url, params),
      },
      dispatcher: ctx.webhooks.agent,
    });
    return { status: response.statusCode, messageSid, body: await response.body.text() };
  };

  const reset = (opts: { config?: boolean } = {}) => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    ctx.webhooks.clear();
    ctx.events.clear();
    ctx.scheduledCallbacks = 0;
    ctx.state = new SimulatorState();
    ctx.rates.clear();
    if (opts.config) applyConfig(defaultConfig());
  };

  const whenIdle = async (timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (callbackStats().pending > 0) {
      if (Date.now() > deadline)
        throw new Error(`simulator not idle after ${timeoutMs} ms: ${JSON.stringify(callbackStats())}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const control = async (req: IncomingMessage, path: string, query: string): Promise<SimResponse> => {
    const route = `${req.method} ${path}`;
    const q = new URLSearchParams(query);
    const bodyOf = async () => JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
    switch (route) {
      case 'GET /_sim/stats':
        return json(200, { ...ctx.state.snapshot(callbackStats()) });
      case 'GET /_sim/records': {
        const mid = q.get('mid') ?? undefined;
        const channel = (q.get('channel') ?? undefined) as RecordFilter['channel'];
        const offset = Number(q.get('offset') ?? 0) || 0;
        const limit = Number(q.get('limit') ?? 1000) || 1000;
        const found = records({ mid, channel });
        return json(200, {
          total: found.length,
          acceptedCount: mid === undefined ? undefined : ctx.state.acceptedCount(mid),
          records: found.slice(offset, offset + limit),
        });
      }
      case 'GET /_sim/config':
        return json(200, ctx.config);
      case 'POST /_sim/config':
        return json(200, applyConfig(mergeConfig(ctx.config, (await bodyOf()) as SimulatorConfigPatch)));
      case 'POST /_sim/inbound':
        return json(200, await sendInbound((await bodyOf()) as unknown as InboundSms));
      case 'POST /_sim/reset': {
        const body = await bodyOf();
        reset({ config: body.config === true });
        return json(200, { ok: true });
      }
      case 'GET /_sim/idle':
        await whenIdle(Number(q.get('timeoutMs') ?? 10_000));
        return json(200, { idle: true });
      case 'GET /_sim/info':
        return json(200, info());
      case 'POST /_sim/accepted-counts': {
        // Times each of these mids was accepted, in one call (a run checks thousands of messages).
        const mids = ((await bodyOf()).mids ?? []) as string[];
        return json(200, { counts: mids.map((mid) => ctx.state.acceptedCount(String(mid))) });
      }
      default:
        return json(404, { error: `unknown control route ${route}` });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const query = mark < 0 ? '' : url.slice(mark + 1);
    if (path.startsWith('/_sim/')) {
      write(res, await control(req, path, query));
      return;
    }
    let response: SimResponse;
    if (path === '/v3/mail/send' && req.method === 'POST') {
      const body = await readHeld(req);
      response =
        body === null
          ? json(413, { errors: [{ message: 'Payload Too Large', field: null, help: null }] })
          : sendMail(ctx, req.headers.authorization, body);
    } else {
      const match = TWILIO_PATH.exec(path);
      if (match && req.method === 'POST' && !match[2]) {
        const body = await readHeld(req);
        response =
          body === null
            ? twilioError(413, 20001, 'Payload Too Large')
            : createMessage(ctx, match[1], req.headers.authorization, body);
      } else if (match && req.method === 'GET') {
        await readHeld(req); // the same awaits as a POST: held requests resume in arrival order
        response = match[2]
          ? fetchMessage(ctx, match[1], match[2], req.headers.authorization)
          : listMessages(ctx, match[1], req.headers.authorization, query);
      } else {
        response = json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      }
    }
    later(sampleLatency(ctx.config.latency), () => write(res, response));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      write(res, json(500, { error: error instanceof Error ? error.message : String(error) }));
    });
  });
  // Clients keep connections for seconds; never be the side that closes an idle one first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const info = () => ({
    url: baseUrl,
    port,
    twilio: { accountSid, authToken },
    sendgrid: { apiKey, webhookPublicKey: publicKeyBase64 },
  });

  return {
    ...info(),
    configure: (patch) => applyConfig(mergeConfig(ctx.config, patch)),
    config: () => ctx.config,
    stats: () => ctx.state.snapshot(callbackStats()),
    records,
    acceptedCount: (mid) => ctx.state.acceptedCount(mid),
    sendInbound,
    whenIdle,
    reset,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      ctx.events.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await ctx.webhooks.close();
    },
  };
}

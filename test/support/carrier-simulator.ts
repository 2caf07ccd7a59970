// The harness of the carrier simulator tests (test/unit/carrier-simulator-*.test.ts): the
// simulator on loopback, the real twilio and @sendgrid/mail clients built by our factories, and a
// small local HTTP server the webhooks land on (its /fail… paths answer 500, its /flaky… paths 503
// while `flaky` is above 0, counting down). Each test starts
// from the simulator's default configuration and an empty receiver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { createSendGridClient, type SendGridClient } from '../../activities/carriers/sendgrid-client';

export interface Received {
  path: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Date.now() at arrival. */
  at: number;
}

export class Receiver {
  readonly received: Received[] = [];
  private server!: Server;
  base = '';
  /** Requests to /flaky… still to refuse (503). */
  flaky = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = `${this.base}${req.url}`;
        this.received.push({
          path: (req.url ?? '').split('?')[0],
          url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const refuse = req.url?.startsWith('/flaky') && this.flaky > 0;
        if (refuse) this.flaky -= 1;
        res.writeHead(req.url?.startsWith('/fail') ? 500 : refuse ? 503 : 204).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const form = (body: string) => Object.fromEntries(new URLSearchParams(body));
export const header = (r: Received, name: string) => String(r.headers[name.toLowerCase()] ?? '');

export const FROM = '+33700000001';

export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

export interface SimulatorSuite {
  sim: CarrierSimulator;
  receiver: Receiver;
  sms: TwilioClient;
  mail: SendGridClient;
  /** An SMS from FROM whose status callbacks go to the receiver's /twilio/status?mid=<mid>. */
  send: (to: string, mid: string, extra?: Record<string, string>) => ReturnType<TwilioClient['messages']['create']>;
}

/** Registers beforeAll / afterAll / beforeEach; the fields are set once beforeAll has run. */
export function simulatorSuite(): SimulatorSuite {
  const s = {} as SimulatorSuite;
  s.send = (to, mid, extra = {}) =>
    s.sms.messages.create({
      to,
      from: FROM,
      body: 'Bonjour',
      statusCallback: `${s.receiver.base}/twilio/status?mid=${mid}`,
      ...extra,
    });

  beforeAll(async () => {
    s.sim = await startCarrierSimulator();
    s.receiver = new Receiver();
    await s.receiver.start();
    s.sms = createTwilioClient({ ...s.sim.twilio, baseUrl: s.sim.url, connections: 8 });
    s.mail = createSendGridClient({ apiKey: s.sim.sendgrid.apiKey, baseUrl: s.sim.url });
  });

  afterAll(async () => {
    await s.sms.close();
    s.mail.close();
    await s.sim.stop();
    await s.receiver.stop();
  });

  beforeEach(() => {
    s.sim.reset({ config: true });
    s.receiver.received.length = 0;
    s.receiver.flaky = 0;
  });
  return s;
}

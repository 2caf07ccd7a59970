// What the carrier handlers share: configuration, credentials, what was seen, outgoing webhooks.
import type { KeyObject } from 'node:crypto';
import type { SimulatorConfig } from './config';
import type { SimulatorState } from './state';
import type { EventBatcher, Later, RateWindows, WebhookQueue } from './webhooks';

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SimContext {
  config: SimulatorConfig;
  /** Lookup sets derived from config (rebuilt on every configure). */
  sets: {
    invalidNumbers: Set<string>;
    unsubscribedNumbers: Set<string>;
    bouncedEmails: Set<string>;
    unsubscribedEmails: Set<string>;
  };
  twilio: { accountSid: string; authToken: string; basicAuth: string };
  sendgrid: { apiKey: string; bearerAuth: string; privateKey: KeyObject; publicKeyBase64: string };
  state: SimulatorState;
  webhooks: WebhookQueue;
  events: EventBatcher;
  rates: RateWindows;
  later: Later;
  /** Callback deliveries waiting for their delay. */
  scheduledCallbacks: number;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  const body = JSON.stringify(value);
  // A Content-Length lets Node send headers and body in one write instead of chunked encoding.
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers },
    body,
  };
}

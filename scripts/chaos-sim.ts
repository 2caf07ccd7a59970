// The chaos suite's view of the carrier simulator, which runs as its own process
// (simulator/main.ts): its record of accepted messages is the reference every run is measured
// against, and its configuration is how carrier faults are injected (simulator/config.ts).
import { request } from 'undici';
import type { SimulatorConfigPatch } from '../simulator';
import type { SimulatorStats } from '../simulator/state';

export interface SimInfo {
  url: string;
  twilio: { accountSid: string; authToken: string };
  sendgrid: { apiKey: string; webhookPublicKey: string };
}

async function call<T>(base: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await request(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`simulator ${method} ${path}: ${res.statusCode} ${text}`);
  return JSON.parse(text) as T;
}

export function simClient(base: string) {
  return {
    info: () => call<SimInfo>(base, 'GET', '/_sim/info'),
    stats: () => call<SimulatorStats>(base, 'GET', '/_sim/stats'),
    configure: (patch: SimulatorConfigPatch) => call<unknown>(base, 'POST', '/_sim/config', patch),
    /** Forgets records, counts and pending webhooks (configuration kept): one run's record each. */
    reset: () => call<unknown>(base, 'POST', '/_sim/reset', {}),
    /** Times each mid was accepted, in chunks. */
    async acceptedCounts(mids: string[]): Promise<number[]> {
      const out: number[] = [];
      for (let i = 0; i < mids.length; i += 10_000) {
        const { counts } = await call<{ counts: number[] }>(base, 'POST', '/_sim/accepted-counts', {
          mids: mids.slice(i, i + 10_000),
        });
        out.push(...counts);
      }
      return out;
    },
  };
}

export type SimClient = ReturnType<typeof simClient>;

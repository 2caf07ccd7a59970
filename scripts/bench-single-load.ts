// The load and the figures of `npm run bench:single` (bench-single.ts): single SMS offered through
// the API at a fixed rate, open loop (each request leaves on its schedule whether or not earlier
// ones have answered), then the simulator's record read back: submit = API 202 → carrier
// acceptance, lost = accepted by the API and never by the carrier, duplicates = accepted twice.
import { request, Agent } from 'undici';
import type { CarrierSimulator } from '../simulator';

export interface Offered {
  sentAt: number;
  answeredAt: number;
  status: number;
  id: string | null;
}

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Offers `rate` requests per second for `seconds`, on schedule; resolves when all have answered. */
export async function offer(opts: { apiUrl: string; key: string; rate: number; seconds: number }): Promise<Offered[]> {
  const total = Math.round(opts.rate * opts.seconds);
  const agent = new Agent({ connections: 512, pipelining: 1, keepAliveTimeout: 30_000 });
  const out: Promise<Offered>[] = [];
  const t0 = performance.now();
  const one = async (i: number): Promise<Offered> => {
    const sentAt = Date.now();
    try {
      const res = await request(`${opts.apiUrl}/v1/messages`, {
        method: 'POST',
        dispatcher: agent,
        // Unanswered 10 s after its schedule (queue time included): counted as not accepted, so
        // that the run stays bounded when the API lags.
        signal: AbortSignal.timeout(10_000),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.key}` },
        body: JSON.stringify({
          channel: 'sms',
          purpose: 'transactional',
          to: `+336${String(i).padStart(8, '0')}`,
          body: `Code ${String(i % 1_000_000).padStart(6, '0')}`,
        }),
      });
      const text = await res.body.text();
      const id = res.statusCode === 202 ? (JSON.parse(text).id as string) : null;
      return { sentAt, answeredAt: Date.now(), status: res.statusCode, id };
    } catch {
      return { sentAt, answeredAt: Date.now(), status: 0, id: null };
    }
  };
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * opts.rate) + 1);
    for (; i < due; i += 1) out.push(one(i));
    await new Promise((r) => setTimeout(r, 2));
  }
  const all = await Promise.all(out);
  await agent.close();
  return all;
}

/** Waits until the carrier has every message the API accepted, or none arrived for `idleMs`. */
export async function drain(sim: CarrierSimulator, ids: string[], idleMs = 30_000): Promise<void> {
  let missing = ids;
  let since = Date.now();
  for (;;) {
    const left = missing.filter((id) => sim.acceptedCount(id) === 0);
    if (left.length === 0) return;
    if (left.length !== missing.length) since = Date.now();
    else if (Date.now() - since > idleMs) return;
    missing = left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function figures(offered: Offered[], sim: CarrierSimulator, rate: number) {
  const accepted = offered.filter((o) => o.id !== null);
  const first = offered[0]?.sentAt ?? 0;
  const lastAnswer = Math.max(...accepted.map((o) => o.answeredAt));
  const acceptedAt = new Map<string, number>();
  for (const r of sim.records({ channel: 'sms' }))
    if (r.mid !== null && !acceptedAt.has(r.mid)) acceptedAt.set(r.mid, r.acceptedAt);
  const api = accepted.map((o) => o.answeredAt - o.sentAt).sort((a, b) => a - b);
  const submit: number[] = [];
  let lost = 0;
  for (const o of accepted) {
    const at = acceptedAt.get(o.id!);
    if (at === undefined) lost += 1;
    else submit.push(Math.max(0, at - o.answeredAt));
  }
  submit.sort((a, b) => a - b);
  const reached = [...acceptedAt.values()].sort((a, b) => a - b);
  const span = (reached[reached.length - 1] - first) / 1000;
  return {
    offered_per_s: rate,
    accepted_per_s: Math.round(accepted.length / ((lastAnswer - first) / 1000)),
    api_p50_ms: pct(api, 50),
    api_p99_ms: pct(api, 99),
    submit_p50_ms: pct(submit, 50),
    submit_p99_ms: pct(submit, 99),
    submit_max_ms: submit[submit.length - 1] ?? 0,
    end_to_end_per_s: reached.length > 0 ? Math.round(reached.length / span) : 0,
    lost,
    duplicates: accepted.filter((o) => sim.acceptedCount(o.id!) > 1).length,
  };
}

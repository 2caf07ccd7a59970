// The webhook part of bench:send (docs/webhooks.md): a minimal customer receiver on loopback
// (answers 204 at once, counts distinct webhook-ids), an endpoint of the bench account for every
// message event, and the figures of one SMS campaign run with it: events delivered per second
// during the campaign, the backlog when the last SMS is accepted, and the time to drain it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { api } from './bench-send-campaign';

export interface WebhookFigures {
  webhook_events_per_s: number;
  webhook_backlog_at_end: number;
  webhook_drain_s: number | null;
}

export async function webhookBench(b: { apiUrl: string; key: string; db: Knex; log: (m: string) => void }) {
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    seen.add(String(req.headers['webhook-id']));
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const types = ['message.submitted', 'message.delivered', 'message.undelivered', 'message.failed'];
  const created = await api(b.apiUrl, 'POST', '/v1/webhook-endpoints', { url, eventTypes: types }, b.key);
  if (created.status !== 201) throw new Error(`webhook endpoint: ${JSON.stringify(created.json)}`);
  const endpointId = created.json.id as string;
  const pending = async () =>
    Number((await b.db('webhook_events').where({ endpoint_id: endpointId, status: 'pending' }).count({ n: '*' }))[0].n);

  return {
    /** Runs `campaign` with the endpoint enabled and measures the deliveries around it. */
    async measure<T>(campaign: () => Promise<T>, drainLimitS = 600): Promise<{ run: T; figures: WebhookFigures }> {
      seen.clear();
      const t0 = Date.now();
      const run = await campaign();
      const seconds = (Date.now() - t0) / 1000;
      const deliveredDuring = seen.size;
      const backlog = await pending();
      const t1 = Date.now();
      let left = backlog;
      while (left > 0 && Date.now() - t1 < drainLimitS * 1000) {
        await new Promise((r) => setTimeout(r, 250));
        left = await pending();
      }
      const drain = left === 0 ? Math.round((Date.now() - t1) / 100) / 10 : null;
      b.log(
        `webhooks: ${deliveredDuring} delivered during the campaign, ${backlog} pending at its end, drain ${drain} s`,
      );
      return {
        run,
        figures: {
          webhook_events_per_s: Math.round(deliveredDuring / seconds),
          webhook_backlog_at_end: backlog,
          webhook_drain_s: drain,
        },
      };
    },
    async stop() {
      await api(b.apiUrl, 'DELETE', `/v1/webhook-endpoints/${endpointId}`, undefined, b.key);
      await new Promise((r) => server.close(r));
    },
  };
}

// GET /metrics: the API's Prometheus metrics (lib/metrics/definitions.ts), then the gauges read
// from Postgres at scrape (lib/metrics/db-gauges.ts). Not a staff route (Prometheus has no staff
// session): open on loopback, or behind METRICS_TOKEN as a bearer token when set. Mounted before
// the request logger (no line per scrape) and the maintenance gate (6.4.3 windows are when
// operators watch most).
import { Router } from 'express';
import type { ApiDeps } from './context';
import { unauthorized } from './errors';
import { registry } from '../lib/metrics/definitions';
import { postgresGauges } from '../lib/metrics/db-gauges';
import { metricsAuthorized } from '../lib/metrics/http';
import { describeRoute } from './openapi/registry';

export function metricsRouter({ db, config }: Pick<ApiDeps, 'db' | 'config'>): Router {
  const r = Router();
  const fromPostgres = postgresGauges(db);
  describeRoute({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (Bearer METRICS_TOKEN when set)',
    tag: 'Operations',
    access: 'metrics',
    early: true,
    responses: { 200: { contentType: 'text/plain', description: 'Prometheus text format' } },
  });
  r.get('/metrics', async (req, res) => {
    if (!metricsAuthorized(config.METRICS_TOKEN, req))
      throw unauthorized('GET /metrics needs the METRICS_TOKEN bearer token.');
    const [own, pg] = await Promise.all([registry.metrics(), fromPostgres()]);
    res.type(registry.contentType).send(own + pg);
  });
  return r;
}

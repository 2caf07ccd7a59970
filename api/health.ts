import { Router } from 'express';
import type { Connection } from '@temporalio/client';
import type { ApiDeps } from './context';
import { z } from 'zod';
import { describeRoute } from './openapi/registry';

/** 200 when Postgres and Temporal both answer; 503 naming what does not. */
export function healthRouter({ db, temporal }: ApiDeps): Router {
  const r = Router();
  const health = z.object({ status: z.enum(['ok', 'degraded']), postgres: z.string(), temporal: z.string() });
  describeRoute({
    method: 'get',
    path: '/health',
    summary: 'Postgres and Temporal reachability (503 naming what does not answer)',
    tag: 'Operations',
    access: 'public',
    responses: { 200: health, 503: health },
  });
  r.get('/health', async (_req, res) => {
    const check = async (fn: () => Promise<unknown>) => {
      try {
        await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))]);
        return 'ok';
      } catch (e) {
        return `down: ${(e as Error).message}`;
      }
    };
    const [postgres, temporalStatus] = await Promise.all([
      check(() => db.raw('select 1')),
      check(() => (temporal.connection as Connection).healthService.check({})),
    ]);
    const ok = postgres === 'ok' && temporalStatus === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', postgres, temporal: temporalStatus });
  });
  return r;
}

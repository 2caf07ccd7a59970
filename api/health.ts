import { Router } from 'express';
import type { Connection } from '@temporalio/client';
import type { ApiDeps } from './context';

/** 200 when Postgres and Temporal both answer; 503 naming what does not. */
export function healthRouter({ db, temporal }: ApiDeps): Router {
  const r = Router();
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

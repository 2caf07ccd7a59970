// 6.4.3: during a maintenance window the API answers 503 with Retry-After. The windows are read
// from Postgres at most every few seconds (cached in memory: no query per request). Health and
// staff routes are never blocked (operations must be able to see and end the window).
import type { RequestHandler } from 'express';
import { retryAfterSeconds } from '../domain/maintenance-clocks';
import type { ApiDeps } from './context';
import { Problem } from './errors';

interface CachedWindow {
  id: string;
  startsAt: Date;
  endsAt: Date;
  emergency: boolean;
}

export function maintenanceGate(deps: Pick<ApiDeps, 'db' | 'now'>, opts: { cacheMs?: number } = {}): RequestHandler {
  const cacheMs = opts.cacheMs ?? 3000;
  const now = deps.now ?? (() => new Date());
  let windows: CachedWindow[] = [];
  let loadedAt = 0;
  let loading: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    const rows = await deps
      .db('maintenance_windows')
      .whereNull('cancelled_at')
      .andWhere('ends_at', '>', deps.db.fn.now())
      .orderBy('starts_at')
      .limit(100)
      .select('id', 'starts_at', 'ends_at', 'emergency');
    windows = rows.map((r) => ({
      id: r.id,
      startsAt: new Date(r.starts_at),
      endsAt: new Date(r.ends_at),
      emergency: r.emergency,
    }));
    loadedAt = Date.now();
  }

  return async (req, _res, next) => {
    if (req.path === '/health' || req.path.startsWith('/v1/staff')) return next();
    if (Date.now() - loadedAt > cacheMs) {
      // One refresh at a time; a failed refresh keeps the last known windows.
      loading ??= refresh()
        .catch((err) => {
          req.log?.warn({ err }, 'maintenance windows not refreshed');
          loadedAt = Date.now();
        })
        .finally(() => {
          loading = null;
        });
      await loading;
    }
    const at = now();
    for (const w of windows) {
      const retry = retryAfterSeconds(w, at);
      if (retry !== null) {
        throw new Problem(
          503,
          'maintenance',
          'Service unavailable: maintenance',
          `The platform is under ${w.emergency ? 'emergency' : 'scheduled'} maintenance until ${w.endsAt.toISOString()} (article 6.4.3).`,
          { windowId: w.id, endsAt: w.endsAt.toISOString(), emergency: w.emergency },
          { 'Retry-After': String(retry) },
        );
      }
    }
    next();
  };
}

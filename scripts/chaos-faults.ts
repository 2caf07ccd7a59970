// The faults of the chaos suite, by stable name. Each is injected mid-campaign by chaos-run.ts:
// inject() breaks one component and resolves once the fault is over (the process started again,
// resumed, reconnected, or the carrier back to normal): that instant is the fault's "heal".
// lost-workflow-start is not a campaign fault: chaos-workflow-start.ts.
import type { ChaosSystem, NodeProc } from './chaos-system';
import { SIM_BASE_CONFIG } from './chaos-system';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The page activity's heartbeat timeout (workflows/campaign.ts default): a frozen or cut-off
 * worker must stay away longer than this for its attempts to time out and be retried elsewhere.
 */
const HEARTBEAT_TIMEOUT_S = 20;
/** How long a frozen or partitioned send worker stays away: past the heartbeat timeout. */
const AWAY_S = HEARTBEAT_TIMEOUT_S + 10;
/** Down time of a killed process before it is started again. */
const RESTART_AFTER_S = 3;

export interface CampaignFault {
  name: string;
  /** Send workers running during the campaign. */
  sendWorkers: 1 | 2;
  inject(sys: ChaosSystem): Promise<void>;
}

async function killAndRestart(p: NodeProc, sig: NodeJS.Signals, downS: number): Promise<void> {
  await p.stop(sig);
  await sleep(downS * 1000);
  p.start();
}

async function frozen(p: NodeProc, seconds: number): Promise<void> {
  p.signal('SIGSTOP');
  await sleep(seconds * 1000);
  p.signal('SIGCONT');
}

async function carrierFor(sys: ChaosSystem, seconds: number, patch: Parameters<ChaosSystem['sim']['configure']>[0]) {
  await sys.sim.configure(patch);
  await sleep(seconds * 1000);
  await sys.sim.configure({ ...SIM_BASE_CONFIG, twilio: { rateLimitedRate: 0, serverErrorRate: 0 } });
}

function postgresDown(seconds: number): CampaignFault {
  return {
    name: `postgres-down-${seconds}s`,
    sendWorkers: 1,
    async inject(sys) {
      await sys.postgres.stop(); // a clean (fast) shutdown: connections refused meanwhile
      await sleep(seconds * 1000);
      await sys.postgres.start();
    },
  };
}

/**
 * Stopped as a deploy stops it (SIGTERM), then unreachable for `seconds`. A graceful stop keeps
 * serving the carriers' keep-alive connections while they are busy, so it is bounded: SIGKILL
 * after 2 s, or the API would not be down while the delivery reports flow.
 */
function apiDown(seconds: number): CampaignFault {
  return {
    name: `api-down-${seconds}s`,
    sendWorkers: 1,
    async inject(sys) {
      await sys.api.stop('SIGTERM', 2_000);
      await sleep(seconds * 1000);
      sys.api.start();
    },
  };
}

export const CAMPAIGN_FAULTS: CampaignFault[] = [
  { name: 'kill-send-worker', sendWorkers: 1, inject: (sys) => killAndRestart(sys.send, 'SIGKILL', RESTART_AFTER_S) },
  {
    name: 'kill-lifecycle-worker',
    sendWorkers: 1,
    inject: (sys) => killAndRestart(sys.lifecycle, 'SIGKILL', RESTART_AFTER_S),
  },
  { name: 'kill-api', sendWorkers: 1, inject: (sys) => killAndRestart(sys.api, 'SIGKILL', RESTART_AFTER_S) },
  {
    name: 'kill-temporal',
    sendWorkers: 1,
    async inject(sys) {
      await sys.temporalServer.kill9();
      await sleep(5_000);
      await sys.temporalServer.start(); // same port, same SQLite file: its state survives
    },
  },
  {
    name: 'kill-postgres',
    sendWorkers: 1,
    async inject(sys) {
      await sys.postgres.kill9(); // the postmaster, then crash recovery on the same data directory
      await sleep(RESTART_AFTER_S * 1000);
      await sys.postgres.start();
    },
  },
  postgresDown(30),
  postgresDown(5),
  apiDown(5),
  { name: 'freeze-send-worker', sendWorkers: 1, inject: (sys) => frozen(sys.send, AWAY_S) },
  { name: 'freeze-send-worker-2', sendWorkers: 2, inject: (sys) => frozen(sys.send2, AWAY_S) },
  {
    name: 'partition-send-worker',
    sendWorkers: 2,
    async inject(sys) {
      sys.proxy.partition(); // the second worker loses Temporal only: Postgres and the carrier stay
      await sleep(AWAY_S * 1000);
      sys.proxy.heal();
    },
  },
  {
    name: 'carrier-429-storm',
    sendWorkers: 1,
    inject: (sys) => carrierFor(sys, 20, { twilio: { rateLimitedRate: 0.9 } }),
  },
  {
    name: 'carrier-5xx-storm',
    sendWorkers: 1,
    inject: (sys) => carrierFor(sys, 20, { twilio: { serverErrorRate: 0.9 } }),
  },
  { name: 'carrier-hang', sendWorkers: 1, inject: (sys) => carrierFor(sys, 40, { hang: true }) },
  {
    name: 'carrier-slow',
    sendWorkers: 1,
    inject: (sys) => carrierFor(sys, 30, { latency: { minMs: 2_000, maxMs: 6_000 } }),
  },
];

/** The faults `npm run chaos` runs by default, in this order (postgres-down-5s only on request). */
export const DEFAULT_FAULTS = [
  'kill-send-worker',
  'kill-lifecycle-worker',
  'kill-api',
  'kill-temporal',
  'kill-postgres',
  'postgres-down-30s',
  'api-down-5s',
  'freeze-send-worker',
  'freeze-send-worker-2',
  'partition-send-worker',
  'carrier-429-storm',
  'carrier-5xx-storm',
  'carrier-hang',
  'carrier-slow',
  'lost-workflow-start',
];

/** Faults run --repeat times (a stale attempt's duplicates depend on timing). */
export const REPEATED_FAULTS = ['freeze-send-worker', 'freeze-send-worker-2'];

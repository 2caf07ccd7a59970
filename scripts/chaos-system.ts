// The system the chaos suite breaks: every component a separate OS process on embedded defaults
// (PostgreSQL, the Temporal dev server, the carrier simulator, the API, the lifecycle worker, one
// or two send workers), each on a fixed port or data directory so that it can be killed, stopped,
// frozen and started again in place. The second send worker reaches Temporal through a TCP proxy
// (chaos-proxy.ts) that can cut it off. Node components run from dist/ (npm run chaos) or, when
// this module itself runs from sources (jest), from the TypeScript sources through
// test/support/swc-register.js, so the test never runs a stale build.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { Client, Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { createDb, migrate } from '../lib/db';
import {
  freePort,
  ROOT,
  SEND_WORKER_NODE_ARGS,
  startPostgres,
  startTemporalDevServer,
  type PostgresHandle,
  type TemporalHandle,
} from './infra';
import { waitFor } from './bench-send-procs';
import { startTcpProxy, type TcpProxy } from './chaos-proxy';
import { simClient, type SimClient } from './chaos-sim';

const FROM_SOURCES = __filename.endsWith('.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Node component (API, worker, simulator) that can be signalled and started again. */
export class NodeProc {
  proc: ChildProcess | null = null;
  constructor(
    readonly name: string,
    private readonly file: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDir: string,
    private readonly nodeArgs: string[] = [],
    private readonly args: string[] = [],
  ) {}

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  start(): void {
    const entry = FROM_SOURCES
      ? ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, `${this.file}.ts`)]
      : [join(ROOT, 'dist', `${this.file}.js`)];
    const log = openSync(join(this.logDir, `${this.name}.log`), 'a');
    this.proc = spawn(process.execPath, [...this.nodeArgs, ...entry, ...this.args], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.proc!.kill(sig);
  }

  /** Sends the signal and resolves once the process has exited (SIGKILL after graceMs). */
  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGCONT'); // a frozen process cannot exit
    p.kill(sig);
    const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

export interface ChaosOptions {
  /**
   * SMS per second per send worker (SMS_SENDER_MPS), to make campaigns last longer; 0 (default):
   * full speed, as a campaign runs in service. Pacing hides faults whose harm grows with the
   * send rate (a stale attempt that resumes sends as fast as the rate lets it).
   */
  smsPerSecond?: number;
  log: (m: string) => void;
}

export interface ChaosSystem {
  dir: string;
  apiUrl: string;
  db: Knex;
  temporal: Client;
  sim: SimClient;
  api: NodeProc;
  lifecycle: NodeProc;
  send: NodeProc;
  /** The second send worker, through the proxy; running only for the faults that need it. */
  send2: NodeProc;
  proxy: TcpProxy;
  postgres: { kill9(): Promise<void>; stop(): Promise<void>; start(): Promise<void> };
  temporalServer: { kill9(): Promise<void>; start(): Promise<void> };
  /** Every component up (restarting any that is not) and the API healthy. */
  ensureUp(sendWorkers: 1 | 2): Promise<void>;
  /** Stops everything; the run directory is removed unless keepLogs (its logs/ then stay). */
  stop(keepLogs?: boolean): Promise<void>;
}

export const SIM_BASE_CONFIG = { latency: { fixedMs: 20 }, hang: false, maxRecords: 200_000 } as const;

export async function startChaosSystem(opts: ChaosOptions): Promise<ChaosSystem> {
  const dir = mkdtempSync(join(tmpdir(), 'tentacle-chaos-'));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir);
  opts.log(`run directory ${dir} (component logs in ${logDir})`);
  const pgDir = join(dir, 'pg');
  const [pgPort, apiPort, simPort] = await Promise.all([freePort(), freePort(), freePort()]);
  let pg: PostgresHandle = await startPostgres(pgDir, pgPort);
  // The dev server also binds ports of its own (its HTTP API on port + 1000), which something else
  // may hold: a few tries on fresh ports.
  const firstTemporal = async (): Promise<{ port: number; handle: TemporalHandle }> => {
    for (let i = 0; ; i += 1) {
      const port = await freePort();
      try {
        return {
          port,
          handle: await startTemporalDevServer({ dbFile: join(dir, 'temporal.sqlite'), port, headless: true }),
        };
      } catch (err) {
        if (i >= 2) throw err;
      }
    }
  };
  // A postmaster outlives its wrapper (killed when this process exits): stop it if we cannot go on.
  const first = await firstTemporal().catch(async (err: unknown) => {
    await pg.stop();
    throw err;
  });
  const temporalPort = first.port;
  let temporal: TemporalHandle = first.handle;
  const db = createDb(pg.url, { min: 0, max: 4 });
  await migrate(db);

  const sim = simClient(`http://127.0.0.1:${simPort}`);
  const simProc = new NodeProc(
    'simulator',
    'simulator/main',
    { ...process.env },
    logDir,
    [],
    ['--port', String(simPort), '--config', JSON.stringify({ ...SIM_BASE_CONFIG, callbacks: { concurrency: 64 } })],
  );
  simProc.start();
  await waitFor(async () => Boolean(await sim.info()), 60_000, 'carrier simulator');
  const info = await sim.info();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await sim.configure({
    sendgrid: { eventWebhookUrl: `${apiUrl}/webhooks/sendgrid/events` },
    twilio: { inboundUrl: `${apiUrl}/webhooks/twilio/inbound` },
  });
  const proxy = await startTcpProxy(temporalPort);
  // The environment of `npm start`'s processes, pointed at this run's servers; the caller's own
  // environment passes through (e.g. a threshold to shorten for a run).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    API_PORT: String(apiPort),
    PUBLIC_BASE_URL: apiUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    TWILIO_ACCOUNT_SID: info.twilio.accountSid,
    TWILIO_AUTH_TOKEN: info.twilio.authToken,
    TWILIO_BASE_URL: info.url,
    SENDGRID_API_KEY: info.sendgrid.apiKey,
    SENDGRID_BASE_URL: info.url,
    SENDGRID_WEBHOOK_PUBLIC_KEY: info.sendgrid.webhookPublicKey,
    ...(opts.smsPerSecond ? { SMS_SENDER_MPS: String(Math.ceil(opts.smsPerSecond)) } : {}),
    SEND_RATE_PER_SECOND: '1000',
    SEND_RATE_BURST: '1000',
    // Reports the carriers' retries did not bring (Postgres down longer than Twilio retries) are
    // fetched by the status reconciliation: its service thresholds (10 min, every 5 min) are
    // shortened so that a run's grace period sees it act; the mechanism is the same.
    STATUS_RECONCILE_AFTER_MINUTES: process.env.STATUS_RECONCILE_AFTER_MINUTES ?? '0.5',
    STATUS_RECONCILE_INTERVAL_MINUTES: process.env.STATUS_RECONCILE_INTERVAL_MINUTES ?? '0.25',
    // Several workers on one host, next to a running `npm start`: metrics on any free port.
    LIFECYCLE_WORKER_METRICS_PORT: process.env.LIFECYCLE_WORKER_METRICS_PORT ?? '0',
    SEND_WORKER_METRICS_PORT: process.env.SEND_WORKER_METRICS_PORT ?? '0',
  };
  const api = new NodeProc('api', 'api/server', env, logDir);
  const lifecycle = new NodeProc('worker-lifecycle', 'workers/lifecycle', env, logDir);
  const send = new NodeProc('worker-send', 'workers/send', env, logDir, SEND_WORKER_NODE_ARGS);
  const send2 = new NodeProc(
    'worker-send-2',
    'workers/send',
    { ...env, TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}` },
    logDir,
    SEND_WORKER_NODE_ARGS,
  );
  for (const p of [api, lifecycle, send]) p.start();
  const temporalClient = new Client({ connection: await Connection.connect({ address: temporal.address }) });

  const postmasterPid = (): number | null => {
    try {
      return Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
    } catch {
      return null;
    }
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const startPg = async () => {
    // After a kill -9 the backends exit when they notice their postmaster is gone; until then the
    // new postmaster refuses to start on their shared memory: try again for a while.
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        pg = await startPostgres(pgDir, pgPort);
        return;
      } catch (err) {
        if (Date.now() > until) throw err;
        await sleep(1_000);
      }
    }
  };
  const postgres = {
    async kill9() {
      const pid = postmasterPid();
      if (pid) process.kill(pid, 'SIGKILL');
      process.kill(pg.pid, 'SIGKILL'); // the wrapper, whose server is gone
      await waitFor(async () => !alive(pg.pid), 10_000, 'postgres wrapper exit');
    },
    stop: () => pg.stop(),
    start: startPg,
  };
  const temporalServer = {
    async kill9() {
      if (temporal.pid === null) throw new Error('the Temporal dev server runs inside the SDK here: cannot kill it');
      process.kill(temporal.pid, 'SIGKILL');
      await waitFor(async () => !alive(temporal.pid!), 10_000, 'temporal exit');
    },
    async start() {
      temporal = await startTemporalDevServer({
        dbFile: join(dir, 'temporal.sqlite'),
        port: temporalPort,
        headless: true,
      });
    },
  };

  const health = async () => (await request(`${apiUrl}/health`)).statusCode === 200;
  const system: ChaosSystem = {
    dir,
    apiUrl,
    db,
    temporal: temporalClient,
    sim,
    api,
    lifecycle,
    send,
    send2,
    proxy,
    postgres,
    temporalServer,
    async ensureUp(sendWorkers) {
      proxy.heal();
      if (!alive(pg.pid)) await startPg();
      for (const p of [api, lifecycle, send]) if (!p.running) p.start();
      if (sendWorkers === 2 && !send2.running) send2.start();
      if (sendWorkers === 1) await send2.stop();
      for (const p of [api, lifecycle, send, send2]) p.signal('SIGCONT');
      await sim.configure({ ...SIM_BASE_CONFIG, twilio: { rateLimitedRate: 0, serverErrorRate: 0 } });
      await waitFor(health, 120_000, 'API /health');
    },
    async stop(keepLogs = false) {
      await Promise.all([api, lifecycle, send, send2].map((p) => p.stop()));
      await simProc.stop();
      await temporalClient.connection.close().catch(() => undefined);
      await db.destroy().catch(() => undefined);
      await proxy.close();
      await temporal.stop().catch(() => undefined);
      await pg.stop().catch(() => undefined);
      for (const d of keepLogs ? [pgDir, join(dir, 'temporal.sqlite')] : [dir])
        rmSync(d, { recursive: true, force: true });
    },
  };
  await waitFor(health, 120_000, 'API /health');
  return system;
}

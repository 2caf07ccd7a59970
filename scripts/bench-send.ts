// `npm run bench:send [-- --recipients N] [-- --callbacks on|off|both] [-- --concurrency C] [-- --send-workers N]
// [-- --webhooks]`:
// the bulk-send hot path end to end on embedded defaults. Starts Postgres, the Temporal dev
// server, the carrier simulator (in this process: 50 ms fixed latency, no errors), the API, a
// lifecycle worker and the send worker (each a child process; the send worker's RSS is sampled
// from /proc). Creates a funded account, uploads N recipients as CSV through the API, runs an SMS
// campaign and an e-mail campaign of N, and measures, in the same run, the raw ceiling of the
// same Twilio client at the same concurrency against the same simulator with no Temporal and no
// database (in its own process, like the send worker), once more with the delivery reports received
// by a bare sink, and CPU per message of each part. Prints a summary, then one JSON line.
// The parts: bench-send-procs.ts (children, /proc), bench-send-raw.ts (the raw ceiling),
// bench-send-campaign.ts (one campaign through the API), bench-send-report.ts (the result).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { Client, Connection } from '@temporalio/client';
import { freePort, SEND_WORKER_NODE_ARGS, startPostgres, startTemporalDevServer, type Running } from './infra';
import { startCarrierSimulator, type CarrierSimulator } from '../simulator';
import { createDb, migrate } from '../lib/db';
import { campaignRunner, fundedAccount, type CampaignRun } from './bench-send-campaign';
import { procStatus, startChild, waitFor, type Child } from './bench-send-procs';
import { rawCeiling, rawChild } from './bench-send-raw';
import { benchReport } from './bench-send-report';
import { webhookBench, type WebhookFigures } from './bench-send-webhooks';

const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : d;
};

async function main(): Promise<void> {
  const recipients = Number(arg('recipients', '200000'));
  const concurrency = Number(arg('concurrency', '500'));
  // Send workers share the concurrency (a Node worker sends from one JS thread; more processes
  // are how the send path scales, docs/ARCHITECTURE.md). The headline figure is one worker, as npm start runs.
  const sendWorkers = Math.max(1, Number(arg('send-workers', '1')));
  const window = Number(arg('window', '12'));
  const callbacks = arg('callbacks', 'both') as 'on' | 'off' | 'both';
  const started = Date.now();
  const running: Running[] = [];
  const children: Child[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tentacle-bench-'));
  const log = (m: string) => console.log(`[bench] ${m}`);
  let sim: CarrierSimulator | null = null;

  const stopAll = async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGTERM');
    await Promise.all(
      children.map((c) =>
        c.proc.exitCode === null
          ? new Promise((r) => {
              c.proc.once('exit', r);
              setTimeout(r, 5_000);
            })
          : null,
      ),
    );
    await sim?.stop().catch(() => undefined);
    for (const r of running.reverse()) await r.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };

  process.once('SIGINT', () => {
    void stopAll().then(() => process.exit(130));
  });
  process.once('SIGTERM', () => {
    void stopAll().then(() => process.exit(143));
  });
  try {
    const [pg, temporal] = await Promise.all([
      startPostgres(join(dir, 'pg')),
      startTemporalDevServer({ headless: true }),
    ]);
    running.push(pg, temporal);
    const db = createDb(pg.url);
    await migrate(db);
    sim = await startCarrierSimulator({
      config: {
        latency: { fixedMs: 50 },
        maxRecords: 1_000,
        callbacks: { enabled: callbacks !== 'off', concurrency: 64 },
      },
    });
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    sim.configure({
      sendgrid: { eventWebhookUrl: `${apiUrl}/webhooks/sendgrid/events` },
      twilio: { inboundUrl: `${apiUrl}/webhooks/twilio/inbound` },
    });
    const env = {
      ...process.env,
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address,
      API_PORT: String(apiPort),
      PUBLIC_BASE_URL: apiUrl,
      LOG_LEVEL: 'warn',
      TWILIO_ACCOUNT_SID: sim.twilio.accountSid,
      TWILIO_AUTH_TOKEN: sim.twilio.authToken,
      TWILIO_BASE_URL: sim.url,
      SENDGRID_API_KEY: sim.sendgrid.apiKey,
      SENDGRID_BASE_URL: sim.url,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sim.sendgrid.webhookPublicKey,
      SEND_CONCURRENCY: String(concurrency),
      SEND_WINDOW_PAGES: String(window),
      SEND_RATE_PER_SECOND: '1000',
      SEND_RATE_BURST: '1000',
      WEBHOOK_ALLOW_LOOPBACK: 'true', // the bench's receiver is on loopback
    };
    children.push(startChild('api', 'api/server.js', env), startChild('worker:lifecycle', 'workers/lifecycle.js', env));
    // Started as scripts/start.ts starts it (SEND_WORKER_NODE_ARGS adds flags for experiments).
    const sendEnv = { ...env, SEND_CONCURRENCY: String(Math.ceil(concurrency / sendWorkers)) };
    const sendWorkerList = Array.from({ length: sendWorkers }, () =>
      startChild('worker:send', 'workers/send.js', sendEnv, [
        ...SEND_WORKER_NODE_ARGS,
        ...(process.env.SEND_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ]),
    );
    children.push(...sendWorkerList);
    const roles = new Map<number, string>([
      [process.pid, 'simulator'],
      ...children.map((c): [number, string] => [c.proc.pid!, c.name]),
    ]);
    for (const c of children)
      c.proc.on('exit', (code) => {
        if (code !== 0 && code !== null) log(`${c.name} exited with ${code}`);
      });
    await waitFor(async () => (await request(`${apiUrl}/health`)).statusCode === 200, 90_000, 'API /health');
    const temporalClient = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    log(
      `system up in ${((Date.now() - started) / 1000).toFixed(1)} s; ${recipients} recipients, ` +
        `concurrency ${concurrency}, window ${window} pages, ${sendWorkers} send worker(s)`,
    );

    // RSS of the send worker(s): VmHWM is the kernel's own peak; sampled too to show it is flat.
    const rssSamples: { t: number; mb: number }[] = [];
    const sampler = setInterval(() => {
      const mbs = sendWorkerList.map((w) => procStatus(w.proc.pid!)?.rssMb ?? 0);
      rssSamples.push({ t: Date.now(), mb: Math.max(...mbs) });
    }, 200);

    // Account, funds, API key.
    const { key } = await fundedAccount(apiUrl, db, 'bench');

    const runCampaign = campaignRunner({
      apiUrl,
      key,
      recipients,
      sim,
      roles,
      pgDir: join(dir, 'pg'),
      temporalClient,
      log,
    });

    // Raw ceiling: same client factory, same concurrency, same simulator, no Temporal, no DB, in
    // its own process like the send worker; measured before and after the campaigns.
    const rawCount = Math.max(20_000, Math.min(recipients, 100_000));
    const measureRaw = rawCeiling({
      url: sim.url,
      accountSid: sim.twilio.accountSid,
      authToken: sim.twilio.authToken,
      concurrency,
      sendWorkers,
      log,
    });
    const rawBefore = await measureRaw(rawCount, 'before the campaigns');
    // The same, with the simulator's two delivery reports per SMS received by a bare sink: the
    // ceiling of the same physical work as a campaign with callbacks.
    sim.configure({ callbacks: { enabled: true } });
    const rawCallbacks = await measureRaw(rawCount, 'with delivery reports to a bare sink', true);
    sim.reset();
    sim.configure({ callbacks: { enabled: callbacks !== 'off' } });

    const smsOn = callbacks !== 'off' ? await runCampaign('sms', 0, 'SMS campaign (callbacks on)') : null;
    let smsOff: CampaignRun | null = null;
    if (callbacks === 'both' || callbacks === 'off') {
      // Callbacks still queued would compete with the next run: drop them (counts are per run).
      sim.reset();
      sim.configure({ callbacks: { enabled: false } });
      smsOff = await runCampaign('sms', 20_000_000, 'SMS campaign (callbacks off)');
      sim.configure({ callbacks: { enabled: callbacks !== 'off' } });
    }
    // The same SMS campaign (callbacks on) with a customer endpoint for every message event.
    let webhooks: (WebhookFigures & { sms_per_s_with_webhooks: number; sms_per_s_without_webhooks: number }) | null =
      null;
    if (smsOn && process.argv.includes('--webhooks')) {
      const wh = await webhookBench({ apiUrl, key, db, log });
      sim.reset();
      const { run, figures } = await wh.measure(() => runCampaign('sms', 40_000_000, 'SMS campaign (webhooks on)'));
      await wh.stop();
      webhooks = {
        ...figures,
        sms_per_s_with_webhooks: Math.round(run.perSecond),
        sms_per_s_without_webhooks: Math.round(smsOn.perSecond),
      };
    }
    const email = await runCampaign(
      'email',
      0,
      callbacks === 'off' ? 'e-mail campaign (events off)' : 'e-mail campaign (events on)',
    );
    let emailOff: CampaignRun | null = null;
    if (callbacks === 'both') {
      sim.reset();
      sim.configure({ callbacks: { enabled: false } });
      emailOff = await runCampaign('email', 20_000_000, 'e-mail campaign (events off)');
    }

    const rawAfter = await measureRaw(rawCount, 'after the campaigns');

    clearInterval(sampler);
    const hwms = sendWorkerList.map((w) => procStatus(w.proc.pid!)?.hwmMb ?? Math.max(...rssSamples.map((x) => x.mb)));
    const { result, summary } = benchReport({
      recipients,
      concurrency,
      window,
      callbacks,
      sendWorkers,
      started,
      smsOn,
      smsOff,
      email,
      emailOff,
      rawBefore,
      rawAfter,
      rawCallbacks,
      hwms,
      rssSamples,
    });
    console.log(summary);
    await temporalClient.connection.close();
    await db.destroy();
    await stopAll();
    console.log(JSON.stringify({ ...result, ...(webhooks ?? {}) }));
    process.exit(0);
  } catch (err) {
    console.error(err);
    await stopAll();
    process.exit(1);
  }
}

if (process.argv.includes('--raw-child')) {
  rawChild().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void main();
}

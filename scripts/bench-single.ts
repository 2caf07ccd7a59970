// `npm run bench:single [-- --rate R] [-- --seconds S] [-- --during-campaign N]`: single transactional
// SMS through POST /v1/messages at a fixed open-loop rate (default 1,000/s for 60 s) on embedded defaults:
// Postgres, the Temporal dev server, the carrier simulator (in this process: 50 ms fixed latency),
// the API, a lifecycle worker (which starts the single-send dispatchers) and two send workers (campaign
// pages; the single-send lane), each a child process from dist/. A funded account with the per-account rate limit of the send
// endpoints raised above the offered rate. With --during-campaign N, then single sends at 100/s for
// the same duration while another account's campaign of N SMS runs (the lane of single sends is
// never queued behind campaigns): submit_*_during_campaign. Prints a summary, then one JSON line
// (bench-single-load.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { freePort, SEND_WORKER_NODE_ARGS, startPostgres, startTemporalDevServer, type Running } from './infra';
import { startCarrierSimulator, type CarrierSimulator } from '../simulator';
import { createDb, migrate } from '../lib/db';
import { topUp } from '../lib/ledger-funding';
import { api, fundedAccount, registerAccount, uploadCampaign } from './bench-send-campaign';
import { cpuPerMessage, cpuSnapshot, startChild, waitFor, type Child } from './bench-send-procs';
import { drain, figures, offer } from './bench-single-load';

const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : d;
};

async function main(): Promise<void> {
  const rate = Number(arg('rate', '1000'));
  const seconds = Number(arg('seconds', '60'));
  const campaignSize = Number(arg('during-campaign', '0'));
  const running: Running[] = [];
  const children: Child[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tentacle-bench-single-'));
  const log = (m: string) => console.log(`[bench:single] ${m}`);
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
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
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
        maxRecords: Math.round((rate + 100) * seconds) + campaignSize + 10_000,
        callbacks: { enabled: true, concurrency: 64 },
      },
    });
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    sim.configure({ twilio: { inboundUrl: `${apiUrl}/webhooks/twilio/inbound` } });
    const limit = String(Math.max(1_000, rate * 2));
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
      SEND_RATE_PER_SECOND: limit,
      SEND_RATE_BURST: limit,
    };
    // One send worker for campaign pages and one for the single-send lane (SEND_WORKER_LANES), as
    // npm start runs them: a campaign's load never holds a one-time code in its event loop.
    const [lifecyclePort, campaignsPort, singlePort] = [await freePort(), await freePort(), await freePort()];
    children.push(
      startChild('api', 'api/server.js', env),
      startChild('worker:lifecycle', 'workers/lifecycle.js', {
        ...env,
        LIFECYCLE_WORKER_METRICS_PORT: String(lifecyclePort),
      }),
      startChild(
        'worker:send',
        'workers/send.js',
        { ...env, SEND_WORKER_LANES: 'campaigns', SEND_WORKER_METRICS_PORT: String(campaignsPort) },
        SEND_WORKER_NODE_ARGS,
      ),
      startChild(
        'worker:single',
        'workers/send.js',
        { ...env, SEND_WORKER_LANES: 'single', SEND_WORKER_METRICS_PORT: String(singlePort) },
        SEND_WORKER_NODE_ARGS,
      ),
    );
    await waitFor(async () => (await request(`${apiUrl}/health`)).statusCode === 200, 90_000, 'API /health');

    const { accountId, key } = await registerAccount(apiUrl, 'bench');
    await topUp(db, {
      accountId,
      amountCents: 2_000_000_000,
      source: { kind: 'adjustment', ref: `bench-${accountId}` },
    });
    // Warm-up: the dispatchers are up and the first message is through before the clock starts.
    const warm = await api(
      apiUrl,
      'POST',
      '/v1/messages',
      { channel: 'sms', purpose: 'transactional', to: '+33699999999', body: 'warm' },
      key,
    );
    await waitFor(async () => sim!.acceptedCount(String(warm.json.id)) === 1, 60_000, 'warm-up message');
    sim.reset();

    // CPU per message of each process (the load generator and the simulator are this process):
    // on a shared machine it says where the time goes better than the rates do.
    const roles = new Map<number, string>([
      [process.pid, 'bench+simulator'],
      ...children.map((c): [number, string] => [c.proc.pid!, c.name]),
    ]);
    const cpuBefore = cpuSnapshot(roles, join(dir, 'pg'));
    log(`offering ${rate}/s for ${seconds} s`);
    const offered = await offer({ apiUrl, key, rate, seconds });
    const ids = offered.flatMap((o) => (o.id === null ? [] : [o.id]));
    const accepted = ids.length;
    log(`API accepted ${accepted} of ${offered.length}; waiting for the carrier`);
    await drain(sim, ids);
    const cpu = cpuPerMessage(cpuBefore, cpuSnapshot(roles, join(dir, 'pg')), Math.max(1, accepted));
    log(`CPU ms per accepted message: ${JSON.stringify(cpu)}`);
    const result = figures(offered, sim, rate);
    log(`refused by the API: ${offered.length - accepted}; carrier has ${sim.stats().mids.unique}`);
    const during = campaignSize > 0 ? await duringCampaign(apiUrl, db, sim, key, campaignSize, seconds, log) : {};
    await db.destroy();
    await stopAll();
    console.log(JSON.stringify({ ...result, ...during }));
    process.exit(0);
  } catch (err) {
    console.error(err);
    await stopAll();
    process.exit(1);
  }
}

/** Single sends at 100/s while another account's campaign of `size` SMS runs: their submit latency. */
async function duringCampaign(
  apiUrl: string,
  db: ReturnType<typeof createDb>,
  sim: CarrierSimulator,
  key: string,
  size: number,
  seconds: number,
  log: (m: string) => void,
) {
  const other = await fundedAccount(apiUrl, db, 'benchcampaign');
  const { id } = await uploadCampaign(apiUrl, other.key, 'sms', size, 50_000_000);
  const before = sim.stats().accepted.sms;
  const started = await api(apiUrl, 'POST', `/v1/campaigns/${id}/start`, {}, other.key);
  if (started.status !== 202) throw new Error(`campaign start failed: ${started.status}`);
  await waitFor(async () => sim.stats().accepted.sms - before > 1_000, 120_000, 'campaign under way');
  log(`campaign of ${size} SMS under way; offering 100/s single sends for ${seconds} s`);
  const offered = await offer({ apiUrl, key, rate: 100, seconds });
  const campaignDone = sim.stats().accepted.sms - before >= size;
  await drain(
    sim,
    offered.flatMap((o) => (o.id === null ? [] : [o.id])),
  );
  const f = figures(offered, sim, 100);
  log(`during the campaign: ${JSON.stringify(f)}`);
  return {
    submit_p50_ms_during_campaign: f.submit_p50_ms,
    submit_p99_ms_during_campaign: f.submit_p99_ms,
    api_p99_ms_during_campaign: f.api_p99_ms,
    lost_during_campaign: f.lost,
    duplicates_during_campaign: f.duplicates,
    campaign_still_running_at_end: !campaignDone,
  };
}

void main();

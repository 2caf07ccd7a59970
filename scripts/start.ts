// `npm start`: the whole system on its embedded defaults — PostgreSQL, the Temporal dev server
// with its Web UI, both workers, the API — then a demo account to show it working.
// DATABASE_URL / TEMPORAL_ADDRESS point it at existing ones instead. `--smoke` exits after the
// demo (used by CI to prove this path on a clean clone).
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { createHash } from 'node:crypto';
import { ROOT, SEND_WORKER_NODE_ARGS, startPostgres, startTemporalDevServer, Running } from './infra';
import { createDb, migrate } from '../lib/db';
import { startCarrierSimulator, type CarrierSimulator } from '../simulator';
import { accountWorkflowId } from '../lib/workflow-clients/account';
import { loadConfig } from '../lib/config';
import { topUp } from '../lib/ledger-funding';
import { demoStaff } from './staff-admin';

const smoke = process.argv.includes('--smoke');
const env = (k: string, d: string) => process.env[k] ?? d;

/** As root, Postgres runs as `postgres`, which must be able to reach its data directory. */
function dataDir(): string {
  const inRepo = resolve(ROOT, '.data');
  if (userInfo().uid !== 0) return inRepo;
  let dir = ROOT;
  for (;;) {
    if ((statSync(dir).mode & 0o001) === 0) {
      const alt = `/var/tmp/tentacle-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`;
      console.log(`[start] ${dir} is not reachable by the postgres user; data goes to ${alt}`);
      return alt;
    }
    if (dir === dirname(dir)) return inRepo;
    dir = dirname(dir);
  }
}

async function main() {
  const started = Date.now();
  const running: Running[] = [];
  const children: ChildProcess[] = [];
  const data = dataDir();
  mkdirSync(data, { recursive: true });

  const stopAll = async () => {
    for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    for (const r of running.reverse()) await r.stop().catch(() => undefined);
  };
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping...');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let databaseUrl = process.env.DATABASE_URL;
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let uiUrl: string | null = process.env.TEMPORAL_UI_URL ?? null;
  const [pg, temporal] = await Promise.all([
    databaseUrl ? null : startPostgres(join(data, 'pg'), Number(env('PG_PORT', '5433'))),
    temporalAddress
      ? null
      : startTemporalDevServer({
          dbFile: join(data, 'temporal.sqlite'),
          port: Number(env('TEMPORAL_PORT', '7233')),
          uiPort: Number(env('TEMPORAL_UI_PORT', '8233')),
        }),
  ]);
  if (pg) {
    running.push(pg);
    databaseUrl = pg.url;
  }
  if (temporal) {
    running.push(temporal);
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
  }
  console.log(
    `[start] postgres ${pg ? 'embedded' : 'external'}, temporal ${temporal ? 'dev server' : 'external'} at ${temporalAddress}`,
  );

  const db = createDb(databaseUrl!);
  await migrate(db);

  const apiPort = env('API_PORT', '3000');
  // No carrier configured: the local simulator stands in for Twilio and SendGrid, and posts its
  // delivery reports and events to our webhooks.
  let sim: CarrierSimulator | null = null;
  const carrierEnv: Record<string, string> = {};
  if (!process.env.TWILIO_BASE_URL && !process.env.SENDGRID_BASE_URL) {
    const publicUrl = process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${apiPort}`;
    sim = await startCarrierSimulator({
      port: Number(env('SIMULATOR_PORT', '0')),
      config: {
        latency: { fixedMs: 50 },
        sendgrid: { eventWebhookUrl: `${publicUrl}/webhooks/sendgrid/events` },
        twilio: { inboundUrl: `${publicUrl}/webhooks/twilio/inbound` },
      },
    });
    const simulator = sim;
    running.push({ stop: () => simulator.stop() });
    Object.assign(carrierEnv, {
      TWILIO_BASE_URL: sim.url,
      TWILIO_ACCOUNT_SID: sim.twilio.accountSid,
      TWILIO_AUTH_TOKEN: sim.twilio.authToken,
      SENDGRID_BASE_URL: sim.url,
      SENDGRID_API_KEY: sim.sendgrid.apiKey,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sim.sendgrid.webhookPublicKey,
      PUBLIC_BASE_URL: publicUrl,
    });
  }
  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    API_PORT: apiPort,
    ...(uiUrl ? { TEMPORAL_UI_URL: uiUrl } : {}),
    ...carrierEnv,
  };
  // Each process's GET /metrics (docs/ARCHITECTURE.md, Observability); 0 would be a free port, logged.
  const metricsConfig = loadConfig(childEnv);
  const metricsHost = metricsConfig.METRICS_HOST === '0.0.0.0' ? '127.0.0.1' : metricsConfig.METRICS_HOST;
  // Two send workers: campaign pages, and the single-send lane apart from them (SEND_WORKER_LANES),
  // whose metrics are on the next port.
  const sendPort = metricsConfig.SEND_WORKER_METRICS_PORT;
  const singlePort = sendPort === 0 ? 0 : sendPort + 1;
  const metricsUrls = {
    api: `http://127.0.0.1:${apiPort}/metrics`,
    lifecycle: `http://${metricsHost}:${metricsConfig.LIFECYCLE_WORKER_METRICS_PORT}/metrics`,
    send: `http://${metricsHost}:${sendPort}/metrics`,
    single: `http://${metricsHost}:${singlePort}/metrics`,
  };
  const dist = join(ROOT, 'dist');
  for (const [name, file, extraEnv] of [
    ['worker:lifecycle', 'workers/lifecycle.js', {}],
    ['worker:send', 'workers/send.js', { SEND_WORKER_LANES: 'campaigns' }],
    ['worker:single', 'workers/send.js', { SEND_WORKER_LANES: 'single', SEND_WORKER_METRICS_PORT: String(singlePort) }],
    ['api', 'api/server.js', {}],
  ] as const) {
    const nodeArgs = file === 'workers/send.js' ? SEND_WORKER_NODE_ARGS : [];
    const child = spawn(process.execPath, [...nodeArgs, join(dist, file)], {
      env: { ...childEnv, ...extraEnv },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code) => {
      if (!stopping) {
        console.error(`[start] ${name} exited with ${code}; stopping everything`);
        onSignal();
      }
    });
    children.push(child);
  }

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor(async () => (await fetch(`${apiUrl}/health`)).status === 200, 90_000, 'API /health');
  const demo = await demoAccount(apiUrl);
  // On the simulator only: a demo credit, and one SMS through the API to the carrier and back.
  const sms = sim ? await demoSms(db, sim, apiUrl, demo) : null;
  // The demo staff admin of the console: on embedded defaults and never in production (issue #13).
  const staff = pg && metricsConfig.NODE_ENV !== 'production' ? await demoStaff(db) : null;
  const consoleOk = (await fetch(`${apiUrl}/console/`).catch(() => null))?.status === 200;
  const workflowId = accountWorkflowId(demo.accountId);
  let listed = false;
  if (uiUrl) {
    const q = encodeURIComponent(`WorkflowId="${workflowId}"`);
    listed = await waitFor(
      async () => {
        const r = await fetch(`${uiUrl}/api/v1/namespaces/default/workflows?query=${q}`);
        return r.status === 200 && ((await r.json()) as { executions?: unknown[] }).executions?.length === 1;
      },
      30_000,
      'demo workflow in the Temporal UI',
    ).then(
      () => true,
      () => false,
    );
  }
  await db.destroy();

  console.log(`
Tentacle is running (${((Date.now() - started) / 1000).toFixed(1)} s)
  API            ${apiUrl}        (health: ${apiUrl}/health)
  Carriers       ${sim ? `simulator at ${sim.url} (stats: ${sim.url}/_sim/stats)` : 'as configured (TWILIO_BASE_URL / SENDGRID_BASE_URL)'}
  Metrics        ${metricsUrls.api} (API), ${metricsUrls.lifecycle} (lifecycle worker),
                 ${metricsUrls.send} (send worker, campaigns), ${metricsUrls.single} (send worker, single sends)${metricsConfig.METRICS_TOKEN ? ' — Bearer METRICS_TOKEN' : ''}
  Temporal UI    ${uiUrl ?? '(external cluster)'}${uiUrl ? `/namespaces/default/workflows/${encodeURIComponent(workflowId)}` : ''}
  Demo account   ${demo.accountId} (username "${demo.username}")${listed ? ' — its lifecycle workflow is listed in the UI' : ''}
  Demo API key   ${demo.apiKey}
  Try:           curl -H "Authorization: Bearer ${demo.apiKey}" ${apiUrl}/v1/account${
    sms
      ? `
  Demo SMS       ${sms.id}: ${sms.status} (202 → carrier in ${sms.submitMs} ms, the first since start-up); the demo account has a ${sms.creditEuros} € credit
  Send one:      curl -H "Authorization: Bearer ${demo.apiKey}" -H 'content-type: application/json' \\
                   -d '{"channel":"sms","purpose":"transactional","to":"+33612345678","body":"Code 123456"}' ${apiUrl}/v1/messages`
      : ''
  }
  Staff console  ${apiUrl}/console/${consoleOk ? '' : '  (not built: npm run console:build)'}${
    staff
      ? `
  Demo staff     username "${staff.username}", password "${staff.password}" (development only)
  TOTP code      npm run staff -- totp --username ${staff.username}   (or add secret ${staff.totpSecret} to an authenticator app)`
      : ''
  }
${smoke ? '' : 'Ctrl-C stops everything.'}`);

  if (smoke) {
    if (sms && sms.status !== 'delivered') {
      console.error(`[start] smoke check failed: the demo SMS is ${sms.status}, not delivered`);
      await stopAll();
      process.exit(1);
    }
    if (!listed && uiUrl) {
      console.error('[start] smoke check failed: demo workflow not listed in the UI');
      await stopAll();
      process.exit(1);
    }
    if (!consoleOk) {
      console.error('[start] smoke check failed: the staff console does not answer 200 at /console/');
      await stopAll();
      process.exit(1);
    }
    const ui = uiUrl ? (await fetch(uiUrl)).status : 200;
    if (ui !== 200) {
      console.error(`[start] smoke check failed: Temporal UI answered ${ui}`);
      await stopAll();
      process.exit(1);
    }
    const auth: Record<string, string> = metricsConfig.METRICS_TOKEN
      ? { authorization: `Bearer ${metricsConfig.METRICS_TOKEN}` }
      : {};
    for (const url of Object.values(metricsUrls)) {
      const ok = await waitFor(async () => (await fetch(url, { headers: auth })).status === 200, 30_000, url).then(
        () => true,
        () => false,
      );
      if (!ok) {
        console.error(`[start] smoke check failed: ${url} does not answer 200`);
        await stopAll();
        process.exit(1);
      }
    }
    stopping = true;
    await stopAll();
    console.log(
      '[start] smoke check passed: /health 200, demo SMS delivered, Temporal UI 200, demo workflow listed, ' +
        '/metrics 200, /console/ 200',
    );
    process.exit(0);
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const DEMO = { username: 'demo', password: 'demo-password-change-me' };

/** Registers the demo account on first start; on later starts logs in. Either way a fresh key. */
async function demoAccount(apiUrl: string) {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(apiUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const reg = await post('/v1/accounts', {
    account: {
      legalForm: 'company',
      legalName: 'Demo SAS',
      country: 'FR',
      siren: '732829320',
      vatNumber: 'FR44732829320',
      billingAddress: { line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
      proofOfPowerRef: 'demo-kbis',
      formula: 'pack',
    },
    member: { username: DEMO.username, email: 'demo@tentacle.example', fullName: 'Demo User', password: DEMO.password },
    acceptTerms: { version: '2026-01', accepted: true },
  });
  if (reg.status !== 201 && reg.status !== 409)
    throw new Error(`demo registration failed: ${reg.status} ${await reg.text()}`);
  const login = await post('/v1/sessions', DEMO);
  if (login.status !== 201) throw new Error(`demo login failed: ${login.status} ${await login.text()}`);
  const { token, accountId } = (await login.json()) as { token: string; accountId: string };
  const key = await post('/v1/api-keys', { name: `npm start ${new Date().toISOString()}` }, token);
  const { key: apiKey } = (await key.json()) as { key: string };
  return { accountId, username: DEMO.username, apiKey };
}

/** Demo credit of the demo account on embedded defaults (once: the top-up is idempotent by its ref). */
const DEMO_CREDIT_CENTS = 1_000;

/**
 * Credits the demo account (a Pack account starts at zero), sends one transactional SMS through the
 * API and waits for the simulator's delivery report: the path of every single send, shown working.
 */
async function demoSms(
  db: ReturnType<typeof createDb>,
  sim: CarrierSimulator,
  apiUrl: string,
  demo: { accountId: string; apiKey: string },
) {
  await topUp(db, {
    accountId: demo.accountId,
    amountCents: DEMO_CREDIT_CENTS,
    source: { kind: 'adjustment', ref: `demo-credit-${demo.accountId}` },
    reason: 'demo credit (npm start on the carrier simulator)',
  });
  const res = await fetch(`${apiUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.apiKey}` },
    body: JSON.stringify({ channel: 'sms', purpose: 'transactional', to: '+33612345678', body: 'Tentacle is up' }),
  });
  if (res.status !== 202) throw new Error(`demo SMS refused: ${res.status} ${await res.text()}`);
  const accepted = Date.now();
  const { id } = (await res.json()) as { id: string };
  let status = 'queued';
  let submitMs: number | null = null;
  await waitFor(
    async () => {
      const at = sim.records({ mid: id })[0]?.acceptedAt;
      if (at !== undefined) submitMs ??= Math.max(0, at - accepted);
      const m = await fetch(`${apiUrl}/v1/messages/${id}`, { headers: { authorization: `Bearer ${demo.apiKey}` } });
      status = ((await m.json()) as { status: string }).status;
      return status === 'delivered';
    },
    30_000,
    'the demo SMS delivered',
  ).catch(() => false);
  return { id, status, submitMs, creditEuros: DEMO_CREDIT_CENTS / 100 };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

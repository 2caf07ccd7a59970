// Benchmark of the recipient upload (a script, not a test): a CSV of N unique French mobiles with
// two template variables is PUT through the HTTP API (PUT /v1/campaigns/:id/recipients) and timed
// end to end — stream, validation, COPY, the set-based step, commit. The CSV is written to a file
// first so that generating it is not measured. Then `--callbacks N` signed Twilio status callbacks
// (sent + delivered for N/2 messages) are posted at `--concurrency` through the webhook route.
// Postgres: DATABASE_URL, else an embedded one.
//   npx tsc -p tsconfig.build.json && node dist/scripts/bench-upload.js --rows 200000,1000000 --callbacks 40000
import { createReadStream, createWriteStream, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { Client } from '@temporalio/client';
import { createApp } from '../api/app';
import { loadConfig } from '../lib/config';
import { createDb, migrate } from '../lib/db';
import { createLogger } from '../lib/logger';
import { newApiKey } from '../lib/credentials';
import { startPostgres } from './infra';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('to,name,code\n');
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    chunk += `+336${String(i).padStart(8, '0')},Client ${i},${100000 + i}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/**
 * CPU seconds used so far by the Postgres server whose postmaster is `postmaster` (it and its
 * children), from /proc; null elsewhere. With the API's own CPU time it gives CPU per row, a
 * figure that other processes sharing the cores disturb much less than wall time.
 */
function postgresCpuSeconds(postmaster: number | null): number | null {
  if (postmaster === null) return null;
  try {
    const tick = 100; // USER_HZ on Linux
    let total = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let fields: string[];
      try {
        fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      } catch {
        continue; // exited meanwhile
      }
      // After "pid (comm) ": state ppid … utime (14th field) stime (15th).
      if (Number(pid) === postmaster || Number(fields[1]) === postmaster)
        total += (Number(fields[11]) + Number(fields[12])) / tick;
    }
    return total;
  } catch {
    return null;
  }
}

function parentPid(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return null;
  }
}

async function main() {
  const sizes = arg('rows', '200000').split(',').map(Number);
  const callbacks = Number(arg('callbacks', '0'));
  const concurrency = Number(arg('concurrency', '64'));
  const dir = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const pg = process.env.DATABASE_URL ? null : await startPostgres(join(dir, 'pg'));
  const db = createDb(process.env.DATABASE_URL ?? pg!.url);
  await migrate(db);
  const authToken = randomUUID();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', TWILIO_AUTH_TOKEN: authToken });
  // Uploads need neither Temporal nor the workers.
  const app = createApp({ db, temporal: {} as Client, config, logger: createLogger('bench-upload', 'warn') });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const accountId = randomUUID();
  const memberId = randomUUID();
  const terms = await db('terms_versions').orderBy('version', 'desc').first('version');
  await db('accounts').insert({
    id: accountId,
    legal_form: 'company',
    legal_name: 'Bench SAS',
    country: 'FR',
    formula: 'subscription',
    terms_version: terms.version,
    effective_date: new Date(),
    billing_address: JSON.stringify({ line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' }),
  });
  await db('members').insert({
    id: memberId,
    account_id: accountId,
    username: `bench-${memberId}`,
    email: 'bench@example.com',
    full_name: 'Bench',
    password_hash: 'x',
    role: 'owner',
  });
  const key = newApiKey();
  await db('api_keys').insert({
    id: randomUUID(),
    account_id: accountId,
    created_by: memberId,
    name: 'bench',
    role: 'developer',
    prefix: key.prefix,
    secret_hash: key.secretHash,
  });
  const auth = { authorization: `Bearer ${key.key}` };
  // The postmaster (parent of a backend), to read the server's CPU time: embedded server only.
  const postmaster = pg ? parentPid(Number((await db.raw('select pg_backend_pid() as pid')).rows[0].pid)) : null;

  const results: Record<string, unknown>[] = [];
  for (const rows of sizes) {
    const file = join(dir, `recipients-${rows}.csv`);
    await writeCsv(file, rows);
    const created = await request(`${base}/v1/campaigns`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'sms',
        purpose: 'marketing',
        sender: 'Bench',
        template: 'Bonjour {{name}}, votre code est {{code}}',
      }),
    });
    const campaign = (await created.body.json()) as { id: string };
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 50);
    const cpu0 = process.cpuUsage();
    const pgCpu0 = postgresCpuSeconds(postmaster);
    const t0 = process.hrtime.bigint();
    const res = await request(`${base}/v1/campaigns/${campaign.id}/recipients`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: createReadStream(file),
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const body = (await res.body.json()) as {
      accepted: number;
      rowsPerSecond: number;
      rejected: Record<string, number>;
    };
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpu0);
    const pgCpu1 = postgresCpuSeconds(postmaster);
    const usPerRow = (s: number) => Math.round(((s * 1e6) / rows) * 10) / 10;
    if (res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${JSON.stringify(body)}`);
    const r = {
      rows,
      bytes: (await stat(file)).size,
      accepted: body.accepted,
      rejected: body.rejected,
      seconds: Math.round(seconds * 100) / 100,
      upload_rows_per_s: Math.round(rows / seconds),
      server_rows_per_s: body.rowsPerSecond,
      rss_growth_mb: Math.round((process.memoryUsage().rss - rssBefore) / 1048576),
      rss_peak_mb: Math.round(rssPeak / 1048576),
      // CPU per row: the API process (HTTP client included) and the Postgres server.
      api_cpu_us_per_row: usPerRow((cpu.user + cpu.system) / 1e6),
      pg_cpu_us_per_row: pgCpu0 === null || pgCpu1 === null ? null : usPerRow(pgCpu1 - pgCpu0),
    };
    // The upload's own check: every row is either a message (seq 1..accepted, contiguous) or a rejection.
    const check = await db('messages')
      .where({ order_id: campaign.id })
      .first(db.raw('count(*)::int as n, min(seq) as lo, max(seq) as hi'));
    const rejectedRows = (await db('recipient_rejections').where({ order_id: campaign.id }).count({ n: '*' }))[0].n;
    if (
      check.n !== body.accepted ||
      check.hi !== body.accepted ||
      (check.n > 0 && check.lo !== 1) ||
      check.n + Number(rejectedRows) !== rows
    ) {
      throw new Error(`inconsistent upload: ${JSON.stringify({ check, rejectedRows, body })}`);
    }
    console.log(
      `${rows} rows: ${r.seconds} s, ${r.upload_rows_per_s} rows/s (accepted ${r.accepted}), RSS +${r.rss_growth_mb} MB, peak ${r.rss_peak_mb} MB, ` +
        `CPU/row: API ${r.api_cpu_us_per_row} µs, Postgres ${r.pg_cpu_us_per_row ?? '?'} µs`,
    );
    results.push(r);
    await rm(file);
    if (callbacks > 0 && results.length === 1) {
      const ids = (
        await db('messages')
          .where({ order_id: campaign.id })
          .orderBy('seq')
          .limit(callbacks / 2)
          .pluck('id')
      ).map(String);
      const jobs = ids.flatMap((id) => ['sent', 'delivered'].map((status) => ({ id, status })));
      const agent = new Agent({ connections: concurrency });
      let next = 0;
      const c0 = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < jobs.length) {
            const { id, status } = jobs[next++];
            const url = `${base}/webhooks/twilio/status?mid=${id}`;
            const params = { MessageSid: `SM${id.padStart(32, '0')}`, MessageStatus: status };
            const res = await request(url, {
              method: 'POST',
              dispatcher: agent,
              body: new URLSearchParams(params).toString(),
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                'x-twilio-signature': getExpectedTwilioSignature(authToken, url, params),
              },
            });
            await res.body.dump();
            if (res.statusCode !== 204) throw new Error(`callback refused: ${res.statusCode}`);
          }
        }),
      );
      const cs = Number(process.hrtime.bigint() - c0) / 1e9;
      await agent.close();
      const delivered = (
        await db('messages').where({ order_id: campaign.id, status: 'delivered' }).count({ n: '*' })
      )[0].n;
      if (Number(delivered) !== ids.length) throw new Error(`callbacks: ${delivered} delivered of ${ids.length}`);
      Object.assign(r, { callbacks: jobs.length, callbacks_per_s: Math.round(jobs.length / cs) });
      console.log(`${jobs.length} status callbacks at concurrency ${concurrency}: ${Math.round(jobs.length / cs)}/s`);
    }
  }
  server.close();
  await db.destroy();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
  console.log(JSON.stringify(results.length === 1 ? results[0] : results));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

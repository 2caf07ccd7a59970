// The raw ceiling of the bulk-send bench (bench-send.ts): the same Twilio client factory at the
// same concurrency against the same simulator, with no Temporal and no database, each in its own
// process like a send worker. The child side (`--raw-child`) sends and prints one JSON line; the
// parent side starts as many children as send workers and adds their results up.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTwilioClient } from '../activities/carriers/twilio-client';
import { ROOT } from './infra';

export interface RawResult {
  ok: number;
  seconds: number;
  perSecond: number;
  cpuMsPerMessage: number;
}

// ---- raw ceiling child: the same client factory, the same concurrency, nothing else -----------
export async function rawChild(): Promise<void> {
  const [url, sid, token, concurrency, count] = process.argv.slice(process.argv.indexOf('--raw-child') + 1);
  const client = createTwilioClient({
    accountSid: sid,
    authToken: token,
    baseUrl: url,
    connections: Number(concurrency),
    timeoutMs: 15_000,
  });
  let next = 0;
  let ok = 0;
  const total = Number(count);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (next < total) {
        const i = next++;
        await client.messages.create({
          to: `+336${String(90_000_000 + i).padStart(8, '0')}`,
          from: 'Tentacle',
          body: `Bonjour Client ${i}`,
        });
        ok += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  const usage = process.resourceUsage();
  const cpuMsPerMessage = Math.round(((usage.userCPUTime + usage.systemCPUTime) / 1000 / ok) * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({ ok, seconds, perSecond: ok / seconds, cpuMsPerMessage })}\n`);
}

export interface RawCeilingTarget {
  url: string;
  accountSid: string;
  authToken: string;
  concurrency: number;
  sendWorkers: number;
  log: (m: string) => void;
}

/**
 * As many raw processes as send workers, sharing the concurrency the same way: the ceiling of the
 * same client with the same number of JS threads. Returns the measurement (count, label).
 */
export function rawCeiling(t: RawCeilingTarget): (count: number, when: string) => Promise<RawResult> {
  const { concurrency, sendWorkers, log } = t;
  const rawChildRun = (count: number) =>
    new Promise<RawResult>((resolve, reject) => {
      const prof = process.env.BENCH_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF_DIR, 'raw')}`]
        : [];
      const args = [
        ...prof,
        join(ROOT, 'dist/scripts/bench-send.js'),
        '--raw-child',
        t.url,
        t.accountSid,
        t.authToken,
        String(Math.ceil(concurrency / sendWorkers)),
        String(count),
      ];
      const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      p.on('exit', (code) =>
        code === 0
          ? resolve(JSON.parse(out.trim().split('\n').pop()!))
          : reject(new Error(`raw ceiling child exited ${code}`)),
      );
    });
  return async (rawCount: number, when: string) => {
    const runs = await Promise.all(
      Array.from({ length: sendWorkers }, () => rawChildRun(Math.ceil(rawCount / sendWorkers))),
    );
    const ok = runs.reduce((n, r) => n + r.ok, 0);
    const seconds = Math.max(...runs.map((r) => r.seconds));
    const cpuMsPerMessage = Math.round((runs.reduce((n, r) => n + r.cpuMsPerMessage * r.ok, 0) / ok) * 1000) / 1000;
    const raw = { ok, seconds, perSecond: ok / seconds, cpuMsPerMessage };
    log(
      `raw ceiling ${when}: ${raw.ok} messages in ${raw.seconds.toFixed(1)} s = ${Math.round(raw.perSecond)}/s ` +
        `at ${concurrency} concurrent in ${sendWorkers} process(es); client CPU ${raw.cpuMsPerMessage} ms per message`,
    );
    return raw;
  };
}

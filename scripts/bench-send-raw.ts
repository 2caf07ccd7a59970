// The raw ceiling of the bulk-send bench (bench-send.ts): the same Twilio client factory at the
// same concurrency against the same simulator, with no Temporal and no database, each in its own
// process like a send worker. The child side (`--raw-child`) sends and prints one JSON line; the
// parent side starts as many children as send workers and adds their results up. With callbacks,
// each message asks for the simulator's delivery reports and the child receives them on a bare
// HTTP sink of its own (no signature check, no database): the same physical work as a tracked
// send, so that the system's rate with callbacks has a ceiling to be compared with.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTwilioClient } from '../activities/carriers/twilio-client';
import { ROOT } from './infra';

export interface RawResult {
  ok: number;
  /** Delivery reports the sink received (with callbacks only). */
  callbacks?: number;
  seconds: number;
  perSecond: number;
  cpuMsPerMessage: number;
}

// ---- raw ceiling child: the same client factory, the same concurrency, nothing else -----------
export async function rawChild(): Promise<void> {
  const [url, sid, token, concurrency, count, mode] = process.argv.slice(process.argv.indexOf('--raw-child') + 1);
  const sink = mode === 'callbacks' ? await callbackSink() : null;
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
          ...(sink ? { statusCallback: `${sink.url}?mid=raw${i}` } : {}),
        });
        ok += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  // The reports still on their way are part of each message's cost: CPU is read once they are in.
  const callbacks = sink ? await sink.settled() : undefined;
  const usage = process.resourceUsage();
  const cpuMsPerMessage = Math.round(((usage.userCPUTime + usage.systemCPUTime) / 1000 / ok) * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({ ok, callbacks, seconds, perSecond: ok / seconds, cpuMsPerMessage })}\n`);
}

/** A bare HTTP sink for delivery reports: reads each body, answers 204; settles 2 s after the last. */
async function callbackSink() {
  let received = 0;
  let lastAt = Date.now();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      lastAt = Date.now();
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/status`,
    async settled(): Promise<number> {
      while (Date.now() - lastAt < 2_000) await new Promise((r) => setTimeout(r, 200));
      server.close();
      return received;
    },
  };
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
export function rawCeiling(
  t: RawCeilingTarget,
): (count: number, when: string, callbacks?: boolean) => Promise<RawResult> {
  const { concurrency, sendWorkers, log } = t;
  const rawChildRun = (count: number, callbacks: boolean) =>
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
        ...(callbacks ? ['callbacks'] : []),
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
  return async (rawCount: number, when: string, callbacks = false) => {
    const runs = await Promise.all(
      Array.from({ length: sendWorkers }, () => rawChildRun(Math.ceil(rawCount / sendWorkers), callbacks)),
    );
    const ok = runs.reduce((n, r) => n + r.ok, 0);
    const seconds = Math.max(...runs.map((r) => r.seconds));
    const cpuMsPerMessage = Math.round((runs.reduce((n, r) => n + r.cpuMsPerMessage * r.ok, 0) / ok) * 1000) / 1000;
    const received = callbacks ? runs.reduce((n, r) => n + (r.callbacks ?? 0), 0) : undefined;
    const raw = { ok, callbacks: received, seconds, perSecond: ok / seconds, cpuMsPerMessage };
    log(
      `raw ceiling ${when}: ${raw.ok} messages in ${raw.seconds.toFixed(1)} s = ${Math.round(raw.perSecond)}/s ` +
        `at ${concurrency} concurrent in ${sendWorkers} process(es); client CPU ${raw.cpuMsPerMessage} ms per message` +
        (callbacks ? `; ${received} delivery reports received by a bare sink` : ''),
    );
    return raw;
  };
}

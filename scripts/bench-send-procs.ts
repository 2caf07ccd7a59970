// The bench's view of its processes (bench-send.ts): children started from dist/ (with an
// optional V8 CPU profile each), their memory and CPU read from /proc, and waiting for a
// condition. Measuring CPU per part of the system per message is what says where a campaign's
// cost goes (ToS 6.1: the bulk-send capacity the platform offers).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './infra';

export interface Child {
  name: string;
  proc: ChildProcess;
}

export function startChild(name: string, file: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Child {
  // BENCH_CPU_PROF_DIR=/tmp/prof writes a V8 CPU profile of every child (one folder per child).
  const prof = process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF_DIR, name.replace(/\W/g, '-'))}`]
    : [];
  const proc = spawn(process.execPath, [...prof, ...nodeArgs, join(ROOT, 'dist', file)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { name, proc };
}

export function procStatus(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) used so far by each part of the system, read from /proc: the send
 * worker, the API, the lifecycle worker, this process (the simulator, plus the bench's polling),
 * Postgres (every backend) and the Temporal dev server. Differences between two snapshots say
 * where a campaign's CPU went, per message: a figure that noise on a shared machine barely moves.
 */
export function cpuSnapshot(roles: Map<number, string>, pgDir: string): Map<string, number> {
  const out = new Map<string, number>();
  const procs: { pid: number; ppid: number; cpu: number; exited: number; cmd: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
      const cmd = roles.has(pid) ? '' : readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      // utime + stime (CLK_TCK 100); cutime + cstime: children that exited (kept for the postmaster,
      // whose backends come and go with the connection pools).
      procs.push({
        pid,
        ppid: Number(f[1]),
        cpu: (Number(f[11]) + Number(f[12])) / 100,
        exited: (Number(f[13]) + Number(f[14])) / 100,
        cmd,
      });
    } catch {
      /* gone */
    }
  }
  // Only this run's servers: other Postgres or Temporal processes on the machine are not ours.
  const postmaster = procs.find((p) => p.cmd.includes(pgDir) && p.cmd.includes('/postgres\0'))?.pid;
  for (const p of procs) {
    const role =
      roles.get(p.pid) ??
      (p.pid === postmaster || p.ppid === postmaster ? 'postgres' : null) ??
      (p.ppid === process.pid && p.cmd.includes('start-dev') ? 'temporal' : null);
    if (role) out.set(role, (out.get(role) ?? 0) + p.cpu + (p.pid === postmaster ? p.exited : 0));
  }
  return out;
}

export function cpuPerMessage(
  before: Map<string, number>,
  after: Map<string, number>,
  messages: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [role, s] of after) {
    const used = s - (before.get(role) ?? 0);
    total += used;
    out[role] = Math.round((used / messages) * 1e6) / 1000; // ms per message
  }
  out.total = Math.round((total / messages) * 1e6) / 1000;
  return out;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Login throttling by client IP (api/login-throttle.ts) must not be dodged by rotating
// X-Forwarded-For: the header counts only from the proxies listed in TRUST_PROXY (none by default).
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../api/app';
import { LOGIN_THROTTLE } from '../../api/login-throttle';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { startSystem, System } from '../support/system';

let sys: System;
const servers: Server[] = [];
// A loopback address of this run's own, so that its failed logins throttle no other test's
// logins from 127.0.0.1 (Linux routes all of 127/8 to lo).
const octet = () => 1 + Math.floor(Math.random() * 250);
const peer = `127.${octet()}.${octet()}.${octet()}`;
const forwarded: string[] = [];
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys
    ?.db('login_attempts')
    .whereIn('ip', [peer, ...forwarded])
    .delete();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await sys?.stop();
});

async function apiWith(env: Record<string, string>): Promise<number> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', LIFECYCLE_TASK_QUEUE: sys.taskQueue, ...env });
  const app = createApp({ db: sys.db, temporal: sys.client, config, logger: createLogger('api-test', 'silent') });
  const server: Server = await new Promise((res) => {
    const s = app.listen(0, '127.0.0.1', () => res(s));
  });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** A failed login (unknown username, so only the per-IP count can throttle) sent from `peer`. */
function failedLogin(port: number, xff: string): Promise<{ status: number; code?: string }> {
  const body = JSON.stringify({ username: `nobody-${xff}-${Date.now()}`, password: 'wrong password' });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress: peer,
        method: 'POST',
        path: '/v1/sessions',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode!, code: text ? JSON.parse(text).code : undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function rotate(port: number, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const xff = `203.0.${octet()}.${octet()}`;
    forwarded.push(xff);
    out.push(await failedLogin(port, xff));
  }
  return out;
}

describe('client IP behind proxies (TRUST_PROXY)', () => {
  test('When no proxy is configured, then 25 failed logins from one peer rotating X-Forwarded-For are throttled after the 20th', async () => {
    const port = await apiWith({});
    const results = await rotate(port, 25);
    expect(LOGIN_THROTTLE.perIp).toBe(20);
    expect(results.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill(401));
    expect(results.slice(20)).toEqual(Array(5).fill({ status: 429, code: 'login_throttled' }));
    const ips = await sys
      .db('login_attempts')
      .whereIn('ip', [peer, ...forwarded])
      .distinct('ip')
      .pluck('ip');
    expect(ips).toEqual([peer]); // the socket's peer, never the header
  });

  test('When the peer is a configured proxy, then X-Forwarded-For is the client IP and each forwarded client is counted apart', async () => {
    const port = await apiWith({ TRUST_PROXY: `10.9.8.0/24, ${peer}` });
    const before = forwarded.length;
    const results = await rotate(port, 25);
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(401));
    const ips = await sys.db('login_attempts').whereIn('ip', forwarded.slice(before)).distinct('ip').pluck('ip');
    expect(ips.sort()).toEqual([...new Set(forwarded.slice(before))].sort());
  });

  test('When TRUST_PROXY holds something other than addresses or CIDRs, then the configuration is refused', () => {
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1,proxy.internal' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.1 , 10.1.0.0/16,::1 ' }).TRUST_PROXY).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
    ]);
    expect(loadConfig({}).TRUST_PROXY).toEqual([]);
  });
});

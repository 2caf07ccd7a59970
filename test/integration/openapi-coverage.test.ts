// The OpenAPI document (GET /openapi.json) against the API that serves it: every route Express
// mounts is described and every description is mounted; the document is valid OpenAPI 3.1;
// /docs renders it from local assets only. That every ANSWER is described is checked in every
// integration test by test/support/openapi-drift.ts (startSystem's stop() fails on drift); the
// last test shows that check failing on an answer the document does not list.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { createApp } from '../../api/app';
import { Problem, errorHandler } from '../../api/errors';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { mountedRoutes } from '../support/openapi-routes';
import { driftRecorder } from '../support/openapi-drift';
import { http, startSystem, type System } from '../support/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const described = (doc: { paths: Record<string, Record<string, unknown>> }) =>
  Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
    .sort();

test('every route createApp mounts is described, and every description is a mounted route', async () => {
  const deps = { db: {} as never, temporal: {} as never, logger: createLogger('t', 'silent') };
  const mounted = mountedRoutes(createApp({ ...deps, config: loadConfig({ ...process.env }) }));
  const { body: doc } = await http(sys.baseUrl, 'GET', '/openapi.json');
  expect(mounted.length).toBeGreaterThan(80);
  expect(described(doc)).toEqual(mounted);
});

test('GET /openapi.json is a valid OpenAPI 3.1 document', async () => {
  const res = await http(sys.baseUrl, 'GET', '/openapi.json');
  expect([res.status, res.body.openapi]).toEqual([200, '3.1.0']);
  const validator = join(__dirname, '../support/openapi-validate.mjs'); // an ES module: its own process
  const out = execFileSync(process.execPath, [validator], { input: JSON.stringify(res.body), encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ version: '3.1', valid: true, errors: null });
  // Each operation names its security and lists the problem codes by status.
  const send = res.body.paths['/v1/messages'].post;
  expect(send.security).toEqual([{ apiKey: [] }, { memberSession: [] }]);
  expect(send.responses['402'].content['application/problem+json'].schema.properties.code.enum).toEqual([
    'insufficient_balance',
  ]);
  expect(res.body.paths['/v1/staff/cases/{id}'].get.parameters).toContainEqual(
    expect.objectContaining({ name: 'X-Access-Reason', in: 'header', required: true }),
  );
});

test('/docs renders the document with assets served by the API itself (nothing from a CDN)', async () => {
  const redirect = await fetch(`${sys.baseUrl}/docs`, { redirect: 'manual' });
  expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/docs/']);
  const page = await fetch(`${sys.baseUrl}/docs/`);
  const html = await page.text();
  expect(page.status).toBe(200);
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  expect(refs.length).toBeGreaterThan(2);
  for (const ref of refs) {
    expect(ref).not.toMatch(/^(https?:)?\/\//);
    expect((await fetch(new URL(ref, `${sys.baseUrl}/docs/`))).status).toBe(200);
  }
  const init = await (await fetch(`${sys.baseUrl}/docs/swagger-ui-init.js`)).text();
  expect(init).toContain('"/openapi.json"');
  expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
});

test('the drift check fails on a status or a problem code the document does not list', async () => {
  const doc = {
    paths: {
      '/things/{id}': {
        get: {
          responses: {
            '200': {},
            '404': {
              content: { 'application/problem+json': { schema: { properties: { code: { enum: ['not_found'] } } } } },
            },
          },
        },
      },
    },
  };
  const app = express();
  app.get('/things/:id', (req) => {
    if (req.params.id === 'gone') throw new Problem(404, 'not_found', 'Not found');
    if (req.params.id === 'other') throw new Problem(404, 'thing_missing', 'Not found');
    throw new Problem(409, 'conflict_here', 'Conflict');
  });
  app.use(errorHandler);
  const recorder = driftRecorder(doc);
  const server = createServer((req, res) => {
    recorder.watch(req, res);
    app(req, res);
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const id of ['gone', 'other', 'busy']) await fetch(`${base}/things/${id}`);
  await new Promise((r) => server.close(r));
  expect(recorder.drift().sort()).toEqual([
    'GET /things/{id} → 404 thing_missing (code not documented)',
    'GET /things/{id} → 409 conflict_here (status not documented)',
  ]);
});

import { SA } from '../../workflows/search-attributes';
import { verifyChain } from '../../lib/evidence';
import { LOGIN_THROTTLE } from '../../api/sessions';
import { eventually, http, onboard, registration, startSystem, System } from '../support/system';
import { accountWorkflowId } from '../../workflows/ids';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

describe('registration, login, API keys', () => {
  test('When a company registers, then its lifecycle workflow runs with AccountId and ContractState, the projection is written and the terms acceptance is evidence', async () => {
    const reg = registration();
    const res = await http(sys.baseUrl, 'POST', '/v1/accounts', {
      body: reg,
      headers: { 'user-agent': 'jest-agent/1.0' },
    });
    expect(res.status).toBe(201);
    const accountId = res.body.account.id;
    expect(res.body.account).toMatchObject({
      legalName: 'Acme SAS',
      siren: '732829320',
      formula: 'subscription',
      termsVersion: '2026-01',
      status: 'active',
    });

    const handle = sys.client.workflow.getHandle(accountWorkflowId(accountId));
    const desc = await handle.describe();
    expect(desc.status.name).toBe('RUNNING');
    expect(desc.taskQueue).toBe(sys.taskQueue);
    expect(desc.typedSearchAttributes.get(SA.AccountId)).toBe(accountId);
    expect(desc.typedSearchAttributes.get(SA.ContractState)).toBe('active');

    const row = await eventually(
      () => sys.db('accounts').where({ id: accountId }).first(),
      (r) => r.lifecycle_started_at !== null,
    );
    expect(row.lifecycle_started_at).not.toBeNull();

    const evidence = await sys.db('evidence_log').where({ account_id: accountId }).orderBy('seq');
    expect(evidence.map((e) => e.kind)).toEqual(['terms_accepted', 'account_registered']);
    expect(evidence[0].payload).toMatchObject({ termsVersion: '2026-01', userAgent: 'jest-agent/1.0' });
    expect(evidence[0].payload.ip).toMatch(/127\.0\.0\.1/);
    expect(evidence[0].actor).toMatchObject({ type: 'member', id: res.body.member.id });
    expect(new Date(evidence[0].occurred_at).toISOString()).toBe(res.body.account.effectiveDate);
    expect(await verifyChain(sys.db, accountId)).toEqual({ ok: true, entries: 2 });
  });

  test('When a member logs in and creates an API key, then the key is shown once, stored hashed, and reads only its own account', async () => {
    const a = await onboard(sys);
    const me = await http(sys.baseUrl, 'GET', '/v1/account', { token: a.apiKey });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(a.accountId);

    const stored = await sys.db('api_keys').where({ account_id: a.accountId }).first();
    expect(JSON.stringify(stored)).not.toContain(a.apiKey.slice('tk_000000000000_'.length)); // the secret part
    const list = await http(sys.baseUrl, 'GET', '/v1/api-keys', { token: a.apiKey });
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(a.apiKey);
    expect(list.body.items[0].lastUsedAt).not.toBeNull();

    // An API key cannot mint other keys: that takes a member.
    const byKey = await http(sys.baseUrl, 'POST', '/v1/api-keys', { token: a.apiKey, body: { name: 'x' } });
    expect(byKey.status).toBe(403);
    expect(byKey.body.code).toBe('member_session_required');

    const revoke = await http(sys.baseUrl, 'DELETE', `/v1/api-keys/${list.body.items[0].id}`, { token: a.session });
    expect(revoke.status).toBe(204);
    const after = await http(sys.baseUrl, 'GET', '/v1/account', { token: a.apiKey });
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/problem+json');
  });

  test("When another account's ids are used, then the answer is 404 and no data", async () => {
    const a = await onboard(sys);
    const b = await onboard(sys);
    const read = await http(sys.baseUrl, 'GET', `/v1/accounts/${b.accountId}`, { token: a.apiKey });
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('not_found');
    expect(read.body).not.toHaveProperty('legalName');
    const own = await http(sys.baseUrl, 'GET', `/v1/accounts/${a.accountId}`, { token: a.apiKey });
    expect(own.status).toBe(200);
    const bKeys = await http(sys.baseUrl, 'GET', '/v1/api-keys', { token: b.apiKey });
    const revokeOther = await http(sys.baseUrl, 'DELETE', `/v1/api-keys/${bKeys.body.items[0].id}`, {
      token: a.session,
    });
    expect(revokeOther.status).toBe(404);
    expect((await http(sys.baseUrl, 'GET', '/v1/account', { token: b.apiKey })).status).toBe(200);
  });

  test('When wrong passwords are tried, then the username is throttled after the limit with 429 and Retry-After, even for the right password', async () => {
    const a = await onboard(sys);
    const username = a.reg.member.username;
    for (let i = 0; i < LOGIN_THROTTLE.perUsername; i++) {
      const r = await http(sys.baseUrl, 'POST', '/v1/sessions', { body: { username, password: 'wrong password!!' } });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('unauthorized');
    }
    const blocked = await http(sys.baseUrl, 'POST', '/v1/sessions', {
      body: { username, password: a.reg.member.password },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('login_throttled');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('bad input is refused with problem+json and writes nothing', () => {
  // Each case starts from a valid registration `r` whose username and legal name are unique, so
  // "nothing written" is checked on rows that could only come from this request (other test
  // files write accounts and evidence concurrently).
  type Reg = ReturnType<typeof registration>;
  const with_ = (r: Reg, part: 'account' | 'member' | 'acceptTerms', over: Record<string, unknown>) => ({
    ...r,
    [part]: { ...r[part], ...over },
  });
  const cases: [string, (r: Reg) => { raw?: string; body?: unknown }, number, string][] = [
    ['malformed JSON', (r) => ({ raw: JSON.stringify(r).slice(0, 40) }), 400, 'malformed_json'],
    [
      'a missing field',
      (r) => {
        const b = structuredClone(r) as { member: { email?: string } };
        delete b.member.email;
        return { body: b };
      },
      400,
      'validation_failed',
    ],
    ['an unknown field', (r) => ({ body: { ...r, isAdmin: true } }), 400, 'validation_failed'],
    [
      'an oversized body',
      (r) => ({ raw: JSON.stringify({ ...r, pad: 'x'.repeat(2 * 1024 * 1024) }) }),
      413,
      'payload_too_large',
    ],
    ['an invalid e-mail', (r) => ({ body: with_(r, 'member', { email: 'not-an-email' }) }), 400, 'validation_failed'],
    [
      'an invalid SIREN (checksum)',
      (r) => ({ body: with_(r, 'account', { siren: '732829321' }) }),
      400,
      'validation_failed',
    ],
    [
      'an invalid VAT number',
      (r) => ({ body: with_(r, 'account', { vatNumber: 'FR00732829320' }) }),
      400,
      'validation_failed',
    ],
    [
      'a French company without SIREN',
      (r) => ({ body: with_(r, 'account', { siren: undefined }) }),
      400,
      'validation_failed',
    ],
    ['terms not accepted', (r) => ({ body: with_(r, 'acceptTerms', { accepted: false }) }), 400, 'validation_failed'],
    [
      'an outdated terms version',
      (r) => ({ body: with_(r, 'acceptTerms', { version: '2019-01' }) }),
      422,
      'terms_version_not_current',
    ],
    ['a short password', (r) => ({ body: with_(r, 'member', { password: 'short' }) }), 400, 'validation_failed'],
  ];

  test.each(cases)(
    'When registration has %s, then it is refused and nothing is written',
    async (_name, make, status, code) => {
      const base = registration();
      const r = with_(base, 'account', { legalName: `Acme SAS ${base.member.username}` });
      const res = await http(sys.baseUrl, 'POST', '/v1/accounts', make(r));
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe(code);
      expect(res.body.status).toBe(status);
      const u = r.member.username;
      expect(await sys.db('members').whereRaw('lower(username) = lower(?)', [u]).first()).toBeUndefined();
      expect(await sys.db('accounts').where({ legal_name: r.account.legalName }).first()).toBeUndefined();
      expect(await sys.db('evidence_log').whereRaw("actor->>'username' = ?", [u]).first()).toBeUndefined();
    },
  );

  test('When a username is taken (in any letter case), then registration is refused with 409 and nothing is written', async () => {
    const first = registration();
    expect((await http(sys.baseUrl, 'POST', '/v1/accounts', { body: first })).status).toBe(201);
    const legalName = `Duplicate SAS ${first.member.username}`;
    const dup = registration({ member: { username: first.member.username.toUpperCase() }, account: { legalName } });
    const res = await http(sys.baseUrl, 'POST', '/v1/accounts', { body: dup });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('username_taken');
    expect(await sys.db('accounts').where({ legal_name: legalName }).first()).toBeUndefined();
  });

  test('When an unknown route or a bad credential is used, then the errors are typed', async () => {
    expect((await http(sys.baseUrl, 'GET', '/v1/nowhere')).body.code).toBe('not_found');
    expect((await http(sys.baseUrl, 'GET', '/v1/account', { token: 'tk_000000000000_' + 'a'.repeat(43) })).status).toBe(
      401,
    );
    expect((await http(sys.baseUrl, 'GET', '/v1/account')).status).toBe(401);
  });
});

describe('evidence chain', () => {
  test('When an entry is edited or removed behind the application, then verification points at it', async () => {
    const a = await onboard(sys);
    expect(await verifyChain(sys.db, a.accountId)).toEqual({ ok: true, entries: 2 });
    // The application cannot edit the log: the database refuses.
    await expect(
      sys
        .db('evidence_log')
        .where({ account_id: a.accountId, seq: 1 })
        .update({ payload: { termsVersion: 'forged' } }),
    ).rejects.toThrow(/append-only/);
    // A superuser bypassing the trigger is still caught by the hashes.
    await sys.db.transaction(async (trx) => {
      await trx.raw('set local session_replication_role = replica');
      await trx('evidence_log')
        .where({ account_id: a.accountId, seq: 1 })
        .update({ payload: { termsVersion: 'forged' } });
    });
    expect(await verifyChain(sys.db, a.accountId)).toMatchObject({
      ok: false,
      brokenAtSeq: 1,
      reason: 'content altered',
    });

    const b = await onboard(sys);
    await sys.db.transaction(async (trx) => {
      await trx.raw('set local session_replication_role = replica');
      await trx('evidence_log').where({ account_id: b.accountId, seq: 1 }).delete();
    });
    expect(await verifyChain(sys.db, b.accountId)).toMatchObject({
      ok: false,
      brokenAtSeq: 1,
      reason: 'entry missing',
    });
  });
});

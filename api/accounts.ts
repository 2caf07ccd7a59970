// Accounts: registration (public), reading and updating one's own account.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { isValidSiren, isValidVatNumber } from '../domain/vat';
import { CURRENT_TERMS_VERSION } from '../domain/terms-policy';
import { appendEvidence } from '../lib/evidence';
import { audit } from '../lib/audit';
import { hashPassword } from '../lib/credentials';
import { enqueueAccountLifecycle } from '../lib/workflow-clients/account';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import type { PendingStart } from '../lib/workflow-clients/outbox';
import { enqueueBilling } from '../lib/workflow-clients/subscription-billing';
import { ApiDeps, clientIp, principalOf } from './context';
import { conflict, notFound, unprocessable } from './errors';
import { authenticate } from './auth';
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import type { DbRow } from '../lib/db';
import { describeRoute, jsonObject } from './openapi/registry';

const country = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, upper case');
const address = z.strictObject({
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  postalCode: z.string().trim().min(1).max(20),
  city: z.string().trim().min(1).max(100),
  country,
});

const accountInfo = z.strictObject({
  legalForm: z.enum(['company', 'individual']),
  legalName: z.string().trim().min(1).max(200),
  country,
  siren: z
    .string()
    .regex(/^\d{9}$/, 'SIREN: 9 digits')
    .refine(isValidSiren, 'SIREN checksum is invalid')
    .optional(),
  vatNumber: z.string().trim().toUpperCase().refine(isValidVatNumber, 'VAT number is not valid').optional(),
  billingAddress: address,
  proofOfPowerRef: z.string().trim().min(1).max(200).optional(),
  formula: z.enum(['subscription', 'pack']),
  netReviewsOptOut: z.boolean().optional(),
});

const registerSchema = z.strictObject({
  account: accountInfo.superRefine((a, ctx) => {
    if (a.legalForm === 'company' && a.country === 'FR' && !a.siren) {
      ctx.addIssue({ code: 'custom', path: ['siren'], message: 'a French company must give its SIREN' });
    }
    if (a.legalForm === 'company' && !a.proofOfPowerRef) {
      ctx.addIssue({
        code: 'custom',
        path: ['proofOfPowerRef'],
        message: 'a company account is opened by a legal representative or an agent with proof of power (4.2.2)',
      });
    }
  }),
  member: z.strictObject({
    username: z.string().regex(/^[A-Za-z0-9._-]{3,64}$/, '3–64 letters, digits, dot, dash or underscore'),
    email: z.email().max(254),
    fullName: z.string().trim().min(1).max(200),
    password: z.string().min(12, 'at least 12 characters').max(256),
  }),
  acceptTerms: z.strictObject({ version: z.string().min(1), accepted: z.literal(true) }),
});

const updateSchema = z
  .strictObject({
    legalName: z.string().trim().min(1).max(200).optional(),
    vatNumber: z.string().trim().toUpperCase().refine(isValidVatNumber, 'VAT number is not valid').optional(),
    billingAddress: address.optional(),
    netReviewsOptOut: z.boolean().optional(),
  })
  .refine((o) => Object.keys(o).length > 0, 'nothing to update');

const accountViewSchema = z.object({
  id: z.uuid(),
  legalForm: z.string(),
  legalName: z.string(),
  country: z.string(),
  siren: z.string().optional(),
  vatNumber: z.string().optional(),
  billingAddress: z.looseObject({}).nullable(),
  formula: z.string(),
  termsVersion: z.string(),
  effectiveDate: z.iso.datetime(),
  status: z.enum(['active', 'suspended', 'terminated']),
  suspensions: z.array(z.looseObject({ kind: z.string() })),
  netReviewsOptOut: z.boolean(),
  totpRequired: z.boolean(),
  createdAt: z.iso.datetime(),
});

export function accountView(a: DbRow) {
  return {
    id: a.id,
    legalForm: a.legal_form,
    legalName: a.legal_name,
    country: a.country,
    siren: a.siren ?? undefined,
    vatNumber: a.vat_number ?? undefined,
    billingAddress: a.billing_address,
    formula: a.formula,
    termsVersion: a.terms_version,
    effectiveDate: new Date(a.effective_date).toISOString(),
    status: a.status,
    suspensions: a.suspensions,
    netReviewsOptOut: a.net_reviews_opt_out,
    totpRequired: a.totp_required,
    createdAt: new Date(a.created_at).toISOString(),
  };
}

export function accountsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  describeRoute({
    method: 'post',
    path: '/v1/accounts',
    summary: 'Register an account, its first member and the acceptance of the terms',
    tag: 'Account',
    access: 'public',
    body: registerSchema,
    responses: { 201: jsonObject },
    problems: ['terms_version_not_current', 'username_taken', 'invalid_phone'],
  });
  r.post('/v1/accounts', async (req, res) => {
    const input = registerSchema.parse(req.body);
    const terms = await db('terms_versions').where({ version: input.acceptTerms.version }).first('version');
    if (!terms || input.acceptTerms.version !== CURRENT_TERMS_VERSION) {
      throw unprocessable(
        'terms_version_not_current',
        `Registration requires accepting the terms in force (${CURRENT_TERMS_VERSION}).`,
        { currentVersion: CURRENT_TERMS_VERSION },
      );
    }
    const taken = await db('members').whereRaw('lower(username) = lower(?)', [input.member.username]).first('id');
    if (taken) throw conflict('username_taken', 'This username is already in use.');

    const accountId = randomUUID();
    const memberId = randomUUID();
    const effectiveDate = now();
    const passwordHash = await hashPassword(input.member.password);
    const { account: a, member: m } = input;
    let starts: PendingStart[];
    try {
      starts = await db.transaction(async (trx) => {
        await trx('accounts').insert({
          id: accountId,
          legal_form: a.legalForm,
          legal_name: a.legalName,
          country: a.country,
          siren: a.siren ?? null,
          vat_number: a.vatNumber ?? null,
          billing_address: a.billingAddress,
          proof_of_power_ref: a.proofOfPowerRef ?? null,
          formula: a.formula,
          terms_version: input.acceptTerms.version,
          effective_date: effectiveDate,
          net_reviews_opt_out: a.netReviewsOptOut ?? false,
        });
        await trx('members').insert({
          id: memberId,
          account_id: accountId,
          username: m.username,
          email: m.email.toLowerCase(),
          full_name: m.fullName,
          password_hash: passwordHash,
          role: 'owner',
        });
        const actor = { type: 'member', id: memberId, username: m.username };
        // 3.1: acceptance at account creation is the Effective Date; kept as evidence.
        await appendEvidence(trx, {
          accountId,
          kind: 'terms_accepted',
          occurredAt: effectiveDate,
          actor,
          payload: {
            termsVersion: input.acceptTerms.version,
            ip: clientIp(req),
            userAgent: req.get('user-agent') ?? null,
          },
        });
        await appendEvidence(trx, {
          accountId,
          kind: 'account_registered',
          occurredAt: effectiveDate,
          actor,
          payload: {
            legalForm: a.legalForm,
            legalName: a.legalName,
            formula: a.formula,
            proofOfPowerRef: a.proofOfPowerRef ?? null,
          },
        });
        await audit(trx, {
          actorType: 'member',
          actorId: memberId,
          accountId,
          action: 'account.register',
          ip: clientIp(req),
          requestId: String(req.id),
        });
        // The account's lifecycle and (Subscription) billing clocks start with the registration.
        const lifecycle = await enqueueAccountLifecycle(trx, deps.config, accountId, input.acceptTerms.version, {
          formula: a.formula,
        });
        const billing = await enqueueBilling(trx, deps.config, { id: accountId, formula: a.formula, effectiveDate });
        return billing ? [lifecycle, billing] : [lifecycle];
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw conflict('username_taken', 'This username is already in use.');
      throw err;
    }
    await relayNow({ ...deps, logger: req.log }, starts);
    const account = await db('accounts').where({ id: accountId }).first();
    res
      .status(201)
      .location(`/v1/account`)
      .json({ account: accountView(account), member: { id: memberId, username: m.username } });
  });

  const auth = authenticate(deps);

  describeRoute({
    method: 'get',
    path: '/v1/account',
    summary: 'Own account',
    tag: 'Account',
    access: 'customer',
    responses: { 200: accountViewSchema },
  });
  r.get('/v1/account', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    res.json(accountView(await db('accounts').where({ id: accountId }).first()));
  });

  // Addressing an account by id is allowed only for one's own: anything else is a 404, so
  // another account's existence is not revealed.
  describeRoute({
    method: 'get',
    path: '/v1/accounts/:id',
    summary: 'Own account, by id (any other id: 404)',
    tag: 'Account',
    access: 'customer',
    params: { id: z.string() },
    responses: { 200: accountViewSchema },
    problems: ['not_found'],
  });
  r.get('/v1/accounts/:id', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    if (req.params.id !== accountId) throw notFound('account');
    res.json(accountView(await db('accounts').where({ id: accountId }).first()));
  });

  describeRoute({
    method: 'patch',
    path: '/v1/account',
    summary: 'Change the account’s legal name, VAT number, billing address (kept in history)',
    tag: 'Account',
    access: 'customer',
    body: updateSchema,
    responses: { 200: accountViewSchema },
  });
  r.patch('/v1/account', auth, requireRole(...ALLOWED.pay), async (req, res) => {
    const p = principalOf(req);
    const input = updateSchema.parse(req.body);
    await db.transaction(async (trx) => {
      const before = await trx('accounts').where({ id: p.accountId }).forUpdate().first();
      const patch: Record<string, unknown> = {};
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const set = (col: string, value: unknown) => {
        if (value === undefined) return;
        patch[col] = col === 'billing_address' ? JSON.stringify(value) : value;
        changes[col] = { from: before[col], to: value };
      };
      set('legal_name', input.legalName);
      set('vat_number', input.vatNumber);
      set('billing_address', input.billingAddress);
      set('net_reviews_opt_out', input.netReviewsOptOut);
      await trx('accounts')
        .where({ id: p.accountId })
        .update({ ...patch, updated_at: trx.fn.now() });
      await trx('account_changes').insert({ account_id: p.accountId, member_id: p.memberId, changes });
      await audit(trx, {
        actorType: p.via === 'session' ? 'member' : 'api_key',
        actorId: p.memberId ?? p.apiKeyId,
        accountId: p.accountId,
        action: 'account.update',
        details: { fields: Object.keys(changes) },
        requestId: String(req.id),
      });
    });
    res.json(accountView(await db('accounts').where({ id: p.accountId }).first()));
  });

  return r;
}

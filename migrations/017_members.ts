import type { Knex } from 'knex';
import { replaceCheckIn } from './check-constraint';

// Issue 12 (4.2.2–4.2.4): member roles owner / developer / billing / read-only, e-mail invitations,
// password resets, TOTP for members, a role on every API key.
export async function up(knex: Knex): Promise<void> {
  // Nothing was enforced per role before: an 'admin' could do what an owner can (and received the
  // contract notices with the owners), a 'member' what a developer can (send, integrate).
  await replaceCheckIn(knex, 'members', 'role', ['owner', 'admin', 'member', 'developer', 'billing', 'read-only']);
  await knex('members').where({ role: 'admin' }).update({ role: 'owner' });
  await knex('members').where({ role: 'member' }).update({ role: 'developer' });
  await replaceCheckIn(knex, 'members', 'role', ['owner', 'developer', 'billing', 'read-only']);
  await knex.schema.alterTable('members', (t) => {
    t.text('totp_secret');
    t.timestamp('totp_enabled_at', { useTz: true });
    t.bigInteger('last_totp_step').notNullable().defaultTo(0);
    t.timestamp('password_changed_at', { useTz: true });
  });
  await knex.schema.alterTable('accounts', (t) => {
    t.boolean('totp_required').notNullable().defaultTo(false);
  });
  // A key made before roles acted as its creator (as a new key does by default): their role.
  await knex.schema.alterTable('api_keys', (t) => {
    t.text('role');
  });
  await knex.raw('update api_keys k set role = m.role from members m where m.id = k.created_by');
  await knex.raw('alter table api_keys alter column role set not null');
  await replaceCheckIn(knex, 'api_keys', 'role', ['owner', 'developer', 'billing', 'read-only']);

  await knex.schema.createTable('member_invitations', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('email').notNullable();
    t.text('role').notNullable().checkIn(['owner', 'developer', 'billing', 'read-only']);
    t.text('token_hash').notNullable().unique();
    t.uuid('invited_by').notNullable().references('members.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.uuid('member_id').references('members.id');
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw('create index member_invitations_account on member_invitations (account_id)');

  await knex.schema.createTable('password_resets', (t) => {
    t.uuid('id').primary();
    t.uuid('member_id').notNullable().references('members.id');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
  });
  // Every reset request, known address or not (throttling without revealing which exist).
  await knex.schema.createTable('password_reset_requests', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
    t.text('ip').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index password_reset_requests_email_at on password_reset_requests (email, at)');
  await knex.raw('create index password_reset_requests_ip_at on password_reset_requests (ip, at)');
}

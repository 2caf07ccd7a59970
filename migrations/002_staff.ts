import type { Knex } from 'knex';

// Platform staff (operations, compliance, billing, admin): separate from customers' members,
// password + TOTP (Appendix 1: access restricted to users with two-factor authentication).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_members', (t) => {
    t.uuid('id').primary();
    t.text('username').notNullable();
    t.text('email').notNullable();
    t.text('password_hash').notNullable();
    t.text('totp_secret').notNullable();
    // Last TOTP time step accepted: a code is never accepted twice (replay).
    t.bigInteger('last_totp_step').notNullable().defaultTo(0);
    t.specificType('roles', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disabled_at', { useTz: true });
  });
  await knex.raw('create unique index staff_username_unique on staff_members (lower(username))');
  await knex.schema.createTable('staff_sessions', (t) => {
    t.uuid('id').primary();
    t.uuid('staff_id').notNullable().references('staff_members.id');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.text('ip');
  });
}

// Forward-only migrations, listed explicitly so that they load the same way from ts (tests) and
// from the compiled dist/ (npm start), with no directory scanning.
import type { Knex } from 'knex';
import * as m001 from './001_foundation';
import * as m002 from './002_staff';
import * as m003 from './003_contract';
import * as m004 from './004_billing';
import * as m005 from './005_sending';
import * as m006 from './006_sending_more';
import * as m007 from './007_campaign_settlement';
import * as m008 from './008_messages_hot_updates';
import * as m009 from './009_complaint_cases';
import * as m010 from './010_event_keys';
import * as m011 from './011_account_exports';
import * as m012 from './012_ledger_e4';
import * as m013 from './013_message_leases';
import * as m014 from './014_workflow_outbox';
import * as m015 from './015_status_reconciliation';
import * as m016 from './016_customer_lists';
import * as m017 from './017_members';
import * as m018 from './018_single_sends';
import * as m019 from './019_webhooks';
import * as m020 from './020_single_sends_settle';
import * as m021 from './021_staff_totp_enrolment';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

export const migrations: [string, Migration][] = [
  ['001_foundation', m001],
  ['002_staff', m002],
  ['003_contract', m003],
  ['004_billing', m004],
  ['005_sending', m005],
  ['006_sending_more', m006],
  ['007_campaign_settlement', m007],
  ['008_messages_hot_updates', m008],
  ['009_complaint_cases', m009],
  ['010_event_keys', m010],
  ['011_account_exports', m011],
  ['012_ledger_e4', m012],
  ['013_message_leases', m013],
  ['014_workflow_outbox', m014],
  ['015_status_reconciliation', m015],
  ['016_customer_lists', m016],
  ['017_members', m017],
  ['018_single_sends', m018],
  ['019_webhooks', m019],
  ['020_single_sends_settle', m020],
  ['021_staff_totp_enrolment', m021],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, m]) => ({
    up: m.up,
    down:
      m.down ??
      (async () => {
        throw new Error('migrations are forward-only');
      }),
  }),
};

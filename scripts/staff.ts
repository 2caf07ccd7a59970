// `npm run staff -- <command>` (issue #13): staff members from the command line.
//   create-admin --username U --email E [--password P]   the first admin (prints the TOTP enrolment)
//   totp --username U                                    a current TOTP code (development only)
// DATABASE_URL, or the embedded PostgreSQL of `npm start` (PG_PORT, 5433) while it runs.
import { parseArgs } from 'node:util';
import { createDb, migrate } from '../lib/db';
import { loadConfig } from '../lib/config';
import { createAdmin, currentTotp, enrolmentText } from './staff-admin';

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
  });
  const config = loadConfig(process.env);
  const url =
    process.env.DATABASE_URL ?? `postgres://postgres:tentacle@127.0.0.1:${process.env.PG_PORT ?? 5433}/tentacle`;
  const db = createDb(url);
  try {
    if (command === 'create-admin') {
      if (!values.username || !values.email) throw new Error('create-admin needs --username and --email');
      await migrate(db);
      const a = await createAdmin(db, { username: values.username, email: values.email, password: values.password });
      console.log(`Staff admin ${values.username} created (id ${a.id}).`);
      if (a.generated) console.log(`  Password       ${a.password}   (shown once: change it after the first login)`);
      console.log(await enrolmentText(a.otpauthUri, a.totpSecret));
      console.log('Log in to the console (/console) with the password and a code of the authenticator app.');
    } else if (command === 'totp') {
      if (config.NODE_ENV === 'production') throw new Error('totp is for development only');
      const row = await db('staff_members')
        .where({ username: values.username ?? '' })
        .first('totp_secret');
      if (!row) throw new Error(`no staff member ${values.username}`);
      console.log(currentTotp(row.totp_secret));
    } else {
      throw new Error('usage: npm run staff -- create-admin --username U --email E [--password P] | totp --username U');
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

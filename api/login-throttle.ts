// Wrong-password throttling shared by member and staff logins: per username and per IP, over a
// sliding window, recorded in login_attempts (staff usernames are namespaced "staff:").
import type { Knex } from 'knex';
import { Problem } from './errors';

export const LOGIN_THROTTLE = { windowMinutes: 15, perUsername: 5, perIp: 20 };

export async function assertNotThrottled(db: Knex, username: string, ip: string): Promise<void> {
  const since = db.raw(`now() - interval '${LOGIN_THROTTLE.windowMinutes} minutes'`);
  const [{ byUser }] = await db('login_attempts')
    .whereRaw('lower(username) = lower(?)', [username])
    .andWhere('success', false)
    .andWhere('at', '>', since)
    .count({ byUser: '*' });
  const [{ byIp }] = await db('login_attempts')
    .where({ ip, success: false })
    .andWhere('at', '>', since)
    .count({ byIp: '*' });
  if (Number(byUser) >= LOGIN_THROTTLE.perUsername || Number(byIp) >= LOGIN_THROTTLE.perIp) {
    const retryAfter = LOGIN_THROTTLE.windowMinutes * 60;
    throw new Problem(
      429,
      'login_throttled',
      'Too many failed logins',
      'Too many failed attempts; try again later.',
      { retryAfterSeconds: retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
}

export async function recordLoginAttempt(db: Knex, username: string, ip: string, success: boolean): Promise<void> {
  await db('login_attempts').insert({ username, ip, success });
}

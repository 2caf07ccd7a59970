import { authenticator } from 'otplib';
import { createStaffMember, StaffRole } from '../../lib/staff';
import { http, System } from './system';

let n = 0;
/** Creates a staff member with these roles and logs in with password + a fresh TOTP code. */
export async function staffLogin(
  sys: System,
  roles: StaffRole[],
): Promise<{ token: string; staffId: string; username: string; totpSecret: string }> {
  const username = `staff${process.pid}x${Date.now().toString(36)}x${++n}`;
  const password = 'staff password long enough';
  const { id, totpSecret } = await createStaffMember(sys.db, {
    username,
    email: `${username}@tentacle.example`,
    password,
    roles,
  });
  const res = await http(sys.baseUrl, 'POST', '/v1/staff/sessions', {
    body: { username, password, totp: authenticator.generate(totpSecret) },
  });
  if (res.status !== 201) throw new Error(`staff login failed: ${JSON.stringify(res.body)}`);
  return { token: res.body.token, staffId: id, username, totpSecret };
}

// Member roles (issue 12, 4.2.2: every act of a member commits the User, so each role may do only
// what its holder needs). One table, read by the API's requireRole() at every customer route and by
// README.md ("Member roles"):
//
// | act                                                   | owner | developer | billing | read-only |
// |-------------------------------------------------------|-------|-----------|---------|-----------|
// | read: account, messages, campaigns, balance, invoices |   x   |     x     |    x    |     x     |
// | send: messages, campaigns, uploads                    |   x   |     x     |         |           |
// | integrate: API keys (list, create, revoke)            |   x   |     x     |         |           |
// | pay: packs, quotes, invoice disputes, billing details |   x   |           |    x    |           |
// | administer: members, TOTP policy, contract acts,      |   x   |           |         |           |
// |   export and data return                              |       |           |         |           |
// Everyone may manage their own credentials (password, TOTP) and log out.
export const MEMBER_ROLES = ['owner', 'developer', 'billing', 'read-only'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

const ALL = MEMBER_ROLES;
export const ALLOWED = {
  read: ALL,
  send: ['owner', 'developer'],
  integrate: ['owner', 'developer'],
  pay: ['owner', 'billing'],
  administer: ['owner'],
  self: ALL,
} as const satisfies Record<string, readonly MemberRole[]>;

/**
 * A role a member may give to an API key or an invitation: the owner any; anyone else only their
 * own role or read-only, so no credential ever has more rights than the person who made it.
 */
export function mayGrant(granter: MemberRole, role: MemberRole): boolean {
  return granter === 'owner' || role === granter || role === 'read-only';
}

import { normaliseEmail } from '../../domain/email';

describe('normaliseEmail', () => {
  it('When an address has spaces around it and an upper-case domain, then it is trimmed and the domain lowercased', () => {
    expect(normaliseEmail('  Jean.Dupont+news@Example.FR ')).toEqual({
      ok: true,
      email: 'Jean.Dupont+news@example.fr',
      domain: 'example.fr',
    });
  });

  it.each(['a@b.co', "o'hara@mail.example.com", 'x_y-z@sub-domain.example.org', 'u@xn--bcher-kva.ch'])(
    'When %j is given, then it is accepted unchanged',
    (input) => {
      expect(normaliseEmail(input)).toMatchObject({ ok: true, email: input });
    },
  );

  it.each([
    ['', 'empty'],
    ['plainaddress', 'no @'],
    ['@example.com', 'no local part'],
    ['a@', 'no domain'],
    ['a@localhost', 'a single-label domain'],
    ['a..b@example.com', 'two consecutive dots'],
    ['.a@example.com', 'a leading dot'],
    ['a.@example.com', 'a trailing dot in the local part'],
    ['a b@example.com', 'a space inside'],
    ['a@b@example.com', 'two @'],
    ['a@-example.com', 'a label starting with a hyphen'],
    ['a@example.c', 'a one-letter TLD'],
    ['a@example.123', 'a numeric TLD'],
    ['a@exa_mple.com', 'an underscore in the domain'],
    [`${'a'.repeat(65)}@example.com`, 'a 65-character local part'],
    ['jean@exämple.fr', 'a non-ASCII domain'],
  ])('When %j (%s) is given, then it is rejected as invalid_email', (input) => {
    expect(normaliseEmail(input)).toEqual({ ok: false, reason: 'invalid_email', input });
  });

  it('When the local part is exactly 64 characters, then it is accepted', () => {
    expect(normaliseEmail(`${'a'.repeat(64)}@example.com`).ok).toBe(true);
  });
});

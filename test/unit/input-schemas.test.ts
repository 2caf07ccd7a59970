// The edge's shared checks (api/input-guard.ts, api/schemas.ts), at their boundaries.
import { findUnsafeText, hasUnsafeText, replaceUnsafeText } from '../../api/input-guard';
import { bigintId, INSTANT_BOUNDS, instant, PLATFORM_EPOCH, queryInt } from '../../api/schemas';

const MIN = 60_000;
const DAY = 86_400_000;

describe('unsafe text predicate', () => {
  test('NUL and unpaired surrogates (high, low, high at the end) are unsafe; paired emoji, plain text are not', () => {
    const unsafe = ['\u0000', 'a\u0000b', '\ud800x', 'x\ud800', '\udc00', 'a\udc00b', '\ude00\ud83d'];
    const safe = ['', 'Bonjour é', '\ud83d\ude00', 'a\ud83d\ude00b', '\\u0000', '%00'];
    expect(unsafe.map(hasUnsafeText)).toEqual(unsafe.map(() => true));
    expect(safe.map(hasUnsafeText)).toEqual(safe.map(() => false));
    expect(replaceUnsafeText('a\u0000b\ud800\ud83d\ude00')).toBe('a\ufffdb\ufffd\ud83d\ude00');
  });

  test('findUnsafeText: the path of the first unsafe value or key; a deep body neither overflows nor is slow', () => {
    expect(findUnsafeText({ a: 1, b: [{ c: 'ok' }, { d: 'x\u0000' }] })).toEqual(['b', 1, 'd']);
    expect(findUnsafeText({ ok: { ['k\ud800']: 1 } })).toEqual(['ok', 'k\ud800']);
    expect(findUnsafeText({ a: ['\ud83d\ude00', 3, null, true] })).toBeNull();
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnsafeText(deep)).toHaveLength(200_000);
  });
});

describe('bounded numbers', () => {
  test('queryInt takes digits within bounds only (not "", " 1", "1e3", "0x10", an overflow)', () => {
    const q = queryInt(1, 1000);
    expect(q.parse('1')).toBe(1);
    expect(q.parse('1000')).toBe(1000);
    const refused = ['0', '1001', '', ' 1', '1e3', '0x10', '1.5', '-1', '99999999999999999999999'];
    expect(refused.filter((s) => q.safeParse(s).success)).toEqual([]);
  });

  test('bigintId takes 1 to 18 digits: always within PostgreSQL bigint', () => {
    expect(bigintId.safeParse('999999999999999999').success).toBe(true);
    const refused = ['9999999999999999999', '99999999999999999999999', '', '-1', '1 '];
    expect(refused.filter((s) => bigintId.safeParse(s).success)).toEqual([]);
  });
});

describe('instants bounded by kind', () => {
  const now = new Date('2026-12-01T10:00:00.000Z');
  const at = (ms: number) => new Date(ms).toISOString();
  const ok = (kind: 'planned' | 'occurred', iso: string) => instant(kind, () => now).safeParse(iso).success;

  test('planned: from 5 minutes behind to 366 days ahead, to the millisecond', () => {
    const t = now.getTime();
    expect(INSTANT_BOUNDS.planned).toEqual({ behindMs: 5 * MIN, aheadMs: 366 * DAY });
    expect(ok('planned', at(t - 5 * MIN))).toBe(true);
    expect(ok('planned', at(t - 5 * MIN - 1))).toBe(false);
    expect(ok('planned', at(t + 366 * DAY))).toBe(true);
    expect(ok('planned', at(t + 366 * DAY + 1))).toBe(false);
    expect(ok('planned', '9999-01-01T00:00:00Z')).toBe(false);
    expect(ok('planned', '2001-01-01T00:00:00Z')).toBe(false);
  });

  test('occurred: from the platform epoch (first terms version) to 5 minutes ahead, to the millisecond', () => {
    const t = now.getTime();
    expect(PLATFORM_EPOCH.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(ok('occurred', at(PLATFORM_EPOCH.getTime()))).toBe(true);
    expect(ok('occurred', at(PLATFORM_EPOCH.getTime() - 1))).toBe(false);
    expect(ok('occurred', at(t + 5 * MIN))).toBe(true);
    expect(ok('occurred', at(t + 5 * MIN + 1))).toBe(false);
    expect(ok('occurred', '0001-01-01T00:00:00Z')).toBe(false);
    expect(instant('occurred', () => now).parse('2026-06-01T12:00:00+02:00')).toEqual(new Date('2026-06-01T10:00:00Z'));
  });
});

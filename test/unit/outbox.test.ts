// The outbox stores a workflow start as data (lib/workflow-clients/outbox.ts): its type by the
// function's name, its search attributes as JSON. Both must come back as Temporal needs them.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import * as workflows from '../../workflows';
import { deserialiseSearchAttributes, serialiseSearchAttributes } from '../../lib/workflow-clients/outbox';
import { SA } from '../../workflows/search-attributes';

describe('workflow outbox: what a start stores', () => {
  test('When a workflow is enqueued by function reference, then its stored type (the function name) is the type the worker registers (its export name)', () => {
    const fns = Object.entries(workflows).filter(([, v]) => typeof v === 'function');
    expect(fns.length).toBeGreaterThan(10);
    for (const [exported, fn] of fns) expect([exported, (fn as () => unknown).name]).toEqual([exported, exported]);
  });

  test('When search attributes of every type go through the JSON column, then they come back with the same keys, types and values (Datetime as a Date)', () => {
    const pairs: SearchAttributePair[] = [
      { key: SA.AccountId, value: '4b0c1d1e-0000-4000-8000-000000000001' },
      { key: SA.NextDeadline, value: new Date('2026-03-31T21:59:59.999Z') },
      { key: defineSearchAttributeKey('Attempts', SearchAttributeType.INT), value: 3 },
      { key: defineSearchAttributeKey('Ratio', SearchAttributeType.DOUBLE), value: 0.25 },
      { key: defineSearchAttributeKey('Flag', SearchAttributeType.BOOL), value: false },
      { key: defineSearchAttributeKey('Tags', SearchAttributeType.KEYWORD_LIST), value: ['a', 'b'] },
      { key: defineSearchAttributeKey('Note', SearchAttributeType.TEXT), value: 'free text' },
    ];
    const back = deserialiseSearchAttributes(JSON.parse(JSON.stringify(serialiseSearchAttributes(pairs))));
    expect(back).toEqual(pairs);
    expect(back[1].value).toBeInstanceOf(Date);
  });

  test('When a stored value does not fit its type, then it is refused rather than sent to Temporal', () => {
    expect(() =>
      deserialiseSearchAttributes([{ name: 'NextDeadline', type: 'DATETIME', value: 'not a date' }]),
    ).toThrow(/NextDeadline/);
    expect(() => deserialiseSearchAttributes([{ name: 'Attempts', type: 'INT', value: 1.5 }])).toThrow(/Attempts/);
  });
});

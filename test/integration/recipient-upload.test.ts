// The recipient upload's batch step against the real Postgres: deduplication across batches
// (ingest_seen), suppression, and the upload as one transaction. Small batches so that every
// case crosses batch boundaries.
import { Readable } from 'node:stream';
import { ingestRecipients, type CampaignTarget } from '../../api/recipient-upload';
import { csvRows } from '../../api/recipient-upload-sources';
import { startSystem, http, onboard, type System } from '../support/system';

type Account = Awaited<ReturnType<typeof onboard>>;

describe('recipient upload', () => {
  let sys: System;
  let acme: Account;

  beforeAll(async () => {
    sys = await startSystem();
    acme = await onboard(sys);
  });

  afterAll(async () => {
    await sys?.stop();
  });

  let n = 0;
  // Unique French mobiles, given in E.164; `national` writes the same number as "06 …".
  const phone = () => `+3362${String(process.pid % 1000).padStart(3, '0')}${String(++n).padStart(4, '0')}`;
  const national = (e164: string) => `0${e164.slice(3)}`;

  const campaign = async (): Promise<CampaignTarget> => {
    const created = await http(sys.baseUrl, 'POST', '/v1/campaigns', {
      token: acme.apiKey,
      body: { channel: 'sms', purpose: 'transactional', template: 'Hi {{n}}' },
    });
    expect(created.status).toBe(201);
    return {
      orderId: created.body.id,
      accountId: acme.accountId,
      channel: 'sms',
      purpose: 'transactional',
      template: 'Hi {{n}}',
      subject: null,
      defaultCountry: 'FR',
    };
  };
  const upload = (target: CampaignTarget, csv: string, opts: { batchRows: number; maxRows?: number }) =>
    ingestRecipients(sys.db, target, [Readable.from([csv]), ...csvRows(['n'])], {
      optOutMention: 'STOP au 36180',
      maxRows: opts.maxRows ?? 100,
      batchRows: opts.batchRows,
    });
  const messages = (orderId: string) =>
    sys.db('messages').where({ order_id: orderId }).orderBy('seq').select('seq', 'recipient', 'vars');
  const rejections = (orderId: string) =>
    sys.db('recipient_rejections').where({ order_id: orderId }).orderBy('row_no').select('row_no', 'value', 'reason');

  test('When a suppressed recipient or a number written another way comes back in the same or a later batch, then the first row decides and the others are duplicates', async () => {
    const target = await campaign();
    const [a, b, s, c] = [phone(), phone(), phone(), phone()];
    await sys
      .db('suppressions')
      .insert({ account_id: acme.accountId, channel: 'sms', address: s, reason: 'stop', source: 'stop' });
    // Batches of 2 rows: [s a] [s national(a)] [b ""] [national(s) c] [b]
    const csv = `to,n\n${s},1\n${a},2\n${s},3\n${national(a)},4\n${b},5\n${c},\n${national(s)},7\n${c},8\n${b},9\n`;
    const result = await upload(target, csv, { batchRows: 2 });
    expect(result).toMatchObject({
      rows: 9,
      accepted: 3,
      rejected: { suppressed: 1, duplicate: 4, missing_variable: 1 },
    });
    expect(await messages(target.orderId)).toEqual(
      [
        [1, a, '2'],
        [2, b, '5'],
        [3, c, '8'],
      ].map(([seq, recipient, v]) => ({ seq, recipient, vars: { n: v } })),
    );
    expect(await rejections(target.orderId)).toEqual(
      [
        [1, s, 'suppressed'],
        [3, s, 'duplicate'],
        [4, national(a), 'duplicate'],
        [6, c, 'missing_variable'],
        [7, national(s), 'duplicate'],
        [9, b, 'duplicate'],
      ].map(([row_no, value, reason]) => ({ row_no, value, reason })),
    );
  });

  test('When the same recipient appears several times within one batch, then its first row is kept whatever the order of the batch', async () => {
    const target = await campaign();
    const [a, b] = [phone(), phone()];
    const csv = `to,n\n${b},1\n${a},2\n${b},3\n${a},4\n${national(b)},5\n`;
    const result = await upload(target, csv, { batchRows: 100 });
    expect(result).toMatchObject({ rows: 5, accepted: 2, rejected: { duplicate: 3 } });
    expect(await messages(target.orderId)).toEqual([
      { seq: 1, recipient: b, vars: { n: '1' } },
      { seq: 2, recipient: a, vars: { n: '2' } },
    ]);
  });

  test('When an upload fails after some batches were loaded, then nothing of it remains and the previous recipients stay', async () => {
    const target = await campaign();
    const kept = phone();
    expect(await upload(target, `to,n\n${kept},1\n`, { batchRows: 2 })).toMatchObject({ accepted: 1 });
    const rows = Array.from({ length: 7 }, (_, i) => `${phone()},${i}`).join('\n');
    await expect(upload(target, `to,n\n${rows}\n`, { batchRows: 2, maxRows: 6 })).rejects.toMatchObject({
      code: 'too_many_recipients',
    });
    expect(await messages(target.orderId)).toEqual([{ seq: 1, recipient: kept, vars: { n: '1' } }]);
    expect(await rejections(target.orderId)).toEqual([]);
  });
});

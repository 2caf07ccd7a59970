// The lease is checked again when a carrier request is written (activities/carriers/submission-guard.ts):
// a request that the page allowed, but that waited for a connection (or whose process froze) until
// the lease ran out, never reaches the carrier. The real Twilio client on the carrier simulator,
// with one connection held by a hung request so that the next one waits in the pool.
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { SubmissionFenced, withSubmissionGuard } from '../../activities/carriers/submission-guard';

const FROM = '+33700000001';
let sim: CarrierSimulator;
let sms: TwilioClient;

beforeAll(async () => {
  sim = await startCarrierSimulator();
  sms = createTwilioClient({ ...sim.twilio, baseUrl: sim.url, connections: 1 });
});

afterAll(async () => {
  await sms.close();
  await sim.stop();
});

const create = (mid: string) =>
  sms.messages.create({ to: '+33612345678', from: FROM, body: 'Code 1234', statusCallback: `http://x/s?mid=${mid}` });

describe('submission guard', () => {
  it('When the lease runs out while an allowed request waits for a connection, then it is never written and the carrier does not have it', async () => {
    sim.configure({ hang: true });
    const first = withSubmissionGuard(
      () => true,
      () => create('g-1'),
    );
    await new Promise((r) => setTimeout(r, 100));
    let valid = true;
    const second = withSubmissionGuard(
      () => valid,
      () => create('g-2'),
    );
    await new Promise((r) => setTimeout(r, 100));
    valid = false; // the lease runs out while it waits behind the hung request
    sim.configure({ hang: false });
    await expect(first).resolves.toMatchObject({ sid: expect.stringMatching(/^SM/) });
    await expect(second).rejects.toBeInstanceOf(SubmissionFenced);
    expect(sim.acceptedCount('g-1')).toBe(1);
    expect(sim.acceptedCount('g-2')).toBe(0);
  });

  it('When the lease is still valid at the write, then the request is sent (and without a guard too)', async () => {
    await expect(
      withSubmissionGuard(
        () => true,
        () => create('g-3'),
      ),
    ).resolves.toMatchObject({ sid: /^SM/ });
    await expect(create('g-4')).resolves.toMatchObject({ sid: /^SM/ });
    expect(sim.acceptedCount('g-3')).toBe(1);
    expect(sim.acceptedCount('g-4')).toBe(1);
  });
});

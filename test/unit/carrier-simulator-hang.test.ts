// The simulator's hung carrier (config.hang) and its bulk count of acceptances per mid, which the
// chaos suite (scripts/chaos*.ts) uses to inject a carrier hang and to measure each campaign.
import { request } from 'undici';
import type { CarrierSimulator } from '../../simulator';
import { simulatorSuite } from '../support/carrier-simulator';

const suite = simulatorSuite();
const { send } = suite;
let sim: CarrierSimulator;
beforeAll(() => {
  ({ sim } = suite);
});

describe('carrier simulator: hang and accepted counts', () => {
  it('When the carrier hangs, then a message is neither accepted nor answered until the hang ends', async () => {
    sim.configure({ hang: true });
    let answered = false;
    const sent = send('+33612345678', 'h-1').then((m) => {
      answered = true;
      return m;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    expect(sim.acceptedCount('h-1')).toBe(0);
    sim.configure({ hang: false });
    const message = await sent;
    expect(message.sid).toMatch(/^SM/);
    expect(sim.acceptedCount('h-1')).toBe(1);
  });

  it('When the hang ends, then held requests are processed in arrival order (a list sees an earlier create)', async () => {
    sim.configure({ hang: true });
    const sent = send('+33612345678', 'h-2');
    await new Promise((r) => setTimeout(r, 100));
    const listed = suite.sms.messages.list({ to: '+33612345678' });
    await new Promise((r) => setTimeout(r, 100));
    sim.configure({ hang: false });
    const [message, list] = await Promise.all([sent, listed]);
    expect(list.map((m) => m.sid)).toContain(message.sid);
  });

  it('When counts are asked for mids in bulk, then each is the number of acceptances (0 if never)', async () => {
    await send('+33612345678', 'c-1');
    await send('+33612345678', 'c-2');
    await send('+33612345678', 'c-2');
    const res = await request(`${sim.url}/_sim/accepted-counts`, {
      method: 'POST',
      body: JSON.stringify({ mids: ['c-1', 'c-2', 'c-3'] }),
    });
    expect(await res.body.json()).toEqual({ counts: [1, 2, 0] });
  });
});

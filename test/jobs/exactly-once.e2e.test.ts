import { WecomClient } from '../../src/channels/wecom/client';
import { WecomMessenger } from '../../src/channels/wecom/messenger';
import { createKaohe } from '../../src/compose';
import { silentLogger } from '../../src/lib/logger';
import { BotHarness } from '../helpers/bot-harness';

const STAFF = ['chenjing', 'lina', 'zhangwei', 'zhaomin'];

/** What the fake WeCom delivered, per person. */
const perPerson = (h: BotHarness) =>
  Object.fromEntries(STAFF.map((u) => [u, h.fake.sent.filter((b) => b.touser === u).length]));

describe('two instances on the same MongoDB and Redis', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({}, { open: false, clock: '2024-05-25T01:00:00Z' });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('fire the same job at the same moment: one runs it, each person gets one card', async () => {
    // The twin shares the database and the Redis store (same keys), as a second deployment would.
    const twin = createKaohe({
      config: h.config,
      models: h.models,
      state: h.state,
      clock: h.clock,
      logger: silentLogger,
    });
    const outcomes = await Promise.all([h.kaohe.jobs.fire('open'), twin.jobs.fire('open')]);
    expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
    await Promise.all([h.kaohe.settle(), twin.settle()]);
    expect(perPerson(h)).toEqual({ chenjing: 1, lina: 1, zhangwei: 1, zhaomin: 1 });
  });

  it('even when the lock is missed (one after the other), nothing is sent twice', async () => {
    const twin = createKaohe({
      config: h.config,
      models: h.models,
      state: h.state,
      clock: h.clock,
      logger: silentLogger,
    });
    expect(await h.kaohe.jobs.fire('open')).toBe('opened 2024-05, notified 4');
    expect(await twin.jobs.fire('open')).toBe('opened 2024-05, notified 0');
    await Promise.all([h.kaohe.settle(), twin.settle()]);
    expect(perPerson(h)).toEqual({ chenjing: 1, lina: 1, zhangwei: 1, zhaomin: 1 });
  });
});

describe('a crash in the middle of sending', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({}, { open: false, clock: '2024-05-25T01:00:00Z' });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('after a restart, everyone gets exactly one card', async () => {
    await h.kaohe.jobs.fire('open');
    // The instance sent to the first two people, then died while sending to the third:
    // their cards are marked sent, the third was claimed (leased) and never finished.
    const queued = await h.models.outbox.find({}).sort({ order: 1 }).lean();
    expect(queued).toHaveLength(4);
    const [a, b, victim] = queued;
    const dying = new WecomMessenger(
      new WecomClient({ settings: h.settings, state: h.state, logger: silentLogger }),
    );
    for (const doc of [a!, b!]) {
      if (doc.payload.kind === 'send') await dying.send(doc.userid, doc.payload.message);
      await h.models.outbox.updateOne(
        { _id: doc._id },
        { $set: { status: 'sent', finishedAt: h.clock.now() } },
      );
    }
    await h.models.outbox.updateOne(
      { _id: victim!._id },
      { $set: { status: 'sending', leaseUntil: new Date(h.clock.now().getTime() + 60_000) } },
    );

    // A new process starts on the same database: it sends what is left, and the leased
    // message once its lease has run out; opening again (the schedule fires after restart) adds nothing.
    const restarted = h.build();
    expect(await restarted.jobs.fire('open')).toBe('opened 2024-05, notified 0');
    await restarted.settle();
    h.clock.advance(61_000);
    await restarted.settle();
    expect(perPerson(h)).toEqual({ chenjing: 1, lina: 1, zhangwei: 1, zhaomin: 1 });
  });

  it('a close interrupted after some results were written finishes on the next run, none twice', async () => {
    await h.kaohe.jobs.fire('open');
    await h.kaohe.settle();
    h.clock.set('2024-06-05T01:00:00Z');
    // Simulate the crash: the month was locked and two results were queued, then the process died.
    const realForMonth = h.kaohe.assessments.forMonth.bind(h.kaohe.assessments);
    h.kaohe.assessments.forMonth = async (month) => (await realForMonth(month)).slice(0, 2);
    await h.kaohe.cycle.close('2024-05' as never, 'schedule');
    expect(await h.kaohe.outbox.pendingCount()).toBe(3); // two results and the (partial) summary
    const restarted = h.build();
    await restarted.cycle.close('2024-05' as never, 'schedule');
    await restarted.settle();
    const results = h.fake.sent.filter((b) => JSON.stringify(b).includes('考核结果'));
    expect(results.map((b) => b.touser).sort()).toEqual(STAFF);
  });
});

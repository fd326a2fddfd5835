import { BotHarness } from '../../helpers/bot-harness';

// Two pages of the open (1,000 people each), on top of the fixture roster.
const EXTRA = 1_100;

/** Each person's 'open' messages in the outbox, by userid. */
async function openingsPerPerson(h: BotHarness): Promise<Map<string, number>> {
  const rows = await h.models.outbox.find({ key: /^2024-05:.*:open:/ }, { userid: 1 }).lean();
  const counts = new Map<string, number>();
  for (const { userid } of rows) counts.set(userid, (counts.get(userid) ?? 0) + 1);
  return counts;
}

describe("a month's opening, a page of the roster at a time", () => {
  let h: BotHarness;
  let staff: string[];
  beforeEach(async () => {
    h = await BotHarness.start({}, { open: false, clock: '2024-05-25T01:00:00Z' });
    const joinedAt = new Date('2024-05-01T00:00:00Z');
    await h.models.people.insertMany(
      Array.from({ length: EXTRA }, (_, i) => ({
        userid: `extra${i}`,
        name: `员工${i}`,
        employeeNo: `X${String(i).padStart(5, '0')}`,
        roles: ['staff'],
        // Every third one has no supervisor at all: the manager is told of them.
        supervisorUserid: i % 3 === 0 ? null : 'liuyan',
        platform: 'wecom',
        active: true,
        joinedAt,
        updatedAt: joinedAt,
      })),
    );
    staff = (await h.kaohe.people.activeWithRole('staff')).map((p) => p.userid);
  });
  afterEach(async () => {
    await h.stop();
  });

  it('gives every active staff member one form and one opening card, across pages', async () => {
    expect(staff.length).toBeGreaterThan(EXTRA);
    const report = await h.kaohe.cycle.open('2024-05' as never, 'test');
    expect(report).toMatchObject({ notified: staff.length, staff: staff.length });
    expect(await h.models.assessments.countDocuments({ month: '2024-05' })).toBe(staff.length);
    const openings = await openingsPerPerson(h);
    expect([...openings.keys()].sort()).toEqual([...staff].sort());
    expect([...openings.values()].every((n) => n === 1)).toBe(true);
    // The manager's notice names the people without a supervisor, from every page.
    const notice = await h.models.outbox.findOne({ key: /:unsupervised:/ }).lean();
    const named = JSON.stringify(notice?.payload).match(/员工\d+（X\d+）/g) ?? [];
    expect(named).toHaveLength(Math.ceil(EXTRA / 3));
    expect(named).toContain('员工0（X00000）');
    expect(named).toContain('员工1098（X01098）');
    expect(named).not.toContain('员工1（X00001）');
  });

  it('resumes an open that died half way, storing and queueing nobody twice', async () => {
    // The first run dies after its first page of messages is stored.
    const realEnqueue = h.kaohe.outbox.enqueue.bind(h.kaohe.outbox);
    let pages = 0;
    h.kaohe.outbox.enqueue = async (items, now) => {
      if (++pages > 1) throw new Error('process died');
      return realEnqueue(items, now);
    };
    await expect(h.kaohe.cycle.open('2024-05' as never, 'test')).rejects.toThrow('process died');
    const stored = await h.models.outbox.countDocuments({ key: /:open:/ });
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(staff.length);

    const restarted = h.build();
    const report = await restarted.cycle.open('2024-05' as never, 'test');
    expect(report.notified).toBe(staff.length - stored);
    const openings = await openingsPerPerson(h);
    expect(openings.size).toBe(staff.length);
    expect([...openings.values()].every((n) => n === 1)).toBe(true);
    expect(await h.models.assessments.countDocuments({ month: '2024-05' })).toBe(staff.length);
    // Opened a third time, it has nothing left to send.
    expect((await restarted.cycle.open('2024-05' as never, 'test')).notified).toBe(0);
  });
});

/**
 * The summary folded from the month's rows a batch at a time, and the
 * workbook written from them, against the whole month read at once and
 * summarized the way it was before the fold (a copy of that code below), on
 * a seeded month of more than one batch: drafts, missing supervisors, gaps,
 * records, supervisors on and off the roster, another department's forms and
 * a form whose person left.
 */
import ExcelJS from 'exceljs';
import { loadConfig } from '../../config';
import { shortName } from '../../src/assessment/form';
import { exceedsGap } from '../../src/assessment/gap';
import type { MonthKey } from '../../src/assessment/month';
import { averageOfFinals, medianOfFinals, nearestTenth } from '../../src/assessment/rounding';
import {
  criterionShares,
  ReportService,
  type MonthReport,
  type ReportRow,
} from '../../src/features/reports/report-service';
import { monthSummaryText } from '../../src/features/reports/texts';
import { FLAG_NAMES, RANKING_ENDS, type MonthSummary } from '../../src/reports/month-summary';
import { bandCounts } from '../../src/reports/score-bands';
import { buildWorkbook } from '../../src/reports/workbook';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { createRepositories } from '../../src/store/repositories';
import { startTestDatabase, type TestDatabase } from '../helpers/database';

const KEY = '2024-05' as MonthKey;
const STAFF = 1300; // more than one batch of the cursor (1,000)
const AT = new Date('2024-05-20T00:00:00Z');
const COMPUTED_AT = new Date('2024-06-01T00:00:00Z');

let db: TestDatabase;
let models: Models;
let reports: ReportService;

beforeAll(async () => {
  db = await startTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
  reports = new ReportService({
    ...createRepositories(models),
    clock: { now: () => COMPUTED_AT },
  } as ConstructorParameters<typeof ReportService>[0]);
  await seed();
});
afterAll(async () => {
  await db.stop();
});

async function seed() {
  const form = loadConfig({}).assessment;
  const person = (i: number, department = '客服部') => ({
    userid: `u${String(i).padStart(5, '0')}`,
    name: `员工${i}`,
    // 工号 not in userid order, so the ranking's tie-break and the row order differ.
    employeeNo: `K${String((i * 7919) % 100000).padStart(5, '0')}`,
    roles: ['staff'],
    // Supervisors: two assessed people, one on the roster only, one nowhere, and none.
    supervisorUserid: ['u00001', 'u00002', 'lead', 'gone', null][i % 5],
    platform: 'wecom',
    department,
    active: true,
    joinedAt: AT,
    updatedAt: AT,
  });
  await models.people.insertMany([
    ...Array.from({ length: STAFF }, (_, i) => person(i)),
    ...Array.from({ length: 30 }, (_, i) => person(STAFF + i, '销售部')),
    { ...person(99999), userid: 'lead', employeeNo: 'L001', name: '组长' },
  ]);
  await models.months.create({
    key: KEY,
    status: 'open',
    form,
    openedAt: AT,
    openedBy: 'test',
    closedAt: null,
    closedBy: null,
  });
  // Everyone's form, another department's too, and one whose person is no longer on the roster.
  const docs = Array.from({ length: STAFF + 31 }, (_, i) => {
    // Every eleventh supervisor scores low: a gap over the threshold.
    const low = i % 11 === 0 ? 4 : 0;
    const scores = (shift: number, less = 0) =>
      Object.fromEntries(
        form.criteria.map((c) => [
          String(c.no),
          Math.max(0, c.max - ((i * shift + c.no) % 7) - less),
        ]),
      );
    const part = (status: string, shift: number, less = 0) => ({
      scores: scores(shift, less),
      remarks: i % 13 === 0 ? { '3': `备注${i}` } : {},
      remark: null,
      status,
      authorUserid: null,
      submittedAt: AT,
      updatedAt: AT,
    });
    return {
      month: KEY,
      userid: i === STAFF + 30 ? 'left-the-roster' : `u${String(i).padStart(5, '0')}`,
      supervisorUserid: ['u00001', 'u00002', 'lead', 'gone', null][i % 5],
      createdAt: AT,
      self: part(i % 10 === 0 ? 'draft' : 'submitted', 3),
      supervisor: part(i % 17 === 0 ? 'draft' : 'submitted', 5, low),
    };
  });
  await models.assessments.insertMany(docs);
  await models.records.insertMany(
    Array.from({ length: 40 }, (_, n) => ({
      code: `R${String(n).padStart(5, '0')}`,
      month: KEY,
      userid: `u${String(n * 31).padStart(5, '0')}`,
      authorUserid: 'lead',
      kind: n % 2 ? 'praise' : 'complaint',
      points: n % 2 ? 2 : -3,
      reason: `理由${n}`,
      criterionNo: null,
      createdAt: new Date(AT.getTime() + n * 1000),
      voided: null,
      requestKey: `k${n}`,
      noticed: true,
    })),
  );
}

describe('a month summarized from its rows a batch at a time', () => {
  it('has every figure summarized from the whole month at once, as before', async () => {
    const report = await reports.month(KEY);
    expect(report.rows.length).toBe(STAFF);
    const folded = (await reports.summary(KEY)).summary;
    expect(folded).toEqual(referenceSummary(report, COMPUTED_AT));
    // The seeded month has what each figure is about.
    expect(folded.gaps.count).toBeGreaterThan(FLAG_NAMES);
    expect(folded.missingSupervisor.count).toBeGreaterThan(FLAG_NAMES);
    expect(folded.ranking.head[0]!.result.adjustmentTotal).not.toBe(0);
    expect(folded.calibration.map((line) => line.name).sort()).toEqual(
      [null, null, null, '员工1', '员工2', '组长'].sort(),
    );
    expect(monthSummaryText({ status: 'open', summary: folded })).toBe(
      monthSummaryText({ status: 'open', summary: referenceSummary(report, COMPUTED_AT) }),
    );
  });

  it('stores the same summary at close as the whole closed month gives', async () => {
    await models.months.updateOne({ key: KEY }, { $set: { status: 'closed' } });
    // A result fixed at close that differs from the forms: the stored one counts.
    await models.assessments.updateOne(
      { month: KEY, userid: 'u00004' },
      {
        $set: {
          result: {
            selfCounted: 50,
            supervisorTotal: 60,
            adjustmentTotal: 0,
            final: 58.5,
            missingSelf: false,
            missingSupervisor: false,
            computedAt: AT,
          },
        },
      },
    );
    try {
      const stored = await reports.storeSummary(KEY);
      expect(stored).toEqual(referenceSummary(await reports.month(KEY), COMPUTED_AT));
    } finally {
      await models.months.updateOne({ key: KEY }, { $set: { status: 'open' } });
      await models.monthSummaries.deleteMany({});
    }
  });
});

describe('the rows a batch at a time', () => {
  it('come in batches by userid, and a reader that stops early leaves nothing behind', async () => {
    const rows = createRepositories(models).reportRows;
    const sizes: number[] = [];
    for await (const batch of rows.batches(KEY, '客服部')) {
      sizes.push(batch.length);
      break; // the next batch is already asked for
    }
    expect(sizes).toEqual([250]);
    const all = (await rows.forMonth(KEY, '客服部')).map((r) => r.doc.userid);
    expect(all.length).toBe(STAFF);
    expect(all).toEqual([...all].sort());
  });
});

describe('the workbook written from the rows a batch at a time', () => {
  it('has the sheets and values of the workbook of the whole month at once', async () => {
    const whole = await sheetsOf(await buildWorkbook(await reports.month(KEY)));
    const batched = await sheetsOf(await buildWorkbook(await reports.monthRows(KEY)));
    expect(batched.length).toBe(STAFF + 1);
    expect(batched).toEqual(whole);
  });
});

/** Every sheet's name and its rows' values, as a reader sees them. */
async function sheetsOf(file: Buffer): Promise<unknown[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ArrayBuffer);
  return book.worksheets.map((sheet) => ({ name: sheet.name, values: sheet.getSheetValues() }));
}

// The summary as computed before the fold, over every row of the month at once (kept as it was).
function referenceSummary(report: MonthReport, computedAt: Date): MonthSummary {
  const { month, rows } = report;
  const named = (row: ReportRow) => ({
    person: { name: row.person.name, employeeNo: row.person.employeeNo },
  });
  const entry = (row: ReportRow, place: number | null) => ({
    ...named(row),
    place,
    result: {
      missingSelf: row.result.missingSelf,
      selfTotal: row.result.selfTotal,
      supervisorTotal: row.result.supervisorTotal,
      adjustmentTotal: row.result.adjustmentTotal,
      final: row.result.final,
    },
  });
  const flagList = (flagged: ReportRow[]) => ({
    shown: flagged.slice(0, FLAG_NAMES).map(named),
    count: flagged.length,
  });
  const ranked = rows
    .filter((r) => r.result.final !== null)
    .sort(
      (a, b) =>
        b.result.final! - a.result.final! || a.person.employeeNo.localeCompare(b.person.employeeNo),
    );
  const unranked = rows.filter((r) => r.result.final === null);
  const total = rows.length;
  const at = (i: number) =>
    i < ranked.length ? entry(ranked[i]!, i + 1) : entry(unranked[i - ranked.length]!, null);
  const cut = total > RANKING_ENDS * 2;
  const head = Array.from({ length: cut ? RANKING_ENDS : total }, (_, i) => at(i));
  const tail = cut
    ? Array.from({ length: RANKING_ENDS }, (_, i) => at(total - RANKING_ENDS + i))
    : [];
  const finals = ranked.map((r) => r.result.final!);
  const threshold = month.form.policies.gapThreshold;
  return {
    month: month.key,
    department: month.department,
    people: total,
    selfDone: rows.filter((r) => !r.result.missingSelf).length,
    supervisorDone: rows.filter((r) => !r.result.missingSupervisor).length,
    finals:
      finals.length > 0
        ? {
            count: finals.length,
            average: averageOfFinals(finals),
            median: medianOfFinals(finals),
            tenths: finals.reduce((sum, f) => sum + Math.round(f * 10), 0),
          }
        : null,
    ranking: { head, tail, left: cut ? total - RANKING_ENDS * 2 : 0 },
    gapThreshold: threshold,
    missingSelf: flagList(rows.filter((r) => r.result.missingSelf)),
    missingSupervisor: flagList(rows.filter((r) => r.result.missingSupervisor)),
    gaps: flagList(rows.filter((r) => exceedsGap(r.result, threshold))),
    criteria: criterionShares(report).map(({ c, share }) => ({
      no: c.no,
      label: shortName(c),
      share,
    })),
    distribution: bandCounts(finals),
    calibration: referenceCalibration(report).map((line) => ({
      ...line,
      name:
        line.supervisorUserid === null
          ? null
          : (report.people?.get(line.supervisorUserid)?.name ?? null),
    })),
    computedAt,
  };
}

function referenceCalibration(report: MonthReport) {
  const threshold = report.month.form.policies.calibrationThreshold ?? 10;
  const stats = (totals: number[]) => {
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    const variance = totals.reduce((a, b) => a + (b - mean) ** 2, 0) / totals.length;
    return { average: mean, spread: Math.sqrt(variance) };
  };
  const scored = report.rows.filter((r) => r.result.supervisorTotal !== null);
  if (scored.length === 0) return [];
  const all = stats(scored.map((r) => r.result.supervisorTotal!));
  const bySupervisor = new Map<string, number[]>();
  for (const row of scored) {
    const id = row.doc.supervisorUserid ?? '';
    bySupervisor.set(id, [...(bySupervisor.get(id) ?? []), row.result.supervisorTotal!]);
  }
  const department = {
    supervisorUserid: null,
    count: scored.length,
    average: nearestTenth(all.average),
    spread: nearestTenth(all.spread),
    offset: 0,
    flagged: false,
  };
  const lines = [...bySupervisor.entries()].map(([id, totals]) => {
    const s = stats(totals);
    return {
      supervisorUserid: id,
      count: totals.length,
      average: nearestTenth(s.average),
      spread: nearestTenth(s.spread),
      offset: nearestTenth(s.average - all.average),
      flagged: Math.abs(s.average - all.average) > threshold,
    };
  });
  return [department, ...lines.sort((a, b) => b.average - a.average)];
}

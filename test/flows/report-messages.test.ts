import { loadConfig } from '../../config';
import { monthReportText } from '../../src/flows/report-messages';
import type { MonthDoc } from '../../src/store/models/month';

describe('month report text', () => {
  it('says so when a month has nobody to assess', () => {
    const month: MonthDoc = {
      key: '2024-08',
      status: 'open',
      form: loadConfig({}).assessment,
      openedAt: new Date(),
      openedBy: 'test',
      closedAt: null,
      closedBy: null,
    };
    expect(monthReportText({ month, rows: [], records: [] })).toBe(
      '2024年8月考核报表(进行中)\n本月没有需要考核的人员。',
    );
  });
});

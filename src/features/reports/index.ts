import type { Feature } from '../feature';
import { registerReport } from './report-command';

/** /report: the month at a glance, one person's detail, the workbook and the chart. */
export const reportsFeature: Feature = {
  name: 'reports',
  register: (bot, { services, config }) =>
    registerReport(
      bot,
      services.reports,
      config.departments.map((d) => d.department),
    ),
};

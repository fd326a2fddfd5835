import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bandCounts,
  CHART_HEIGHT,
  CHART_WIDTH,
  renderMonthChart,
  type ChartInput,
} from '../../src/reports/chart';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const sample: ChartInput = {
  title: '2024年5月考核',
  finals: [52, 61, 68, 71, 75, 77, 79, 83, 86, 88, 92, 97, 104],
  criteria: [
    '1.文明用语',
    '2.耐心解答',
    '3.同事配合',
    '4.记录登记',
    '5.公司形象',
    '6.对待批评',
    '7.细心跟踪',
    '8.考勤',
    '9.业余学习',
    '10.不开小差',
    '11.服从分派',
  ].map((label, i) => ({ label, averageShare: 0.62 + i * 0.034 })),
};

/** Checks the signature and reads width and height from the IHDR chunk, which PNG puts first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('bandCounts', () => {
  it('puts finals into 10-point bands, with anything from 90 (bonuses too) in 90+', () => {
    expect(bandCounts([0, 59.9, 60, 69.5, 70, 85, 90, 110, Number.NaN])).toEqual([2, 2, 1, 1, 2]);
  });
});

describe('renderMonthChart', () => {
  it('renders an 800×600 PNG with Chinese labels', () => {
    const png = renderMonthChart(sample);

    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    // Kept for a person to look at: test/artifacts is git-ignored.
    const dir = join(__dirname, '..', 'artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'chart.png'), png);
  });

  it('still renders when nobody has a final yet', () => {
    const png = renderMonthChart({ ...sample, finals: [] });

    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
  });
});

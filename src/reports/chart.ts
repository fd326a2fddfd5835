import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { SCORE_BANDS, bandCounts } from './score-bands';

export { SCORE_BANDS, bandCounts } from './score-bands';

/** The numbers behind one month's chart. */
export interface ChartInput {
  title: string;
  /** Every final; not needed when `bands` gives the counts. */
  finals?: number[];
  /** How many finals fall into each of SCORE_BANDS (a stored summary keeps these, not every final). */
  bands?: number[];
  criteria: { label: string; averageShare: number }[];
}

/** Width of the PNG in pixels. */
export const CHART_WIDTH = 800;
/** Height of the PNG in pixels. */
export const CHART_HEIGHT = 600;

const FONT_FAMILY = 'Noto Sans SC';
// The machine has no CJK font, so resvg gets this file explicitly; without it Chinese renders as boxes.
const FONT_FILE =
  require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/** Renders the month's chart as a PNG: the score distribution above, the average per criterion (as %) below. */
export function renderMonthChart(input: ChartInput): Buffer {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  try {
    chart.setOption(monthChartOption(input));
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, {
      font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
      fitTo: { mode: 'width', value: CHART_WIDTH },
    }).render();
    return png.asPng();
  } finally {
    // A live chart keeps timers around and would keep the process from exiting.
    chart.dispose();
  }
}

// Two grids stacked in one SVG: counts per band on top, criteria as horizontal bars below
// (horizontal so the Chinese labels stay readable without rotating them).
function monthChartOption({ title, finals, bands, criteria }: ChartInput): echarts.EChartsOption {
  const percents = criteria.map((c) => Math.round(c.averageShare * 1000) / 10);
  return {
    backgroundColor: '#fff',
    animation: false,
    // resvg only knows the font it was given, so every text must ask for that family.
    textStyle: { fontFamily: FONT_FAMILY },
    title: { text: title, left: 'center', top: 10 },
    grid: [
      { left: 70, right: 40, top: 70, height: 170 },
      { left: 110, right: 60, top: 320, bottom: 50 },
    ],
    xAxis: [
      {
        gridIndex: 0,
        type: 'category',
        data: SCORE_BANDS,
        name: '分数段',
        nameLocation: 'middle',
        nameGap: 28,
      },
      {
        gridIndex: 1,
        type: 'value',
        min: 0,
        max: 100,
        axisLabel: { formatter: '{value}%' },
        name: '平均得分率',
        nameLocation: 'middle',
        nameGap: 28,
      },
    ],
    yAxis: [
      {
        gridIndex: 0,
        type: 'value',
        minInterval: 1,
        name: '人数',
        nameLocation: 'middle',
        nameGap: 40,
      },
      // Inverse so the first criterion is at the top, as in the form.
      { gridIndex: 1, type: 'category', data: criteria.map((c) => c.label), inverse: true },
    ],
    series: [
      {
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: bands ?? bandCounts(finals ?? []),
        barWidth: '50%',
        label: { show: true, position: 'top' },
      },
      {
        type: 'bar',
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: percents,
        barWidth: '60%',
        barMaxWidth: 24,
        itemStyle: { color: '#91cc75' },
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };
}

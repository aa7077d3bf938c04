// echarts ships ESM type declarations; at runtime its CommonJS build (dist/echarts.js) is required.
import type * as Echarts from 'echarts/types/dist/echarts' with { 'resolution-mode': 'import' };
import type { EChartsOption } from 'echarts/types/dist/echarts' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const echarts: typeof Echarts = require('echarts');

export interface ChartSize {
  width: number;
  height: number;
  /** Prefix for the chart's SVG ids; unique within one report (e.g. "chart-byChannel"). */
  idPrefix: string;
}

/**
 * Renders an ECharts option to an SVG string on the server (no canvas, no DOM),
 * so the chart stays vector in the PDF. ECharts numbers SVG ids from
 * process-wide counters; they are renumbered per chart so the same option
 * always gives the same SVG.
 */
export function renderChartSvg(option: EChartsOption, { width, height, idPrefix }: ChartSize): string {
  if (!/^[A-Za-z][\w-]*$/.test(idPrefix)) throw new Error(`invalid chart id prefix: ${idPrefix}`);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'NanumGothic, sans-serif' }, ...option });
    return renumberSvgIds(chart.renderToSVGString(), idPrefix);
  } finally {
    chart.dispose();
  }
}

/**
 * zrender names every SVG id and class `zr<instance>-<kind><counter>` from
 * process-wide counters; map each distinct name to `${prefix}-${n}` in order
 * of appearance, which renames the references (url(#…), href) along with them.
 */
export function renumberSvgIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  return svg.replace(/\bzr\d+-[\w-]+/g, (name) => {
    let renamed = names.get(name);
    if (!renamed) names.set(name, (renamed = `${prefix}-${names.size}`));
    return renamed;
  });
}

import { useEffect, useRef } from 'react';
// Tree-shaken: echarts' core, the one chart type and the SVG renderer, nothing else.
import { init, use } from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

/**
 * A bar chart of a few named numbers, drawn as SVG. The same numbers stand in a table beside it
 * (for screen readers and for copying); the chart is named by its title.
 */
export default function KpiChart({
  title,
  bars,
  unit,
  max,
}: {
  title: string;
  bars: Array<{ label: string; value: number | null }>;
  unit: string;
  max?: number;
}) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!target.current) return;
    const chart = init(target.current, undefined, { renderer: 'svg' });
    chart.setOption({
      textStyle: { fontFamily: "'NanumGothic', 'Nanum Gothic', system-ui, sans-serif" },
      grid: { left: 48, right: 16, top: 16, bottom: 64 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}${unit}`) },
      xAxis: { type: 'category', data: bars.map((b) => b.label), axisLabel: { interval: 0, width: 90, overflow: 'break', color: '#1c2430' } },
      yAxis: { type: 'value', max, minInterval: 1, axisLabel: { formatter: `{value}${unit}`, color: '#1c2430' } },
      series: [{ type: 'bar', data: bars.map((b) => b.value), itemStyle: { color: '#2f5d8a' }, barMaxWidth: 48 }],
      animation: false,
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [bars, unit, max]);
  return <div ref={target} className="kpi-chart" role="img" aria-label={title} />;
}

/**
 * One line chart on uPlot (about 50 kB minified, canvas, no dependencies):
 * the dashboards' figures by day, or bars by queue/agent as points.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface Series { label: string; values: Array<number | null>; color: string; scale?: string }

export function Chart({ title, xs, series, categorical }: { title: string; xs: number[]; series: Series[]; categorical?: string[] }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = el.current;
    if (!host || xs.length === 0) return;
    const opts: uPlot.Options = {
      title, width: Math.max(320, host.clientWidth || 640), height: 220,
      scales: { x: { time: !categorical }, pct: { range: [0, 1] } },
      axes: [
        categorical ? { values: (_u, splits) => splits.map((v) => categorical[Math.round(v)] ?? '') } : {},
        { scale: series[0]?.scale ?? 'y' },
        ...(series.some((s) => s.scale === 'pct') && series[0]?.scale !== 'pct' ? [{ scale: 'pct', side: 1 as const, values: (_u: uPlot, s: number[]) => s.map((v) => `${Math.round(v * 100)}%`) }] : []),
      ],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.scale ?? 'y', points: { show: true } }))],
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, host);
    return () => plot.destroy();
  }, [title, xs, series, categorical]);
  return <div className="sv-chart" ref={el} role="img" aria-label={title} />;
}

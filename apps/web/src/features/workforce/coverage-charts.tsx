import { useMemo } from 'react';
import { useI18n } from '../../lib/i18n.ts';
import { EChart, type TChartOption } from '../../ui/echart.tsx';
import { dayClockOf } from './workforce-api.ts';

type TLine = { name: string; values: (number | null)[]; isDashed?: boolean };
type TPeak = { start: string; end: string };

/** Peak windows shaded on a category axis of interval starts (one plan day or several). */
function peakAreas(labels: string[], peaks: readonly TPeak[]) {
  const areas: [{ xAxis: string }, { xAxis: string }][] = [];
  const days = [...new Set(labels.map((l) => l.slice(0, 5)))];
  for (const day of days) {
    for (const p of peaks) {
      const inside = labels.filter((l) => {
        const clock = l.slice(6);
        return l.startsWith(day) && clock >= p.start && clock < (p.end === '24:00' ? '24' : p.end);
      });
      const first = inside[0];
      const last = inside[inside.length - 1];
      if (first && last) areas.push([{ xAxis: first }, { xAxis: last }]);
    }
  }
  return areas;
}

/** Forecast (and actual/reforecast) volume per interval as lines, peak windows shaded. */
export function VolumeChart({
  starts,
  lines,
  peaks,
}: {
  starts: string[];
  lines: TLine[];
  peaks: readonly TPeak[];
}) {
  const { t } = useI18n();
  const option = useMemo<TChartOption>(() => {
    const labels = starts.map(dayClockOf);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', name: t('wf.chart.volume') },
      series: lines.map((line, i) => ({
        type: 'line',
        name: line.name,
        data: line.values,
        smooth: true,
        showSymbol: false,
        lineStyle: line.isDashed ? { type: 'dashed' } : undefined,
        ...(i === 0
          ? {
              markArea: {
                silent: true,
                itemStyle: { color: 'rgba(255, 77, 79, 0.08)' },
                data: peakAreas(labels, peaks),
              },
            }
          : {}),
      })),
    };
  }, [starts, lines, peaks, t]);
  return <EChart option={option} testId="volume-chart" />;
}

/** Requirement vs scheduled coverage per interval as bars. */
export function CoverageChart({
  starts,
  required,
  scheduled,
  requiredLabel,
  scheduledLabel,
}: {
  starts: string[];
  required: number[];
  scheduled: number[];
  requiredLabel: string;
  scheduledLabel: string;
}) {
  const { t } = useI18n();
  const option = useMemo<TChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: starts.map(dayClockOf) },
      yAxis: { type: 'value', name: t('wf.chart.agents') },
      series: [
        { type: 'bar', name: requiredLabel, data: required, itemStyle: { color: '#fa8c16' } },
        { type: 'bar', name: scheduledLabel, data: scheduled, itemStyle: { color: '#1677ff' } },
      ],
    }),
    [starts, required, scheduled, requiredLabel, scheduledLabel, t],
  );
  return <EChart option={option} testId="coverage-chart" />;
}

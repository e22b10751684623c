import type { TBusinessHours, TPeriod } from '@peakdesk/contracts';

/**
 * Business hours as editable text, one line per weekday ("09:00-12:00, 13:30-18:00"), a line of
 * holidays ("2025-10-01, 2025-10-02") and one line per special day ("2025-11-11 00:00-24:00").
 * The server validates the result and names the field on error.
 */
export type THoursText = { weekly: string[]; holidays: string; specialDays: string };

const periodsText = (ps: readonly TPeriod[]) => ps.map((p) => `${p.start}-${p.end}`).join(', ');
const parsePeriods = (s: string): TPeriod[] =>
  s
    .split(/[,，;；\s]+/)
    .filter(Boolean)
    .map((chunk) => {
      const [start = '', end = ''] = chunk.split('-');
      return { start, end };
    });

export function hoursToText(h: TBusinessHours | null): THoursText {
  const weekly = [0, 1, 2, 3, 4, 5, 6].map((d) => {
    const key = String(d) as keyof TBusinessHours['weekly'];
    return periodsText(h?.weekly[key] ?? []);
  });
  return {
    weekly,
    holidays: (h?.holidays ?? []).join(', '),
    specialDays: (h?.specialDays ?? []).map((s) => `${s.date} ${periodsText(s.periods)}`).join('\n'),
  };
}

export function textToHours(t: THoursText): TBusinessHours {
  const weekly: TBusinessHours['weekly'] = {};
  t.weekly.forEach((line, d) => {
    const periods = parsePeriods(line ?? '');
    if (periods.length > 0) weekly[String(d) as keyof TBusinessHours['weekly']] = periods;
  });
  return {
    weekly,
    holidays: t.holidays.split(/[,，\s]+/).filter(Boolean),
    specialDays: t.specialDays
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [date = '', ...rest] = l.split(/\s+/);
        return { date, periods: parsePeriods(rest.join(' ')) };
      }),
  };
}

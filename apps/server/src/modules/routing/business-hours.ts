import type { TBusinessHours, TPeriod } from '@peakdesk/contracts';

/** Local date (YYYY-MM-DD), weekday (0 = Sunday) and minute of day of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): { date: string; weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: weekdays.indexOf(get('weekday')),
    minute: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

const minuteOf = (clock: string) => {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
};
const inPeriods = (periods: readonly TPeriod[], minute: number) =>
  periods.some((p) => minute >= minuteOf(p.start) && minute < minuteOf(p.end));

/**
 * Whether a group is open at an instant. A special day (e.g. 双11 00:00–24:00) replaces the weekly
 * periods of its date; a holiday closes the whole day; null hours mean always open.
 */
export function isOpenAt(hours: TBusinessHours | null, timeZone: string, at: Date): boolean {
  if (!hours) return true;
  const t = localTime(at, timeZone);
  const special = hours.specialDays.find((d) => d.date === t.date);
  if (special) return inPeriods(special.periods, t.minute);
  if (hours.holidays.includes(t.date)) return false;
  const day = String(t.weekday) as keyof TBusinessHours['weekly'];
  return inPeriods(hours.weekly[day] ?? [], t.minute);
}

const WEEKDAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/**
 * The weekly hours in words for the customer (zh-CN), days with the same periods joined:
 * "周一至周五 09:00-12:00、13:30-18:00；周六 10:00-16:00". null when there are none to show.
 */
export function describeWeeklyHours(hours: TBusinessHours | null): string | null {
  if (!hours) return null;
  const order = [1, 2, 3, 4, 5, 6, 0];
  const periodsOf = (d: number) =>
    (hours.weekly[String(d) as keyof TBusinessHours['weekly']] ?? [])
      .map((p) => `${p.start}-${p.end}`)
      .join('、');
  const runs: { days: number[]; text: string }[] = [];
  for (const d of order) {
    const text = periodsOf(d);
    const last = runs.at(-1);
    if (last && last.text === text) last.days.push(d);
    else runs.push({ days: [d], text });
  }
  const open = runs.filter((r) => r.text !== '');
  if (open.length === 0) return null;
  if (open.length === 1 && open[0]!.days.length === 7) return `每天 ${open[0]!.text}`;
  const days = (ds: number[]) =>
    ds.length >= 3
      ? `${WEEKDAY_ZH[ds[0]!]}至${WEEKDAY_ZH[ds.at(-1)!]}`
      : ds.map((d) => WEEKDAY_ZH[d]).join('、');
  return open.map((r) => `${days(r.days)} ${r.text}`).join('；');
}

import type { TPlanSettings, TShiftTypeSetting } from '@peakdesk/contracts';
import { Button, Card, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useI18n } from '../../lib/i18n.ts';
import { SettingsField } from './settings-field.tsx';

type TShifts = TPlanSettings['shifts'];
type TPeakWindow = TPlanSettings['peakWindows'][number];
type TBreak = TShiftTypeSetting['breaks'][number];

const MAX_SHIFT_TYPES = 12;
const MAX_BREAKS = 4;
const MAX_PEAKS = 12;

/** "07:30" + 240 min → "11:30" (next-day times wrap); null when the clock is not HH:MM. */
function clockPlus(clock: string, minutes: number): string | null {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  if (!match) return null;
  const total = (Number(match[1]) * 60 + Number(match[2]) + minutes) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * Shift types (name, full-/part-time, length, start window and step, breaks placed in a window after
 * the start, cost, max count) and the plan's headcount caps. Every input reports its settings path, so
 * an API error naming e.g. `settings.shifts.shiftTypes.1.breaks.0.latestAfterStartMinutes` is shown
 * under that input. `onChange` gets the edited path, or undefined when types or breaks were added or
 * removed (indices moved).
 */
export function ShiftSettingsEditor({
  shifts,
  intervalMinutes,
  onChange,
}: {
  shifts: TShifts;
  intervalMinutes: number;
  onChange: (shifts: TShifts, path?: string) => void;
}) {
  const { t } = useI18n();
  const types = shifts.shiftTypes;
  const setType = (index: number, patch: Partial<TShiftTypeSetting>, field?: string) =>
    onChange(
      { ...shifts, shiftTypes: types.map((s, i) => (i === index ? { ...s, ...patch } : s)) },
      field === undefined ? undefined : `shifts.shiftTypes.${index}.${field}`,
    );
  const setBreak = (index: number, b: number, patch: Partial<TBreak>, field: keyof TBreak) => {
    const type = types[index];
    if (!type) return;
    setType(
      index,
      { breaks: type.breaks.map((x, j) => (j === b ? { ...x, ...patch } : x)) },
      `breaks.${b}.${field}`,
    );
  };
  const minutes = t('wf.shift.minutes');

  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }} data-testid="shift-types">
      {types.map((type, i) => {
        const at = `shifts.shiftTypes.${i}`;
        return (
          <Card
            // biome-ignore lint/suspicious/noArrayIndexKey: names are edited in place; the index is the settings path
            key={i}
            size="small"
            data-testid={`shift-type-${i}`}
            title={type.name || `#${i + 1}`}
            extra={
              <Button
                size="small"
                danger
                disabled={types.length <= 1}
                data-testid={`shift-${i}-remove`}
                onClick={() => onChange({ ...shifts, shiftTypes: types.filter((_, j) => j !== i) })}
              >
                {t('wf.shift.remove')}
              </Button>
            }
          >
            <Space wrap size="middle" align="start">
              <SettingsField path={`${at}.name`} label={t('common.name')} width={130}>
                <Input
                  value={type.name}
                  data-testid={`shift-${i}-name`}
                  onChange={(e) => setType(i, { name: e.target.value }, 'name')}
                />
              </SettingsField>
              <SettingsField path={`${at}.isPartTime`} label={t('wf.shift.kind')} width={100}>
                <Select
                  value={type.isPartTime ? 'part' : 'full'}
                  data-testid={`shift-${i}-kind`}
                  onChange={(v) => setType(i, { isPartTime: v === 'part' }, 'isPartTime')}
                  options={[
                    { value: 'full', label: t('wf.shift.fullTime') },
                    { value: 'part', label: t('wf.shift.partTime') },
                  ]}
                />
              </SettingsField>
              <SettingsField path={`${at}.lengthMinutes`} label={t('wf.shift.length')} width={120}>
                <InputNumber
                  min={intervalMinutes}
                  max={1440}
                  step={intervalMinutes}
                  value={type.lengthMinutes}
                  data-testid={`shift-${i}-length`}
                  onChange={(v) => setType(i, { lengthMinutes: v ?? type.lengthMinutes }, 'lengthMinutes')}
                />
              </SettingsField>
              <SettingsField path={`${at}.startEarliest`} label={t('wf.shift.startEarliest')} width={100}>
                <Input
                  value={type.startEarliest}
                  placeholder="HH:MM"
                  data-testid={`shift-${i}-startEarliest`}
                  onChange={(e) => setType(i, { startEarliest: e.target.value }, 'startEarliest')}
                />
              </SettingsField>
              <SettingsField path={`${at}.startLatest`} label={t('wf.shift.startLatest')} width={100}>
                <Input
                  value={type.startLatest}
                  placeholder="HH:MM"
                  data-testid={`shift-${i}-startLatest`}
                  onChange={(e) => setType(i, { startLatest: e.target.value }, 'startLatest')}
                />
              </SettingsField>
              <SettingsField path={`${at}.startStepMinutes`} label={t('wf.shift.step')} width={110}>
                <InputNumber
                  min={intervalMinutes}
                  step={intervalMinutes}
                  value={type.startStepMinutes}
                  data-testid={`shift-${i}-step`}
                  onChange={(v) =>
                    setType(i, { startStepMinutes: v ?? type.startStepMinutes }, 'startStepMinutes')
                  }
                />
              </SettingsField>
              <SettingsField path={`${at}.cost`} label={t('wf.shift.cost')} width={100}>
                <InputNumber
                  min={0.1}
                  step={0.5}
                  value={type.cost}
                  data-testid={`shift-${i}-cost`}
                  onChange={(v) => setType(i, { cost: v ?? type.cost }, 'cost')}
                />
              </SettingsField>
              <SettingsField path={`${at}.maxCount`} label={t('wf.shift.maxCount')} width={110}>
                <InputNumber
                  min={0}
                  precision={0}
                  value={type.maxCount ?? null}
                  placeholder={t('wf.shift.noCap')}
                  data-testid={`shift-${i}-maxCount`}
                  onChange={(v) => setType(i, { maxCount: v ?? undefined }, 'maxCount')}
                />
              </SettingsField>
            </Space>
            <div style={{ margin: '4px 0' }}>
              <Typography.Text strong>{t('wf.shift.breaks')}</Typography.Text>
              {type.breaks.length === 0 ? (
                <Typography.Text type="secondary"> {t('wf.shift.noBreaks')}</Typography.Text>
              ) : null}
            </div>
            {type.breaks.map((rule, b) => {
              const bt = `${at}.breaks.${b}`;
              const from = clockPlus(type.startEarliest, rule.earliestAfterStartMinutes);
              const to = clockPlus(type.startLatest, rule.latestAfterStartMinutes);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: breaks have no identity; the index is the settings path
                <Space key={b} wrap size="middle" align="start" data-testid={`shift-${i}-break-${b}`}>
                  <SettingsField path={`${bt}.lengthMinutes`} label={t('wf.shift.breakLength')} width={110}>
                    <InputNumber
                      min={intervalMinutes}
                      step={intervalMinutes}
                      value={rule.lengthMinutes}
                      data-testid={`shift-${i}-break-${b}-length`}
                      onChange={(v) =>
                        setBreak(i, b, { lengthMinutes: v ?? rule.lengthMinutes }, 'lengthMinutes')
                      }
                    />
                  </SettingsField>
                  <SettingsField
                    path={`${bt}.earliestAfterStartMinutes`}
                    label={t('wf.shift.breakEarliest')}
                    width={150}
                  >
                    <InputNumber
                      min={0}
                      step={intervalMinutes}
                      value={rule.earliestAfterStartMinutes}
                      data-testid={`shift-${i}-break-${b}-earliest`}
                      onChange={(v) =>
                        setBreak(
                          i,
                          b,
                          { earliestAfterStartMinutes: v ?? rule.earliestAfterStartMinutes },
                          'earliestAfterStartMinutes',
                        )
                      }
                    />
                  </SettingsField>
                  <SettingsField
                    path={`${bt}.latestAfterStartMinutes`}
                    label={t('wf.shift.breakLatest')}
                    width={150}
                  >
                    <InputNumber
                      min={0}
                      step={intervalMinutes}
                      value={rule.latestAfterStartMinutes}
                      data-testid={`shift-${i}-break-${b}-latest`}
                      onChange={(v) =>
                        setBreak(
                          i,
                          b,
                          { latestAfterStartMinutes: v ?? rule.latestAfterStartMinutes },
                          'latestAfterStartMinutes',
                        )
                      }
                    />
                  </SettingsField>
                  <Space direction="vertical" size={0} style={{ paddingTop: 30 }}>
                    <Typography.Text type="secondary">
                      {minutes}
                      {from && to ? ` · ${t('wf.shift.breakClock', { from, to })}` : ''}
                    </Typography.Text>
                  </Space>
                  <Button
                    size="small"
                    style={{ marginTop: 30 }}
                    data-testid={`shift-${i}-break-${b}-remove`}
                    onClick={() => setType(i, { breaks: type.breaks.filter((_, j) => j !== b) })}
                  >
                    {t('common.delete')}
                  </Button>
                </Space>
              );
            })}
            <div>
              <Button
                size="small"
                type="dashed"
                disabled={type.breaks.length >= MAX_BREAKS}
                data-testid={`shift-${i}-add-break`}
                onClick={() => {
                  const last = type.breaks[type.breaks.length - 1];
                  const earliest = last ? last.latestAfterStartMinutes + last.lengthMinutes : 120;
                  setType(i, {
                    breaks: [
                      ...type.breaks,
                      {
                        lengthMinutes: intervalMinutes,
                        earliestAfterStartMinutes: earliest,
                        latestAfterStartMinutes: earliest + 60,
                      },
                    ],
                  });
                }}
              >
                {t('wf.shift.addBreak')}
              </Button>
            </div>
          </Card>
        );
      })}
      <Space wrap size="middle" align="end">
        <Button
          type="dashed"
          disabled={types.length >= MAX_SHIFT_TYPES}
          data-testid="shift-add"
          onClick={() =>
            onChange({
              ...shifts,
              shiftTypes: [
                ...types,
                {
                  name: `${t('wf.shift.newName')}${types.length + 1}`,
                  lengthMinutes: 480,
                  startEarliest: '09:00',
                  startLatest: '09:00',
                  startStepMinutes: 60,
                  breaks: [],
                  cost: 8,
                  isPartTime: false,
                },
              ],
            })
          }
        >
          {t('wf.shift.add')}
        </Button>
        <SettingsField path="shifts.maxPartTimeShare" label={t('wf.caps.partTimeShare')} width={170}>
          <InputNumber
            min={0}
            max={100}
            precision={0}
            placeholder={t('wf.shift.noCap')}
            value={shifts.maxPartTimeShare === undefined ? null : Math.round(shifts.maxPartTimeShare * 100)}
            data-testid="shifts-maxPartTimeShare"
            onChange={(v) =>
              onChange(
                { ...shifts, maxPartTimeShare: v === null ? undefined : v / 100 },
                'shifts.maxPartTimeShare',
              )
            }
          />
        </SettingsField>
        <SettingsField path="shifts.maxShiftsPerDay" label={t('wf.caps.maxShiftsPerDay')} width={170}>
          <InputNumber
            min={1}
            precision={0}
            placeholder={t('wf.shift.noCap')}
            value={shifts.maxShiftsPerDay ?? null}
            data-testid="shifts-maxShiftsPerDay"
            onChange={(v) =>
              onChange({ ...shifts, maxShiftsPerDay: v ?? undefined }, 'shifts.maxShiftsPerDay')
            }
          />
        </SettingsField>
      </Space>
    </Space>
  );
}

/**
 * The promotion-day peak windows the plan's charts shade. `defaults` (the template's: 00–02, 08–10,
 * 15–17, 20–24) are offered as a reset.
 */
export function PeakWindowsEditor({
  windows,
  defaults,
  onChange,
}: {
  windows: readonly TPeakWindow[];
  defaults: readonly TPeakWindow[] | null;
  onChange: (windows: TPeakWindow[], path?: string) => void;
}) {
  const { t } = useI18n();
  const set = (index: number, patch: Partial<TPeakWindow>, field: keyof TPeakWindow) =>
    onChange(
      windows.map((w, i) => (i === index ? { ...w, ...patch } : w)),
      `peakWindows.${index}.${field}`,
    );
  return (
    <Space direction="vertical" size="small" data-testid="peak-windows">
      <Typography.Text type="secondary">{t('wf.peaks.help')}</Typography.Text>
      <Space wrap size="large" align="start">
        {windows.map((w, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: windows have no identity; the index is the settings path
          <Space key={i} size="small" align="start" data-testid={`peak-${i}`}>
            <SettingsField path={`peakWindows.${i}.start`} label={t('wf.peaks.start')} width={90}>
              <Input
                value={w.start}
                placeholder="HH:MM"
                data-testid={`peak-${i}-start`}
                onChange={(e) => set(i, { start: e.target.value }, 'start')}
              />
            </SettingsField>
            <SettingsField path={`peakWindows.${i}.end`} label={t('wf.peaks.end')} width={90}>
              <Input
                value={w.end}
                placeholder="HH:MM"
                data-testid={`peak-${i}-end`}
                onChange={(e) => set(i, { end: e.target.value }, 'end')}
              />
            </SettingsField>
            <Button
              size="small"
              style={{ marginTop: 30 }}
              data-testid={`peak-${i}-remove`}
              onClick={() => onChange(windows.filter((_, j) => j !== i))}
            >
              {t('common.delete')}
            </Button>
          </Space>
        ))}
      </Space>
      <Space>
        <Button
          type="dashed"
          size="small"
          disabled={windows.length >= MAX_PEAKS}
          data-testid="peak-add"
          onClick={() => onChange([...windows, { start: '12:00', end: '13:00' }])}
        >
          {t('wf.peaks.add')}
        </Button>
        {defaults ? (
          <Button
            size="small"
            data-testid="peak-reset"
            onClick={() => onChange(defaults.map((w) => ({ ...w })))}
          >
            {t('wf.peaks.reset')}
          </Button>
        ) : null}
      </Space>
    </Space>
  );
}

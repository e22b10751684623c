import type { TPlanVersion } from '@peakdesk/contracts';
import { addEscapedRows } from '@peakdesk/tabular';
import ExcelJS from 'exceljs';

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: string[], rows: unknown[][]) {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = columns.map((header) => ({ header, key: header, width: Math.max(12, header.length + 4) }));
  sheet.getRow(1).font = { bold: true };
  addEscapedRows(sheet, rows);
}

/** One workbook per plan version: forecast, staffing (with coverage), schedule and roster sheets. */
export async function planToXlsx(planName: string, v: TPlanVersion): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'PeakDesk';
  workbook.title = `${planName} v${v.version}`;
  addSheet(
    workbook,
    'forecast',
    ['interval_start', 'forecast'],
    v.intervals.map((i) => [i.start, i.forecast]),
  );
  addSheet(
    workbook,
    'staffing',
    [
      'interval_start',
      'forecast',
      'agents',
      'required',
      'scheduled',
      'service_level',
      'asa_seconds',
      'occupancy',
    ],
    v.intervals.map((i) => [
      i.start,
      i.forecast,
      i.agents,
      i.required,
      i.scheduled,
      i.serviceLevel,
      i.asa === null ? null : Math.round(i.asa * 10) / 10,
      i.occupancy,
    ]),
  );
  addSheet(
    workbook,
    'schedule',
    ['type', 'start', 'end', 'breaks', 'count'],
    v.schedule.shifts.map((s) => [
      s.type,
      s.start,
      s.end,
      s.breaks.map((b) => `${b.start.slice(11, 16)}-${b.end.slice(11, 16)}`).join(' '),
      s.count,
    ]),
  );
  addSheet(
    workbook,
    'roster',
    ['agent', 'type', 'start', 'end'],
    [
      ...v.roster.assignments.map((a) => [a.name, a.type, a.start, a.end]),
      ...v.roster.unassigned.map((u) => ['(unassigned)', u.type, u.start, u.end]),
    ],
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export {
  assertUniqueStarts,
  type CsvRow,
  type CsvTable,
  parseCsv,
  readNumberCell,
  readTimedCsv,
  readTimestampCell,
  type TimedSeriesFile,
  type TimedValue,
} from './csv.ts';
export { DEFAULT_PROMOTION_RATIO, intervalProfile, ORDINARY_HOURLY, PROMOTION_HOURLY } from './day-shapes.ts';
export {
  type ErlangAInput,
  type ErlangCInput,
  erlangAMetrics,
  erlangB,
  erlangC,
  erlangCMetrics,
  type QueueMetrics,
} from './erlang.ts';
export {
  type BacktestOptions,
  type BacktestScore,
  backtestForecast,
  chooseForecastMethod,
  FORECAST_METHODS,
  type ForecastMethod,
  type ForecastOptions,
  type ForecastResult,
  forecastFromSeed,
  forecastSeries,
  type PromotionBasis,
  type SeedReference,
  seedReference,
} from './forecast.ts';
export {
  distributeDailyTotal,
  forecastPromotionDayTotal,
  type PromotionDayTotalInput,
} from './promotion-formula.ts';
export {
  buildRoster,
  type RosterAgent,
  type RosterAssignment,
  type RosterGap,
  type RosterGapWindow,
  type RosterOptions,
  type RosterResult,
  type RosterShift,
} from './roster.ts';
export {
  type CoverageRow,
  type Requirement,
  type ScheduledShift,
  type ScheduleRequest,
  type ScheduleResult,
  type ScheduleStatus,
  solveSchedule,
} from './schedule-solver.ts';
export { aggregateToIntervals, type CountPoint, type IntervalSeries } from './series.ts';
export {
  type BreakRule,
  breakPlacements,
  expandShiftCandidates,
  isOnIntervalGrid,
  type ShiftCandidate,
  type ShiftDefinitions,
  type ShiftType,
  validateShiftDefinitions,
} from './shift-model.ts';
export {
  computeStaffing,
  computeStaffingPlan,
  concurrencyFactor,
  DEFAULT_CAPACITY_PER_AGENT_HOUR,
  DEFAULT_CONCURRENCY_FACTORS,
  positionsFor,
  queueMetricsFor,
  STAFFING_MODELS,
  type StaffingModel,
  type StaffingRequest,
  type StaffingResult,
} from './staffing.ts';
export { generateSyntheticHistory, type SyntheticHistoryOptions } from './synthetic-history.ts';
export {
  formatIsoTimestamp,
  type ParsedTimestamp,
  parseClockTime,
  parseDurationMinutes,
  parseIsoTimestamp,
  toWallClock,
  type WallClockMs,
} from './time.ts';
export { type InputLocation, WorkforceInputError } from './workforce-error.ts';

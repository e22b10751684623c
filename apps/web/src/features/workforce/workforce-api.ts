import {
  type TCreatePlanRequest,
  type TIntradayView,
  type TMyShift,
  type TPlan,
  type TPlanComparison,
  type TPlanDetail,
  type TPlanVersion,
  type TPromotionDayTemplate,
  type TSavePlanVersionRequest,
  type TSkillGroup,
  type TStore,
  type TVolumeHistory,
  ZIntradayView,
  ZMyShift,
  ZPlan,
  ZPlanComparison,
  ZPlanDetail,
  ZPlanVersion,
  ZPromotionDayTemplate,
  ZSkillGroup,
  ZStore,
  ZVolumeHistory,
} from '@peakdesk/contracts';
import { api, withQuery } from '../../lib/api-client.ts';

const ZCreatedPlan = ZPlanDetail.extend({ version: ZPlanVersion });
const planPath = (id: string) => `/api/workforce/plans/${encodeURIComponent(id)}`;

export const workforceApi = {
  listHistories: (): Promise<TVolumeHistory[]> => api.get('/api/workforce/histories', ZVolumeHistory.array()),
  importHistory: (file: File): Promise<TVolumeHistory> => {
    const format = file.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
    const type =
      format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
    return api.upload(
      withQuery('/api/workforce/histories/import', { format, filename: file.name }),
      new Blob([file], { type }),
      ZVolumeHistory,
    );
  },
  template: (date?: string): Promise<TPromotionDayTemplate> =>
    api.get(withQuery('/api/workforce/templates/promotion-day', { date }), ZPromotionDayTemplate),
  listPlans: (): Promise<TPlan[]> => api.get('/api/workforce/plans', ZPlan.array()),
  createPlan: (body: TCreatePlanRequest): Promise<TPlanDetail & { version: TPlanVersion }> =>
    api.post('/api/workforce/plans', body, ZCreatedPlan),
  getPlan: (id: string): Promise<TPlanDetail> => api.get(planPath(id), ZPlanDetail),
  getVersion: (id: string, version: number): Promise<TPlanVersion> =>
    api.get(`${planPath(id)}/versions/${version}`, ZPlanVersion),
  saveVersion: (id: string, body: TSavePlanVersionRequest): Promise<TPlanVersion> =>
    api.post(`${planPath(id)}/versions`, body, ZPlanVersion),
  publish: (id: string, version: number): Promise<TPlanDetail> =>
    api.post(`${planPath(id)}/versions/${version}/publish`, {}, ZPlanDetail),
  compare: (id: string, a: number, b: number): Promise<TPlanComparison> =>
    api.get(withQuery(`${planPath(id)}/compare`, { a, b }), ZPlanComparison),
  exportUrl: (id: string, version: number) => `${planPath(id)}/versions/${version}/export`,
  intraday: (id: string, query: { date?: string; version?: number }): Promise<TIntradayView> =>
    api.get(withQuery(`${planPath(id)}/intraday`, query), ZIntradayView),
  myShifts: (): Promise<TMyShift[]> => api.get('/api/workforce/my-shifts', ZMyShift.array()),
  listStores: (): Promise<TStore[]> => api.get('/api/stores', ZStore.array()),
  listGroups: (): Promise<TSkillGroup[]> => api.get('/api/groups', ZSkillGroup.array()),
};

/** `2025-11-11T08:30:00+08:00` → `08:30` (plan times are already in the merchant's clock). */
export const clockOf = (iso: string) => iso.slice(11, 16);
/** `2025-11-11T08:30:00+08:00` → `11-11 08:30`. */
export const dayClockOf = (iso: string) => `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;

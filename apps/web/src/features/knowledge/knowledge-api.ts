import {
  type TBotSettings,
  type TBotTryResult,
  type TCreateFaqBody,
  type TFaq,
  type TFaqFileFormat,
  type TFaqImportResult,
  type TUnansweredQuestion,
  type TUpdateBotSettingsRequest,
  type TUpdateFaqRequest,
  ZBotSettings,
  ZBotTryResult,
  ZFaq,
  ZFaqImportResult,
  ZOk,
  ZUnansweredQuestion,
} from '@peakdesk/contracts';
import { api, withQuery } from '../../lib/api-client.ts';

const id = encodeURIComponent;

export const knowledgeApi = {
  listFaqs: (q: string): Promise<TFaq[]> => api.get(withQuery('/api/faqs', { q }), ZFaq.array()),
  createFaq: (req: TCreateFaqBody): Promise<TFaq> => api.post('/api/faqs', req, ZFaq),
  updateFaq: (faqId: string, req: TUpdateFaqRequest): Promise<TFaq> =>
    api.patch(`/api/faqs/${id(faqId)}`, req, ZFaq),
  deleteFaq: (faqId: string): Promise<void> => api.fire(`/api/faqs/${id(faqId)}`, 'DELETE'),
  /** `storeId` null: entries for every store (organisation-wide admins only). */
  importFile: (file: File, storeId: string | null): Promise<TFaqImportResult> => {
    const format: TFaqFileFormat = file.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
    const type =
      format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
    return api.upload(
      withQuery('/api/faqs/import', { format, filename: file.name, storeId }),
      new Blob([file], { type }),
      ZFaqImportResult,
    );
  },
  exportUrl: (format: TFaqFileFormat) => withQuery('/api/faqs/export', { format }),
  tryBot: (text: string, storeId: string | undefined): Promise<TBotTryResult> =>
    api.post('/api/bot/try', { text, storeId }, ZBotTryResult),
  settings: (storeId: string): Promise<TBotSettings> =>
    api.get(`/api/stores/${id(storeId)}/bot-settings`, ZBotSettings),
  saveSettings: (storeId: string, req: TUpdateBotSettingsRequest): Promise<TBotSettings> =>
    api.put(`/api/stores/${id(storeId)}/bot-settings`, req, ZBotSettings),
  unanswered: (): Promise<TUnansweredQuestion[]> =>
    api.get('/api/bot/unanswered', ZUnansweredQuestion.array()),
  closeUnanswered: (questionId: string, status: 'resolved' | 'dismissed') =>
    api.post(`/api/bot/unanswered/${id(questionId)}/close`, { status }, ZOk),
};

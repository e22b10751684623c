import { type TBotContext, type TSuggestions, ZBotContext, ZSuggestions } from '@peakdesk/contracts';
import { api } from '../../lib/api-client.ts';

const id = encodeURIComponent;

export const assistApi = {
  suggestions: (conversationId: string): Promise<TSuggestions> =>
    api.get(`/api/conversations/${id(conversationId)}/suggestions`, ZSuggestions),
  botContext: (conversationId: string): Promise<TBotContext> =>
    api.get(`/api/conversations/${id(conversationId)}/bot-context`, ZBotContext),
};

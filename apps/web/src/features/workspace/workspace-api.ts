import {
  type TConversation,
  type TCustomerProfile,
  type THistoryPage,
  type TMessage,
  type TTemplateVariables,
  ZAttachment,
  ZConversation,
  ZCustomerProfile,
  ZHistoryPage,
  ZMessage,
} from '@peakdesk/contracts';
import { api, withQuery } from '../../lib/api-client.ts';

export type TConversationScope = 'mine' | 'queued' | 'all';
const ZConversationList = ZConversation.array();
const id = encodeURIComponent;

// The variables endpoint has no contract schema: every string-valued map is a valid set of variables.
const variablesParser = {
  parse(data: unknown): TTemplateVariables {
    const vars: TTemplateVariables = {};
    if (typeof data === 'object' && data !== null) {
      for (const [key, value] of Object.entries(data)) {
        if (typeof value === 'string') vars[key] = value;
      }
    }
    return vars;
  },
};

export const workspaceApi = {
  listConversations: (scope: TConversationScope): Promise<TConversation[]> =>
    api.get(withQuery('/api/conversations', { scope }), ZConversationList),
  getConversation: (conversationId: string): Promise<TConversation> =>
    api.get(`/api/conversations/${id(conversationId)}`, ZConversation),
  listMessages: (
    conversationId: string,
    query: { beforeSeq?: number; afterSeq?: number; limit?: number },
  ): Promise<THistoryPage> =>
    api.get(withQuery(`/api/conversations/${id(conversationId)}/messages`, query), ZHistoryPage),
  sendText: (conversationId: string, clientId: string, body: string): Promise<TMessage> =>
    api.post(
      `/api/conversations/${id(conversationId)}/messages`,
      { conversationId, clientId, type: 'text', body },
      ZMessage,
    ),
  sendImage: (conversationId: string, clientId: string, attachmentId: string): Promise<TMessage> =>
    api.post(
      `/api/conversations/${id(conversationId)}/messages`,
      { conversationId, clientId, type: 'image', attachmentId, body: '' },
      ZMessage,
    ),
  markRead: (conversationId: string, seq: number): Promise<void> =>
    api.fire(`/api/conversations/${id(conversationId)}/read`, 'POST', { seq }),
  resolve: (conversationId: string): Promise<TConversation> =>
    api.post(`/api/conversations/${id(conversationId)}/resolve`, {}, ZConversation),
  uploadImage: (conversationId: string, file: Blob) =>
    api.upload(`/api/conversations/${id(conversationId)}/attachments`, file, ZAttachment),
  variables: (conversationId: string): Promise<TTemplateVariables> =>
    api.get(`/api/conversations/${id(conversationId)}/variables`, variablesParser),
  customer: (customerId: string): Promise<TCustomerProfile> =>
    api.get(`/api/customers/${id(customerId)}`, ZCustomerProfile),
};

/** Idempotency key for a send; the server stores a message once per client id. */
export function newClientId(): string {
  // randomUUID only exists in secure contexts; self-hosted installs are often plain http on a LAN address.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function attachmentUrl(attachmentId: string): string {
  return `/api/attachments/${id(attachmentId)}`;
}

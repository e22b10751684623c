import {
  type TConversation,
  type TCreateRoutingRuleRequest,
  type TGroupRouting,
  type THistoryPage,
  type TLeaveMessage,
  type TRoutingRule,
  type TTransferRequest,
  type TUpdateGroupRoutingRequest,
  type TUpdateRoutingRuleRequest,
  type TWallSnapshot,
  ZConversation,
  ZGroupRouting,
  ZHistoryPage,
  ZLeaveMessage,
  ZRoutingRule,
  ZWallSnapshot,
} from '@peakdesk/contracts';
import { api } from '../../lib/api-client.ts';

const id = encodeURIComponent;

export const routingApi = {
  listGroups: (): Promise<TGroupRouting[]> => api.get('/api/routing/groups', ZGroupRouting.array()),
  updateGroup: (groupId: string, body: TUpdateGroupRoutingRequest): Promise<TGroupRouting> =>
    api.patch(`/api/routing/groups/${id(groupId)}`, body, ZGroupRouting),
  listRules: (): Promise<TRoutingRule[]> => api.get('/api/routing/rules', ZRoutingRule.array()),
  createRule: (body: TCreateRoutingRuleRequest): Promise<TRoutingRule> =>
    api.post('/api/routing/rules', body, ZRoutingRule),
  updateRule: (ruleId: string, body: TUpdateRoutingRuleRequest): Promise<TRoutingRule> =>
    api.patch(`/api/routing/rules/${id(ruleId)}`, body, ZRoutingRule),
  deleteRule: (ruleId: string): Promise<void> => api.fire(`/api/routing/rules/${id(ruleId)}`, 'DELETE'),
  wall: (orgId?: string | null): Promise<TWallSnapshot> =>
    api.get(
      orgId ? `/api/routing/wall?orgId=${encodeURIComponent(orgId)}` : '/api/routing/wall',
      ZWallSnapshot,
    ),
  transfer: (conversationId: string, body: TTransferRequest): Promise<TConversation> =>
    api.post(`/api/conversations/${id(conversationId)}/transfer`, body, ZConversation),
  takeOver: (conversationId: string): Promise<TConversation> =>
    api.post(`/api/conversations/${id(conversationId)}/take-over`, {}, ZConversation),
  listLeaveMessages: (status?: 'open' | 'handled'): Promise<TLeaveMessage[]> =>
    api.get(
      status ? `/api/routing/leave-messages?status=${status}` : '/api/routing/leave-messages',
      ZLeaveMessage.array(),
    ),
  updateLeaveMessage: (leaveMessageId: string, status: 'open' | 'handled'): Promise<TLeaveMessage> =>
    api.patch(`/api/routing/leave-messages/${id(leaveMessageId)}`, { status }, ZLeaveMessage),
  transcript: (conversationId: string): Promise<THistoryPage> =>
    api.get(`/api/conversations/${id(conversationId)}/messages?limit=100`, ZHistoryPage),
};

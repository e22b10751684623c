import {
  type TAuditEntry,
  type TCreateUserRequest,
  type TDeadLetter,
  type TDeadLetterBacklog,
  type TSkillGroup,
  type TStore,
  type TUpdateUserRequest,
  type TUser,
  ZApiToken,
  ZAuditEntry,
  ZCreatedToken,
  ZDeadLetterBacklog,
  ZDeadLetterList,
  ZSkillGroup,
  ZStore,
  ZStoreWithSecret,
  ZUser,
} from '@peakdesk/contracts';
import { api, withQuery } from '../../lib/api-client.ts';

// Admins receive the identity secret; other roles get the plain store, so the secret is optional here.
const ZAdminStore = ZStore.extend({ identitySecret: ZStoreWithSecret.shape.identitySecret.optional() });
export type TAdminStore = TStore & { identitySecret?: string | undefined };
export type TApiToken = ReturnType<typeof ZApiToken.parse>;
export type TCreatedToken = ReturnType<typeof ZCreatedToken.parse>;

export type TStoreInput = {
  name: string;
  platform: TStore['platform'];
  defaultGroupId: string | null;
  greeting: string;
};
export type TGroupInput = { name: string; defaultMaxConcurrency: number };

export const adminApi = {
  listStores: (): Promise<TAdminStore[]> => api.get('/api/stores', ZAdminStore.array()),
  createStore: (body: TStoreInput): Promise<TAdminStore> => api.post('/api/stores', body, ZAdminStore),
  updateStore: (id: string, body: Partial<TStoreInput>): Promise<TAdminStore> =>
    api.patch(`/api/stores/${encodeURIComponent(id)}`, body, ZAdminStore),
  rotateSecret: (id: string): Promise<TAdminStore> =>
    api.post(`/api/stores/${encodeURIComponent(id)}/rotate-secret`, {}, ZAdminStore),

  listGroups: (): Promise<TSkillGroup[]> => api.get('/api/groups', ZSkillGroup.array()),
  createGroup: (body: TGroupInput): Promise<TSkillGroup> => api.post('/api/groups', body, ZSkillGroup),
  updateGroup: (id: string, body: Partial<TGroupInput>): Promise<TSkillGroup> =>
    api.patch(`/api/groups/${encodeURIComponent(id)}`, body, ZSkillGroup),

  listUsers: (): Promise<TUser[]> => api.get('/api/users', ZUser.array()),
  createUser: (body: TCreateUserRequest): Promise<TUser> => api.post('/api/users', body, ZUser),
  updateUser: (id: string, body: TUpdateUserRequest): Promise<TUser> =>
    api.patch(`/api/users/${encodeURIComponent(id)}`, body, ZUser),

  listTokens: (): Promise<TApiToken[]> => api.get('/api/tokens', ZApiToken.array()),
  createToken: (name: string): Promise<TCreatedToken> => api.post('/api/tokens', { name }, ZCreatedToken),
  revokeToken: (id: string): Promise<void> => api.fire(`/api/tokens/${encodeURIComponent(id)}`, 'DELETE'),

  listAudit: (limit = 100): Promise<TAuditEntry[]> =>
    api.get(withQuery('/api/audit', { limit }), ZAuditEntry.array()),

  listDeadLetters: (limit = 200): Promise<TDeadLetter[]> =>
    api.get(withQuery('/api/dead-letters', { limit }), ZDeadLetterList).then((l) => l.items),
  deadLetterBacklog: (): Promise<TDeadLetterBacklog> =>
    api.get('/api/dead-letters/backlog', ZDeadLetterBacklog),
  replayDeadLetter: (d: Pick<TDeadLetter, 'kind' | 'id' | 'listener'>): Promise<void> =>
    api.fire(
      d.kind === 'event'
        ? `/api/dead-letters/events/${encodeURIComponent(d.listener ?? '')}/${encodeURIComponent(d.id)}/replay`
        : `/api/dead-letters/jobs/${encodeURIComponent(d.id)}/replay`,
      'POST',
    ),
};

import {
  ZApiToken,
  ZAuditEntry,
  ZChangePasswordRequest,
  ZCreatedToken,
  ZCreateGroupRequest,
  ZCreateStoreRequest,
  ZCreateTokenRequest,
  ZCreateUserRequest,
  ZId,
  ZLoginRequest,
  ZMe,
  ZOk,
  ZSessionState,
  ZSetStatusRequest,
  ZSetupRequest,
  ZSetupStatus,
  ZSkillGroup,
  ZUpdateGroupRequest,
  ZUpdateStoreRequest,
  ZUpdateUserRequest,
  ZUser,
} from '@peakdesk/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearerOf, resolveCaller, SESSION_COOKIE, userOf } from '../../http/auth.ts';
import { DomainError } from '../../http/domain-error.ts';
import { type LoginThrottle, sendRefusal } from '../../http/throttle.ts';
import type { Services } from '../../services.ts';

const ZIdParams = z.object({ id: ZId });

function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  session: { token: string; maxAgeSeconds: number },
) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: session.maxAgeSeconds,
    secure: req.protocol === 'https',
  });
}

export function registerAccountsRoutes(app: FastifyInstance, s: Services, throttle: LoginThrottle) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);

  r.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], body: ZLoginRequest, response: { 200: ZMe } },
    },
    async (req, reply) => {
      const refused = await throttle.check(req.body.email, req.ip);
      if (refused) return sendRefusal(reply, 'too_many_failed_logins', refused);
      let session: Awaited<ReturnType<typeof s.accounts.login>>;
      try {
        session = await s.accounts.login(req.body.email, req.body.password);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'invalid_credentials')
          await throttle.failed(req.body.email, req.ip);
        throw error;
      }
      await throttle.succeeded(req.body.email);
      setSessionCookie(req, reply, session);
      return s.accounts.me((await s.accounts.resolveSession(session.token))!);
    },
  );
  // First run: public while no admin exists; the setup token printed at start guards the write.
  r.get('/api/setup', { schema: { tags: ['auth'], response: { 200: ZSetupStatus } } }, async () => ({
    isNeeded: await s.organizations.isSetupNeeded(),
  }));
  r.post(
    '/api/setup',
    { schema: { tags: ['auth'], body: ZSetupRequest, response: { 201: ZMe } } },
    async (req, reply) => {
      await s.organizations.completeSetup(req.body);
      const session = await s.accounts.login(req.body.email, req.body.password);
      setSessionCookie(req, reply, session);
      return reply.status(201).send(await s.accounts.me((await s.accounts.resolveSession(session.token))!));
    },
  );
  r.post('/api/auth/logout', { schema: { tags: ['auth'], response: { 200: ZOk } } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE] ?? bearerOf(req);
    if (token) await s.accounts.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });
  r.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: ZMe } } }, async (req) =>
    s.accounts.me(await user(req)),
  );
  // The web app asks this on every load: a visitor who is not signed in is an answer, not an error.
  r.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], response: { 200: ZSessionState } } },
    async (req) => {
      let caller: Awaited<ReturnType<typeof resolveCaller>>;
      try {
        caller = await resolveCaller(s.resolvers, req);
      } catch (error) {
        // An expired or revoked token is simply not signed in here; anything else is a real fault.
        if (error instanceof DomainError && error.kind === 'unauthenticated')
          return { authenticated: false as const };
        throw error;
      }
      if (caller?.kind !== 'user') return { authenticated: false as const };
      return { authenticated: true as const, me: await s.accounts.me(caller) };
    },
  );
  r.post(
    '/api/auth/password',
    { schema: { tags: ['auth'], body: ZChangePasswordRequest, response: { 200: ZOk } } },
    async (req) => {
      await s.accounts.changePassword(
        await user(req),
        req.body.currentPassword,
        req.body.newPassword,
        req.cookies[SESSION_COOKIE] ?? bearerOf(req),
      );
      return { ok: true as const };
    },
  );
  r.put(
    '/api/me/status',
    { schema: { tags: ['agents'], body: ZSetStatusRequest, response: { 200: ZUser } } },
    async (req) => s.accounts.setStatus(await user(req), req.body.status),
  );

  r.get('/api/users', { schema: { tags: ['admin'], response: { 200: z.array(ZUser) } } }, async (req) =>
    s.accounts.listUsers(await user(req)),
  );
  r.post(
    '/api/users',
    { schema: { tags: ['admin'], body: ZCreateUserRequest, response: { 201: ZUser } } },
    async (req, reply) => reply.status(201).send(await s.accounts.createUser(await user(req), req.body)),
  );
  r.patch(
    '/api/users/:id',
    { schema: { tags: ['admin'], params: ZIdParams, body: ZUpdateUserRequest, response: { 200: ZUser } } },
    async (req) => s.accounts.updateUser(await user(req), req.params.id, req.body),
  );

  r.get('/api/stores', { schema: { tags: ['admin'] } }, async (req) =>
    s.accounts.listStores(await user(req)),
  );
  r.post('/api/stores', { schema: { tags: ['admin'], body: ZCreateStoreRequest } }, async (req, reply) =>
    reply.status(201).send(await s.accounts.createStore(await user(req), req.body)),
  );
  r.patch(
    '/api/stores/:id',
    { schema: { tags: ['admin'], params: ZIdParams, body: ZUpdateStoreRequest } },
    async (req) => s.accounts.updateStore(await user(req), req.params.id, req.body),
  );

  r.post('/api/stores/:id/rotate-secret', { schema: { tags: ['admin'], params: ZIdParams } }, async (req) =>
    s.accounts.rotateStoreSecret(await user(req), req.params.id),
  );

  r.get(
    '/api/groups',
    { schema: { tags: ['admin'], response: { 200: z.array(ZSkillGroup) } } },
    async (req) => s.accounts.listGroups(await user(req)),
  );
  r.post(
    '/api/groups',
    { schema: { tags: ['admin'], body: ZCreateGroupRequest, response: { 201: ZSkillGroup } } },
    async (req, reply) => reply.status(201).send(await s.accounts.createGroup(await user(req), req.body)),
  );
  r.patch(
    '/api/groups/:id',
    {
      schema: {
        tags: ['admin'],
        params: ZIdParams,
        body: ZUpdateGroupRequest,
        response: { 200: ZSkillGroup },
      },
    },
    async (req) => s.accounts.updateGroup(await user(req), req.params.id, req.body),
  );

  r.get('/api/tokens', { schema: { tags: ['admin'], response: { 200: z.array(ZApiToken) } } }, async (req) =>
    s.accounts.listTokens(await user(req)),
  );
  r.post(
    '/api/tokens',
    { schema: { tags: ['admin'], body: ZCreateTokenRequest, response: { 201: ZCreatedToken } } },
    async (req, reply) => reply.status(201).send(await s.accounts.createToken(await user(req), req.body)),
  );
  r.delete(
    '/api/tokens/:id',
    { schema: { tags: ['admin'], params: ZIdParams, response: { 200: ZOk } } },
    async (req) => {
      await s.accounts.revokeToken(await user(req), req.params.id);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/audit',
    {
      schema: {
        tags: ['admin'],
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.array(ZAuditEntry) },
      },
    },
    async (req) => s.audit.list(await user(req), req.query.limit),
  );
}

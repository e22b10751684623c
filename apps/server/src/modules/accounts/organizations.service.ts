import { randomBytes } from 'node:crypto';
import {
  type TCreateOrganizationRequest,
  type TSetupRequest,
  ZCreateOrganizationRequest,
  ZId,
} from '@peakdesk/contracts';
import type { z } from 'zod';
import type { UserCaller } from '../../http/caller.ts';
import { DomainError, invalidInput } from '../../http/domain-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { type AccountsRepository, type Provisioned, SETUP_TOKEN_KEY } from './accounts.repository.ts';
import { hashPassword } from './secrets.ts';

export type CreatedOrganization = Provisioned & {
  orgName: string;
  /** The admin's email; null for `org create --name` without an admin. */
  email: string | null;
  isNewOrganization: boolean;
};

/**
 * Organisations and their first admins without a signed-in caller: the first-run setup page (guarded
 * by the one-time token `peakdesk start` prints) and the `admin create` / `org create` commands (run by
 * whoever holds the server's database).
 */
export function createOrganizationsService({
  repo,
  audit,
}: {
  repo: AccountsRepository;
  audit: AuditService;
}) {
  function parse<T>(schema: z.ZodType<T>, input: unknown): T {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw invalidInput(String(issue.path[0] ?? 'body'), issue.message);
  }
  const validate = (input: unknown) => parse(ZCreateOrganizationRequest, input);
  const validateName = (input: unknown) => parse(ZCreateOrganizationRequest.pick({ orgName: true }), input);

  async function assertEmailFree(email: string) {
    if (await repo.findUserByEmail(email))
      throw new DomainError('conflict', 'email_taken', 'email: already in use', 'email');
  }

  /** Before any user exists, an organisation a CLI command created (e.g. `kb import`) is taken over. */
  async function placeholderOrgId(): Promise<string | undefined> {
    if ((await repo.countUsers()) > 0) return undefined;
    return (await repo.firstOrganization())?.id;
  }

  async function provision(
    req: TCreateOrganizationRequest,
    orgId: string | undefined,
    setupToken?: string,
  ): Promise<CreatedOrganization | null> {
    const result = await repo.provisionOrganization({
      orgId,
      orgName: req.orgName,
      identitySecret: randomBytes(24).toString('hex'),
      admin: { email: req.email, name: req.name, passwordHash: await hashPassword(req.password) },
      ...(setupToken === undefined ? {} : { setupToken }),
    });
    if (!result) return null;
    const caller: UserCaller = {
      kind: 'user',
      userId: result.userId!,
      orgId: result.orgId,
      role: 'admin',
      name: req.name,
      storeIds: null,
      groupIds: [],
      via: 'session',
    };
    await audit.record(caller, 'organization.create', 'organization', result.orgId, {
      name: req.orgName,
      adminEmail: req.email,
    });
    return { ...result, orgName: req.orgName, email: req.email.toLowerCase(), isNewOrganization: !orgId };
  }

  const isSetupNeeded = async () => !(await repo.hasAnyAdmin());

  return {
    isSetupNeeded,

    /** The token every instance prints while no admin exists (the first one stored wins); null after. */
    async setupToken(): Promise<string | null> {
      if (!(await isSetupNeeded())) return null;
      return repo.ensureSetting(SETUP_TOKEN_KEY, randomBytes(18).toString('base64url'));
    },

    async completeSetup(input: TSetupRequest): Promise<CreatedOrganization> {
      const alreadyDone = () =>
        new DomainError('conflict', 'already_set_up', 'PeakDesk already has an organisation and admin');
      if (!(await isSetupNeeded())) throw alreadyDone();
      const req = validate(input);
      await assertEmailFree(req.email);
      const created = await provision(req, await placeholderOrgId(), input.token);
      if (created) return created;
      if (!(await isSetupNeeded())) throw alreadyDone();
      throw new DomainError(
        'forbidden',
        'invalid_setup_token',
        'token: is not the setup token printed by `peakdesk start`',
        'token',
      );
    },

    /**
     * `existing: 'add-admin'` (`admin create --org ID|NAME`) adds the admin to that organisation, by id
     * or name, creating it when no organisation has that name; `'refuse'` (`org create`) insists on a
     * new organisation, with its first admin when `email` is given.
     */
    async createOrganization(
      input: Partial<TCreateOrganizationRequest>,
      existing: 'add-admin' | 'refuse',
    ): Promise<CreatedOrganization> {
      const req = existing === 'add-admin' || input.email !== undefined ? validate(input) : null;
      const { orgName } = req ?? validateName(input);
      const isId = ZId.safeParse(orgName).success;
      const byId = isId ? await repo.getOrganization(orgName) : null;
      if (existing === 'add-admin' && isId && (!byId || byId.isDrill))
        throw new DomainError(
          'not_found',
          'organization_not_found',
          `orgName: no organisation with id ${orgName}`,
          'orgName',
        );
      const named = byId ?? (await repo.findOrganizationByName(orgName));
      if (named && existing === 'refuse')
        throw new DomainError(
          'conflict',
          'organization_exists',
          `orgName: an organisation named "${orgName}" exists`,
          'orgName',
        );
      if (!req) {
        // Without an admin nothing is taken over: a second `org create` must not rename this one.
        const result = await repo.provisionOrganization({
          orgName,
          identitySecret: randomBytes(24).toString('hex'),
        });
        return { ...result!, orgName, email: null, isNewOrganization: true };
      }
      await assertEmailFree(req.email);
      return (await provision(
        { ...req, orgName: named?.name ?? orgName },
        named?.id ?? (await placeholderOrgId()),
      ))!;
    },
  };
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

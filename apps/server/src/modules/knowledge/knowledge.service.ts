import type {
  TArticle,
  TArticleInput,
  TCreateFaqRequest,
  TFaq,
  TFaqFileFormat,
  TFaqImportResult,
  TFaqListQuery,
  TUpdateArticleRequest,
  TUpdateFaqRequest,
} from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import {
  createFaqMatcher,
  type FaqEntry,
  type FaqMatcher,
  type FaqRecord,
  type MatchResult,
} from '@peakdesk/text';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { DomainError, invalidInput, notFound } from '../../http/domain-error.ts';
import {
  assertStoreInScope,
  assertWritable,
  canSeeStore,
  isOrgWide,
  orgScope,
  type Scope,
  scopeOf,
} from '../../http/scope.ts';
import type { AccountsRepository } from '../accounts/accounts.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { type FaqFileRow, readFaqFile, writeFaqCsv, writeFaqXlsx } from './faq-file.ts';
import {
  type ArticleRow,
  createKnowledgeRepository,
  type FaqRow,
  type FaqValues,
  type KnowledgeRepository,
} from './knowledge.repository.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toFaqDto = (r: FaqRow): TFaq => ({
  id: r.id,
  storeId: r.storeId,
  category: r.category,
  question: r.question,
  similarQuestions: r.similarQuestions,
  answer: r.answer,
  images: r.images,
  links: r.links,
  quickReplyId: r.quickReplyId,
  validFrom: iso(r.validFrom),
  validTo: iso(r.validTo),
  enabled: r.enabled,
  updatedAt: r.updatedAt.toISOString(),
});

const toArticleDto = (r: ArticleRow): TArticle => ({
  id: r.id,
  storeId: r.storeId,
  category: r.category,
  title: r.title,
  body: r.body,
  enabled: r.enabled,
  updatedAt: r.updatedAt.toISOString(),
});

/** An answer may be used now: enabled and inside its promotion window. */
export function isFaqLive(row: FaqRow, now = new Date()): boolean {
  return (
    row.enabled &&
    (!row.validFrom || row.validFrom <= now) &&
    (!row.validTo || now.getTime() < row.validTo.getTime())
  );
}

const toEntry = (r: FaqRow): FaqEntry => ({
  id: r.id,
  question: r.question,
  similarQuestions: r.similarQuestions,
  storeId: r.storeId,
});

export type KnowledgeCandidate = { faq: FaqRow; variant: string; score: number };

export type KnowledgeAnswer = {
  /** The FAQ to answer with (live, score at or above the threshold), else null: abstain. */
  faq: FaqRow | null;
  /** Calibrated confidence of the best live candidate (0 when there is none). */
  score: number;
  candidates: KnowledgeCandidate[];
  match: MatchResult;
};

type OrgIndex = { version: number; matcher: FaqMatcher; faqs: Map<string, FaqRow>; checkedAt: number };

/**
 * How long an instance trusts its matcher without asking the database for the knowledge version.
 * Writes on this instance apply at once; writes on another instance are seen within this window.
 */
const VERSION_CHECK_MS = 1000;

export type KnowledgeServiceDeps = {
  db: Database;
  audit: AuditService;
  accounts: AccountsRepository;
  /** Whether a team reply script exists in the organisation (FAQ entries link to scripts). */
  hasQuickReply: (orgId: string, id: string) => Promise<boolean>;
};

export function createKnowledgeService(deps: KnowledgeServiceDeps) {
  const repo = createKnowledgeRepository(deps.db);
  const indexes = new Map<string, OrgIndex>();
  const building = new Map<string, Promise<OrgIndex>>();

  async function buildIndex(orgId: string): Promise<OrgIndex> {
    const version = await repo.version(orgId);
    const rows = (await repo.listFaqs(orgScope(orgId))).filter((r) => r.enabled);
    const index: OrgIndex = {
      version,
      matcher: createFaqMatcher(rows.map(toEntry)),
      faqs: new Map(rows.map((r) => [r.id, r])),
      checkedAt: Date.now(),
    };
    indexes.set(orgId, index);
    return index;
  }

  /** The organisation's matcher, rebuilt when the knowledge version in the database moved on. */
  async function indexFor(orgId: string): Promise<OrgIndex> {
    const cached = indexes.get(orgId);
    if (cached && Date.now() - cached.checkedAt < VERSION_CHECK_MS) return cached;
    const pending = building.get(orgId);
    if (pending) return pending;
    const run = (async () => {
      if (cached && (await repo.version(orgId)) === cached.version) {
        cached.checkedAt = Date.now();
        return cached;
      }
      return buildIndex(orgId);
    })().finally(() => building.delete(orgId));
    building.set(orgId, run);
    return run;
  }

  /** After a local write: patch the matcher in place when ours was the only change, else rebuild lazily. */
  function applyLocal(orgId: string, version: number, upserted: FaqRow[], removed: string[]) {
    const index = indexes.get(orgId);
    if (!index) return;
    if (index.version !== version - 1) {
      index.checkedAt = 0;
      return;
    }
    for (const id of removed) {
      index.matcher.remove(id);
      index.faqs.delete(id);
    }
    for (const row of upserted) {
      if (row.enabled) {
        index.matcher.upsert(toEntry(row));
        index.faqs.set(row.id, row);
      } else {
        index.matcher.remove(row.id);
        index.faqs.delete(row.id);
      }
    }
    index.version = version;
  }

  async function checkStore(orgId: string, storeId: string | null | undefined, field = 'storeId') {
    if (!storeId) return;
    if (!(await deps.accounts.getStore(orgId, storeId))) throw invalidInput(field, 'unknown store');
  }

  /** Supervisors and admins edit; the store a write points at (null = org-wide) must be the caller's. */
  function requireEditor(caller: UserCaller, storeId: string | null | undefined): Scope {
    const scope = scopeOf(requireRole(caller, 'admin', 'supervisor'));
    assertStoreInScope(scope, storeId);
    return scope;
  }

  async function importRows(
    scope: Scope,
    rows: FaqFileRow[],
    storeId: string | null,
    source: string,
  ): Promise<TFaqImportResult> {
    const { orgId } = scope;
    const { result, version, upserted } = await repo.transaction(async (tx) => {
      const existing = await tx.faqStores(orgId);
      // An id that names another store's entry (or an org-wide one, for a store-limited importer)
      // would overwrite or move it: refuse the whole file, naming the line.
      for (const row of rows) {
        if (!existing.has(row.id)) continue;
        const owner = existing.get(row.id) ?? null;
        if (owner === null ? !isOrgWide(scope) : !canSeeStore(scope, owner))
          throw new DomainError(
            'invalid_input',
            'invalid_faq_file',
            `${source}:${row.line}: field "id" "${row.id}" is already used by an entry outside your stores`,
            'id',
          );
      }
      const saved: FaqRow[] = [];
      for (const row of rows) {
        saved.push(
          await tx.upsertFaq({
            orgId,
            id: row.id,
            storeId,
            category: row.category,
            question: row.question,
            similarQuestions: row.similarQuestions,
            answer: row.answer,
            images: row.images,
            links: row.links,
            validFrom: row.validFrom,
            validTo: row.validTo,
            enabled: row.enabled,
          }),
        );
      }
      const created = rows.filter((r) => !existing.has(r.id)).length;
      return {
        result: { total: rows.length, created, updated: rows.length - created },
        version: await tx.bumpVersion(orgId),
        upserted: saved,
      };
    });
    applyLocal(orgId, version, upserted, []);
    return result;
  }

  async function writeFaq(
    caller: UserCaller,
    id: string,
    values: Omit<FaqValues, 'orgId' | 'id'>,
    action: 'faq.create' | 'faq.update',
  ): Promise<TFaq> {
    if (values.quickReplyId && !(await deps.hasQuickReply(caller.orgId, values.quickReplyId)))
      throw invalidInput('quickReplyId', 'unknown team quick reply');
    if (values.validFrom && values.validTo && values.validFrom >= values.validTo)
      throw invalidInput('validTo', 'must be after validFrom');
    assertStoreInScope(scopeOf(caller), values.storeId ?? null);
    const { row, version } = await repo.transaction(async (tx) => ({
      row: await tx.upsertFaq({ orgId: caller.orgId, id, ...values }),
      version: await tx.bumpVersion(caller.orgId),
    }));
    applyLocal(caller.orgId, version, [row], []);
    await deps.audit.record(caller, action, 'faq', id, { question: row.question });
    return toFaqDto(row);
  }

  const dateOrNull = (value: string | null | undefined) => (value ? new Date(value) : null);

  return {
    repo,
    indexFor,

    /** Matches a buyer's text against the organisation's live FAQs (store-scoped entries included). */
    async answer(
      orgId: string,
      text: string,
      opts: { storeId?: string | null; limit?: number } = {},
    ): Promise<KnowledgeAnswer> {
      const index = await indexFor(orgId);
      const match = index.matcher.match(text, {
        storeId: opts.storeId ?? null,
        limit: Math.max(opts.limit ?? 5, 5),
      });
      const now = new Date();
      const candidates: KnowledgeCandidate[] = [];
      for (const c of match.candidates) {
        const faq = index.faqs.get(c.faqId);
        if (faq && isFaqLive(faq, now)) candidates.push({ faq, variant: c.variant, score: c.score });
      }
      const top = candidates[0];
      const faq = top && top.score >= match.why.threshold ? top.faq : null;
      return { faq, score: top?.score ?? 0, candidates: candidates.slice(0, opts.limit ?? 5), match };
    },

    async getFaqRow(orgId: string, id: string): Promise<FaqRow | null> {
      return (await indexFor(orgId)).faqs.get(id) ?? repo.getFaq(orgScope(orgId), id);
    },

    async listFaqs(caller: UserCaller, q: TFaqListQuery): Promise<TFaq[]> {
      const needle = q.q?.trim().toLowerCase();
      return (await repo.listFaqs(scopeOf(caller)))
        .filter((r) => !q.storeId || r.storeId === q.storeId || r.storeId === null)
        .filter((r) => !q.category || r.category === q.category)
        .filter(
          (r) =>
            !needle ||
            r.id.toLowerCase().includes(needle) ||
            r.question.toLowerCase().includes(needle) ||
            r.answer.toLowerCase().includes(needle) ||
            r.similarQuestions.some((s) => s.toLowerCase().includes(needle)),
        )
        .map(toFaqDto);
    },

    async getFaq(caller: UserCaller, id: string): Promise<TFaq> {
      const row = await repo.getFaq(scopeOf(caller), id);
      if (!row) throw notFound('faq');
      return toFaqDto(row);
    },

    async createFaq(caller: UserCaller, req: TCreateFaqRequest): Promise<TFaq> {
      requireEditor(caller, req.storeId);
      await checkStore(caller.orgId, req.storeId);
      const id = req.id ?? `faq-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
      if ((await repo.faqStores(caller.orgId)).has(id))
        throw new DomainError('conflict', 'faq_exists', `id: FAQ "${id}" already exists`, 'id');
      const { id: _id, ...rest } = req;
      return writeFaq(
        caller,
        id,
        { ...rest, validFrom: dateOrNull(req.validFrom), validTo: dateOrNull(req.validTo) },
        'faq.create',
      );
    },

    async updateFaq(caller: UserCaller, id: string, req: TUpdateFaqRequest): Promise<TFaq> {
      const scope = requireEditor(caller, req.storeId);
      const current = assertWritable(await repo.getFaq(scope, id), scope, 'faq');
      await checkStore(caller.orgId, req.storeId);
      const { orgId: _o, id: _i, createdAt: _c, updatedAt: _u, ...base } = current;
      return writeFaq(
        caller,
        id,
        {
          ...base,
          ...Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)),
          validFrom: req.validFrom === undefined ? current.validFrom : dateOrNull(req.validFrom),
          validTo: req.validTo === undefined ? current.validTo : dateOrNull(req.validTo),
        },
        'faq.update',
      );
    },

    async deleteFaq(caller: UserCaller, id: string): Promise<void> {
      const scope = requireEditor(caller, undefined);
      const current = assertWritable(await repo.getFaq(scope, id), scope, 'faq');
      const version = await repo.transaction(async (tx) => {
        await tx.deleteFaq(scope, id);
        return tx.bumpVersion(caller.orgId);
      });
      applyLocal(caller.orgId, version, [], [id]);
      await deps.audit.record(caller, 'faq.delete', 'faq', id, { question: current.question });
    },

    /** Validates the whole file first, then writes every row in one transaction (all or nothing). */
    async importFile(
      scope: Scope,
      data: Buffer,
      opts: { format: TFaqFileFormat; source: string; storeId?: string | null | undefined },
    ): Promise<TFaqImportResult> {
      await checkStore(scope.orgId, opts.storeId, 'store');
      const rows = await readFaqFile(data, opts.format, opts.source);
      return importRows(scope, rows, opts.storeId ?? null, opts.source);
    },

    /** Seeds (demo merchant): entries already parsed, e.g. the text package's demo FAQ. */
    async importEntries(orgId: string, entries: readonly FaqRecord[]): Promise<TFaqImportResult> {
      return importRows(
        orgScope(orgId),
        entries.map((e, i) => ({
          line: i + 2,
          id: e.id,
          category: e.category,
          question: e.question,
          answer: e.answer,
          similarQuestions: [...e.similarQuestions],
          enabled: true,
          validFrom: null,
          validTo: null,
          images: [],
          links: [],
        })),
        null,
        'seed',
      );
    },

    async importForCaller(
      caller: UserCaller,
      data: Buffer,
      opts: { format: TFaqFileFormat; source: string; storeId?: string | undefined },
    ): Promise<TFaqImportResult> {
      const scope = requireEditor(caller, opts.storeId ?? null);
      const result = await this.importFile(scope, data, opts);
      await deps.audit.record(caller, 'faq.import', 'faq', null, { source: opts.source, ...result });
      return result;
    },

    async exportFile(caller: UserCaller, format: TFaqFileFormat): Promise<Buffer> {
      const faqs = await this.listFaqs(caller, {});
      return format === 'xlsx' ? writeFaqXlsx(faqs) : Buffer.from(writeFaqCsv(faqs), 'utf8');
    },

    // ---------- articles (for agents) ----------
    async listArticles(caller: UserCaller): Promise<TArticle[]> {
      return (await repo.listArticles(scopeOf(caller))).map(toArticleDto);
    },
    async createArticle(caller: UserCaller, req: TArticleInput): Promise<TArticle> {
      requireEditor(caller, req.storeId);
      await checkStore(caller.orgId, req.storeId);
      const row = await repo.insertArticle({ orgId: caller.orgId, ...req });
      await deps.audit.record(caller, 'article.create', 'article', row.id, { title: row.title });
      return toArticleDto(row);
    },
    async updateArticle(caller: UserCaller, id: string, req: TUpdateArticleRequest): Promise<TArticle> {
      const scope = requireEditor(caller, req.storeId);
      assertWritable(await repo.getArticle(scope, id), scope, 'article');
      await checkStore(caller.orgId, req.storeId);
      const row = await repo.updateArticle(scope, id, req);
      if (!row) throw notFound('article');
      await deps.audit.record(caller, 'article.update', 'article', id, { title: row.title });
      return toArticleDto(row);
    },
    async deleteArticle(caller: UserCaller, id: string): Promise<void> {
      const scope = requireEditor(caller, undefined);
      assertWritable(await repo.getArticle(scope, id), scope, 'article');
      if (!(await repo.deleteArticle(scope, id))) throw notFound('article');
      await deps.audit.record(caller, 'article.delete', 'article', id);
    },
  };
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;
export type { KnowledgeRepository };

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase } from '@peakdesk/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './simulate.command.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const dataDir = join(mkdtempSync(join(tmpdir(), 'peakdesk-org-')), 'fresh');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: NodeJS.ProcessEnv;

// An empty database of its own: a fresh PGlite folder, or a new PostgreSQL database with DATABASE_URL.
beforeAll(async () => {
  database = await createTestDatabase();
  env = { ...process.env, DATABASE_URL: database.url ?? '' };
  if (!database.url) delete env.DATABASE_URL;
});
afterAll(async () => {
  await database?.close();
});

function run(args: string[], input = '') {
  const result = spawnSync('node', ['apps/cli/bin/peakdesk.mjs', ...args, '--data-dir', dataDir], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
    env,
    input,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('peakdesk admin create / org create', { timeout: 240_000 }, () => {
  it('takes over the organisation a command created before the first admin, password from stdin', () => {
    const imported = run(['kb', 'import', join(repoRoot, 'packages/text/data/demo-faq.csv'), '--json']);
    expect(imported.code).toBe(0);
    const kbOrg = JSON.parse(imported.stdout).orgId as string;

    const created = run(
      ['admin', 'create', '--email', 'Owner@Bear.example', '--org', '小熊旗舰店', '--json'],
      'bear-secret-1\n',
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      orgId: kbOrg,
      orgName: '小熊旗舰店',
      email: 'owner@bear.example',
      isNewOrganization: false,
    });
    // The FAQ imported before setup now belongs to the named organisation and still answers.
    expect(JSON.parse(run(['bot', 'ask', '亲，保价吗', '--json']).stdout)).toMatchObject({ faqId: 'f23' });
  });

  it('creates a further organisation, then its admin by organisation id (the CLI contract)', () => {
    const org = run(['org', 'create', '--name', '海风家居']);
    expect(org.stderr).toBe('');
    expect(org.code).toBe(0);
    const orgId = /^created organisation "海风家居" \(([0-9a-f-]{36})\)\n/.exec(org.stdout)?.[1];
    expect(orgId, org.stdout).toBeTruthy();
    expect(org.stdout).toContain(`add its admin: peakdesk admin create --org ${orgId} --email`);

    const admin = run([
      'admin',
      'create',
      '--org',
      orgId!,
      '--email',
      'ops@haifeng.example',
      '--password',
      'haifeng-secret',
      '--json',
    ]);
    expect(admin.stderr).toBe('');
    expect(JSON.parse(admin.stdout)).toMatchObject({ orgId, orgName: '海风家居', isNewOrganization: false });
  });

  it('names the flag of bad input', () => {
    const cases: [string[], string][] = [
      [
        ['admin', 'create', '--email', 'not-an-email', '--org', 'X', '--password', 'long-enough'],
        '--email: must be an email address',
      ],
      [
        ['org', 'create', '--name', '新店', '--admin-email', 'a@new.example', '--admin-password', 'short'],
        '--admin-password: must be at least 8 characters',
      ],
      [
        [
          'org',
          'create',
          '--name',
          '海风家居',
          '--admin-email',
          'b@new.example',
          '--admin-password',
          'long-enough',
        ],
        '--name: an organisation named "海风家居" exists',
      ],
      [
        [
          'org',
          'create',
          '--name',
          '新店',
          '--admin-email',
          'OPS@haifeng.example',
          '--admin-password',
          'long-enough',
        ],
        '--admin-email: already in use',
      ],
      [
        ['admin', 'create', '--email', 'c@new.example', '--org', '  ', '--password', 'long-enough'],
        '--org: is empty',
      ],
      [['admin', 'create', '--email', 'c@new.example', '--org', '新店'], '--password: not given'],
      [
        [
          'admin',
          'create',
          '--email',
          'c@new.example',
          '--org',
          '00000000-0000-4000-8000-000000000000',
          '--password',
          'long-enough',
        ],
        '--org: no organisation with id 00000000-0000-4000-8000-000000000000',
      ],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^peakdesk: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    expect(run(['admin', 'create', '--org', 'X']).stderr).toMatch(/required option '--email <email>'/);
  });

  it('shows an example in --help', () => {
    expect(run(['admin', 'create', '--help']).stdout).toContain(
      'peakdesk admin create --email owner@example.com',
    );
    expect(run(['org', 'create', '--help']).stdout).toContain('peakdesk org create --name');
  });
});

describe('peakdesk start on an empty database', { timeout: 120_000 }, () => {
  it('prints the setup link with a working one-time token and the admin create command', async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), 'peakdesk-first-')), 'data');
    const port = await freePort();
    const clean: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    for (const k of ['PORT', 'HOST', 'DATABASE_URL', 'REDIS_URL']) delete clean[k];
    const p = spawn(
      process.execPath,
      ['apps/cli/bin/peakdesk.mjs', 'start', '--port', String(port), '--data-dir', fresh],
      { cwd: repoRoot, env: clean, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      let stderr = '';
      const printed = await new Promise<string>((resolve, reject) => {
        p.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('peakdesk org create')) resolve(stderr);
        });
        p.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const token = new RegExp(`http://localhost:${port}/setup\\?token=([\\w-]+)`).exec(printed)?.[1];
      expect(token, printed).toBeTruthy();
      expect(printed).toContain(
        `peakdesk admin create --email you@example.com --org "Your shop" --data-dir "${fresh}"`,
      );
      const res = await fetch(`http://127.0.0.1:${port}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token,
          orgName: '小熊',
          name: '店长',
          email: 'o@bear.example',
          password: 'bear-secret-1',
        }),
      });
      expect(res.status).toBe(201);
    } finally {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await exited;
    }
  });
});

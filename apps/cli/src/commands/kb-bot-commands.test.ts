import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const dir = mkdtempSync(join(tmpdir(), 'peakdesk-kb-'));
// With DATABASE_URL the commands share that database; otherwise a fresh PGlite folder.
const dataDir = join(dir, 'fresh');

function run(...args: string[]) {
  const result = spawnSync('node', ['apps/cli/bin/peakdesk.mjs', ...args, '--data-dir', dataDir], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

const write = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('peakdesk kb import / bot ask', { timeout: 240_000 }, () => {
  it('imports on a bare data dir and answers a file of queries as JSON lines', () => {
    const imported = run('kb', 'import', join(repoRoot, 'packages/text/data/demo-faq.csv'), '--json');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ total: 51 });

    const queries = write('q.txt', '亲，保价吗\n\n转人工\n你们老板今年多大了\n');
    const asked = run('bot', 'ask', '--file', queries);
    expect(asked.code).toBe(0);
    const answers = asked.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(3);
    expect(Object.keys(answers[0]).sort()).toEqual(['answer', 'faqId', 'handoff', 'query', 'score']);
    expect(answers[0]).toMatchObject({ query: '亲，保价吗', faqId: 'f23', handoff: false });
    expect(answers[1]).toMatchObject({ query: '转人工', faqId: null, answer: null, handoff: true });
    expect(answers[2]).toMatchObject({ faqId: null, answer: null });

    const single = run('bot', 'ask', '亲，保价吗', '--json');
    expect(JSON.parse(single.stdout)).toMatchObject({ faqId: 'f23' });
  });

  it('rejects a bad file with one line naming file, line and field', () => {
    const bad = write('bad.csv', 'id,category,question,answer,similar_questions\nx1,a,q1,a1,\nx2,b,q2,,\n');
    const r = run('kb', 'import', bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(`peakdesk: ${bad}:3: field "answer" is empty`);
    expect(run('kb', 'import', join(dir, 'missing.xlsx')).stderr).toMatch(
      /missing\.xlsx: cannot read the file/,
    );
  });
});

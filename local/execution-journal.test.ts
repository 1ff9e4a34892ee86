import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionJournal } from './execution-journal.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-journal-'));
  dirs.push(dir);
  return join(dir, 'executions');
}

const entry = (deploymentId: string, state: string, enteredAt: string) => ({
  deploymentId,
  state,
  input: { deploymentId },
  enteredAt,
});

describe('ExecutionJournal', () => {
  it('keeps the last state each execution entered, oldest execution first, until removed', async () => {
    const journal = new ExecutionJournal(journalDir());
    await journal.record(entry('d-2', 'Prepare', '2026-01-01T00:00:02Z'));
    await journal.record(entry('d-1', 'Prepare', '2026-01-01T00:00:01Z'));
    await journal.record(entry('d-2', 'SmokeInvoke', '2026-01-01T00:00:03Z'));
    expect((await journal.list()).map((e) => [e.deploymentId, e.state])).toEqual([
      ['d-1', 'Prepare'],
      ['d-2', 'SmokeInvoke'],
    ]);
    await journal.remove('d-1');
    await journal.remove('d-1');
    expect((await journal.list()).map((e) => e.deploymentId)).toEqual(['d-2']);
  });

  it('lists nothing before the first execution', async () => {
    expect(await new ExecutionJournal(journalDir()).list()).toEqual([]);
  });

  it('drops the temp file of a write a kill interrupted, keeping the entry before it', async () => {
    const dir = journalDir();
    const journal = new ExecutionJournal(dir);
    await journal.record(entry('d-1', 'Promote', '2026-01-01T00:00:01Z'));
    writeFileSync(join(dir, 'd-1.json.tmp-123-abcd'), '{"deploymentId": "d-1", "sta');
    expect((await journal.list()).map((e) => e.state)).toEqual(['Promote']);
    expect(readdirSync(dir)).toEqual(['d-1.json']);
  });

  it('throws naming a file that is not a journal', async () => {
    const dir = journalDir();
    const journal = new ExecutionJournal(dir);
    await journal.record(entry('d-1', 'Promote', '2026-01-01T00:00:01Z'));
    writeFileSync(join(dir, 'd-2.json'), '{"state": 3}');
    await expect(journal.list()).rejects.toThrow(/d-2\.json is not an execution journal/);
  });

  it('refuses a deployment id that is not a file name', async () => {
    await expect(
      new ExecutionJournal(journalDir()).record(entry('../x', 'Prepare', 'now')),
    ).rejects.toThrow(/cannot name a journal file/);
  });
});

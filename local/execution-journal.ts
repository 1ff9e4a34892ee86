/**
 * Where each in-flight local execution has got to: one file per deployment under FERRY_HOME,
 * rewritten atomically as the execution enters each state (its name and the state object it
 * entered with) and removed when the execution ends. A file left behind is an execution a
 * previous process did not finish: local/recovery.ts ends it at the next start.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readJson, writeJsonAtomic } from './function-host/atomic-json.ts';

const journalEntrySchema = z.object({
  deploymentId: z.string().min(1),
  /** The state the execution entered last. */
  state: z.string().min(1),
  /** The state object it entered with (the library's `StateEntered` input). */
  input: z.record(z.string(), z.unknown()),
  enteredAt: z.string(),
});

/** One execution's last entered state. */
export type JournalEntry = z.infer<typeof journalEntrySchema>;

const SUFFIX = '.json';

/** The journals of one FERRY_HOME. */
export class ExecutionJournal {
  constructor(private readonly dir: string) {}

  /** Records the state an execution entered; durable when it resolves. */
  async record(entry: JournalEntry): Promise<void> {
    await writeJsonAtomic(this.fileOf(entry.deploymentId), entry);
  }

  /** Forgets an execution that ended. Idempotent. */
  async remove(deploymentId: string): Promise<void> {
    await rm(this.fileOf(deploymentId), { force: true });
  }

  /** Every execution left in flight, oldest first; a file that does not parse is an error naming it. */
  async list(): Promise<JournalEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: JournalEntry[] = [];
    // A write the kill interrupted leaves a `.tmp-…` file: the entry before it stands.
    for (const name of names.filter((n) => n.includes(`${SUFFIX}.tmp-`))) {
      await rm(join(this.dir, name), { force: true });
    }
    for (const name of names.filter((n) => n.endsWith(SUFFIX))) {
      const file = join(this.dir, name);
      const parsed = journalEntrySchema.safeParse(await readJson<unknown>(file, null));
      if (!parsed.success) {
        throw new Error(
          `${file} is not an execution journal (${parsed.error.message}): move it away`,
        );
      }
      entries.push(parsed.data);
    }
    return entries.sort((a, b) => a.enteredAt.localeCompare(b.enteredAt));
  }

  private fileOf(deploymentId: string): string {
    // Deployment ids are `d-` + base32; anything else never names a file here.
    if (!/^[A-Za-z0-9-]+$/.test(deploymentId)) {
      throw new Error(`deployment id ${JSON.stringify(deploymentId)} cannot name a journal file`);
    }
    return join(this.dir, `${deploymentId}${SUFFIX}`);
  }
}

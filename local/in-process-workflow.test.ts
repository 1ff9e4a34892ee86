import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../services/core/logger.ts';
import { InProcessWorkflow } from './in-process-workflow.ts';
import type { ExecutionOutcome, LocalWorkflow } from './workflow-runner.ts';

/** A LocalWorkflow whose runs end when the test says so. */
function controlledWorkflow() {
  const runs: string[] = [];
  const finish = new Map<string, (outcome: ExecutionOutcome | Error) => void>();
  const workflow: LocalWorkflow = {
    run: (id) =>
      new Promise((resolve, reject) => {
        runs.push(id);
        finish.set(id, (o) => (o instanceof Error ? reject(o) : resolve(o)));
      }),
  };
  return { workflow, runs, finish };
}

function recordingLogger() {
  const lines: Array<{ level: string; message: string; data?: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void =>
      void lines.push({ level, message, ...(data ? { data } : {}) });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}

const succeeded: ExecutionOutcome = { status: 'SUCCEEDED', retries: {}, path: ['Prepare'] };

describe('Class: InProcessWorkflow', () => {
  // Once per deployment however often started: the Workflow contract (test/contracts).
  it('returns from start before the execution ends, and idle() waits for it', async () => {
    const { workflow, finish } = controlledWorkflow();
    const wf = new InProcessWorkflow(workflow, recordingLogger().logger);
    await wf.start('d-1');
    let idle = false;
    const waiting = wf.idle().then(() => {
      idle = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(idle).toBe(false);
    finish.get('d-1')?.(succeeded);
    await waiting;
    expect(wf.outcomes.get('d-1')).toEqual(succeeded);
  });

  it('logs a failed execution as a warning with its error', async () => {
    const { workflow, finish } = controlledWorkflow();
    const { logger, lines } = recordingLogger();
    const wf = new InProcessWorkflow(workflow, logger);
    await wf.start('d-1');
    finish.get('d-1')?.({
      status: 'FAILED',
      error: 'RolledBack',
      cause: 'smoke',
      retries: {},
      path: [],
    });
    await wf.idle();
    expect(lines).toContainEqual({
      level: 'warn',
      message: 'execution ended',
      data: { deploymentId: 'd-1', status: 'FAILED', error: 'RolledBack', cause: 'smoke' },
    });
  });

  it('logs a crashed execution as an error instead of swallowing it', async () => {
    const { workflow, finish } = controlledWorkflow();
    const { logger, lines } = recordingLogger();
    const wf = new InProcessWorkflow(workflow, logger);
    await wf.start('d-1');
    finish.get('d-1')?.(new TypeError('boom'));
    await expect(wf.idle()).resolves.toBeUndefined();
    expect(lines).toContainEqual({
      level: 'error',
      message: 'execution crashed',
      data: { deploymentId: 'd-1', name: 'TypeError', message: 'boom' },
    });
  });

  it('tells its end listeners once each execution has ended', async () => {
    const { workflow, finish } = controlledWorkflow();
    const wf = new InProcessWorkflow(workflow, recordingLogger().logger);
    const ended: string[] = [];
    wf.onEnded((id) => ended.push(id));
    await wf.start('d-1');
    await wf.start('d-2');
    expect(ended).toEqual([]);
    finish.get('d-2')?.(succeeded);
    await vi.waitFor(() => expect(ended).toEqual(['d-2']));
    finish.get('d-1')?.(succeeded);
    await wf.idle();
    expect(ended).toEqual(['d-2', 'd-1']);
  });
});

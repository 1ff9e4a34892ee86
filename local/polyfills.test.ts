/**
 * Why Node 20 is enough although aws-local-stepfunctions declares Node >= 22: the one newer API
 * its build calls is `Promise.withResolvers` (each Task's timeout race), which polyfills.ts
 * supplies. A one-Task machine runs in a child Node without the rest of Ferry, with and without it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const MACHINE = {
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:0:function:w', End: true } },
};
const SCRIPT = `
import { StateMachine } from 'aws-local-stepfunctions';
const machine = new StateMachine(${JSON.stringify(MACHINE)});
const run = machine.run({ n: 1 }, {
  overrides: { taskResourceLocalHandlers: { Work: async (input) => ({ doubled: input.n * 2 }) } },
});
try { console.log(JSON.stringify(await run.result)); } catch (error) { console.log(String(error)); }
`;

/** What the machine answers in a child Node, importing `preload` first when given. */
async function runMachine(preload?: string): Promise<string> {
  const args = ['--import', 'tsx', ...(preload ? ['--import', preload] : [])];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...args, '--input-type=module', '-e', SCRIPT],
    { cwd: ROOT },
  );
  return stdout.trim();
}

const major = Number(process.versions.node.split('.')[0]);

describe('aws-local-stepfunctions on this Node', () => {
  it('runs a Task with local/polyfills.ts loaded first', async () => {
    expect(await runMachine('./local/polyfills.ts')).toBe('{"doubled":2}');
  });

  it.runIf(major < 22)('fails its Tasks without the polyfill (Promise.withResolvers)', async () => {
    expect(await runMachine()).toMatch(/withResolvers is not a function/);
  });
});

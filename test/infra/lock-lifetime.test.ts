import { describe, expect, it } from 'vitest';
import { LOCK_TTL_MARGIN_SECONDS, lockTtlSeconds } from '../../services/core/lock-lifetime.ts';
import { WORKER_STEPS } from '../../services/core/steps.ts';
import { loadTriggerConfig } from '../../services/triggers/config.ts';
import {
  deployLockTtlSeconds,
  readDeployDefinitionText,
} from '../../statemachine/substitutions.ts';
import { fullTemplate } from './support/app.ts';

const definitionTimeout = (JSON.parse(readDeployDefinitionText()) as { TimeoutSeconds: number })
  .TimeoutSeconds;

/** FERRY_LOCK_TTL_SECONDS of every Lambda in the template that has one, by logical id. */
function lockLifetimes(): Record<string, string | undefined> {
  const functions = fullTemplate().findResources('AWS::Lambda::Function');
  return Object.fromEntries(
    Object.entries(functions)
      .filter(([, r]) => r.Properties?.Environment?.Variables?.FERRY_TABLE_NAME)
      .map(([id, r]) => [id, r.Properties.Environment.Variables.FERRY_LOCK_TTL_SECONDS]),
  );
}

describe('Rule: the function lock lives as long as the workflow, everywhere', () => {
  it('derives the lifetime from the definition: its TimeoutSeconds plus the margin', () => {
    expect(deployLockTtlSeconds()).toBe(definitionTimeout + LOCK_TTL_MARGIN_SECONDS);
    expect(deployLockTtlSeconds(JSON.stringify({ TimeoutSeconds: 100 }))).toBe(
      100 + LOCK_TTL_MARGIN_SECONDS,
    );
    expect(() => deployLockTtlSeconds('{}')).toThrow(/TimeoutSeconds/);
    expect(() => lockTtlSeconds(0)).toThrow(/positive integer/);
  });

  it('gives the API, the ECR trigger and every worker the same lifetime', () => {
    const lifetimes = lockLifetimes();
    const ids = Object.keys(lifetimes);
    // Every Lambda that reads the store takes or checks the lock: the API, the trigger, the workers.
    expect(ids.some((id) => id.startsWith('Api'))).toBe(true);
    expect(ids.some((id) => id.startsWith('EcrTrigger'))).toBe(true);
    expect(ids.filter((id) => id.startsWith('Workers'))).toHaveLength(WORKER_STEPS.length);
    for (const id of ids) expect([id, lifetimes[id]]).toEqual([id, String(deployLockTtlSeconds())]);
  });

  it('lets no Lambda fall back to a lifetime of its own', () => {
    expect(() =>
      loadTriggerConfig({
        FERRY_TABLE_NAME: 't',
        FERRY_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:ferry',
      }),
    ).toThrow(/FERRY_LOCK_TTL_SECONDS.*redeploy/);
  });
});

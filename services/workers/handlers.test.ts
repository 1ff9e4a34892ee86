/**
 * Every worker's Lambda handler is the thin binding its core expects: it exists, validates its
 * event before touching AWS, and fails at cold start naming missing configuration.
 */
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../test/support/lambda-context.ts';
import { WORKER_STEPS, workerFolder } from '../core/steps.ts';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

describe('Worker handlers', () => {
  it.each(WORKER_STEPS)(
    '%s exports a handler that rejects an invalid event with InvalidRequestError',
    async (step) => {
      const module = (await import(`./${workerFolder(step)}/handler.ts`)) as {
        handler: Handler;
      };
      expect(typeof module.handler).toBe('function');
      await expect(module.handler({ unexpected: true }, lambdaContext())).rejects.toMatchObject({
        name: 'InvalidRequestError',
      });
    },
  );

  it('fails naming the missing configuration when the environment lacks it', async () => {
    const saved = { ...process.env };
    delete process.env.FERRY_TABLE_NAME;
    delete process.env.FERRY_BUILD_REPOSITORY_URI;
    try {
      const { handler } = (await import('./promote/handler.ts')) as {
        handler: Handler;
      };
      const event = {
        deploymentId: 'd-1',
        image: { repository: 'a', digest: `sha256:${'0'.repeat(64)}`, uri: 'x', mediaType: 'm' },
        tags: ['t'],
      };
      await expect(handler(event, lambdaContext())).rejects.toThrow(/FERRY_TABLE_NAME/);
    } finally {
      process.env = saved;
    }
  });
});

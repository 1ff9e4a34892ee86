import { describe, expect, it, vi } from 'vitest';
import { appRef, createWorld } from '../test/workflow/world.ts';
import { type LogStream, localLogger } from './local-logger.ts';

function stream(isTTY: boolean): LogStream & { text: string } {
  return {
    isTTY,
    text: '',
    write(text: string) {
      this.text += text;
    },
  };
}

describe('Function: localLogger', () => {
  it('prints a readable line on a terminal, with the fields of the JSON line', () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T12:00:00.123Z'), toFake: ['Date'] });
    const tty = stream(true);
    const pipe = stream(false);
    for (const out of [tty, pipe]) {
      localLogger(out).warn('step failed', {
        deploymentId: 'd-1',
        message: 'injected throttling at store.get',
        attempt: 2,
      });
    }
    vi.useRealTimers();
    const json = JSON.parse(pipe.text);
    expect(json).toEqual({
      level: 'WARN',
      message: 'step failed',
      timestamp: '2026-11-28T12:00:00.123Z',
      service: 'ferry-local',
      deploymentId: 'd-1',
      data_message: 'injected throttling at store.get',
      attempt: 2,
    });
    expect(tty.text).toBe(
      `2026-11-28T12:00:00.123Z WARN  step failed service=ferry-local deploymentId=d-1 ` +
        'data_message="injected throttling at store.get" attempt=2\n',
    );
  });

  it('prints debug lines only when asked to', () => {
    const quiet = stream(false);
    const verbose = stream(false);
    localLogger(quiet).debug('metric', { metric: 'Deployments' });
    localLogger(verbose, { debug: true }).debug('metric', { metric: 'Deployments' });
    expect(quiet.text).toBe('');
    expect(JSON.parse(verbose.text)).toMatchObject({ level: 'DEBUG', message: 'metric' });
  });

  it("puts the deployment id and step on every line a workflow Task logs, as Lambda's lines carry them", async () => {
    const world = createWorld();
    const out = stream(false);
    const logger = localLogger(out, { debug: true });
    world.pushApp('v2');
    const id = await world.request({ image: appRef('v2') });
    await world.run(id, () => ({ ...world.deps, logger }));
    const lines = out.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.step)).toEqual(expect.arrayContaining(['Prepare', 'Finalize']));
    for (const line of lines)
      expect(line).toMatchObject({ deploymentId: id, step: expect.any(String) });
  });
});

import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from './slash-command.ts';

const ID = 'd-01M8HC7YVQBKF5577ZYS09W285';

describe('Function: parseSlashCommand', () => {
  it('parses every command', () => {
    expect(
      parseSlashCommand(
        'deploy orders 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/orders:v2',
      ),
    ).toEqual({
      kind: 'deploy',
      functionName: 'orders',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/orders:v2',
    });
    expect(parseSlashCommand(`  status   ${ID} `)).toEqual({ kind: 'status', id: ID });
    expect(parseSlashCommand('history orders')).toEqual({
      kind: 'history',
      functionName: 'orders',
    });
    expect(parseSlashCommand('ROLLBACK orders')).toEqual({
      kind: 'rollback',
      functionName: 'orders',
    });
    expect(parseSlashCommand(`approve ${ID}`)).toEqual({ kind: 'approve', id: ID });
    expect(parseSlashCommand(`Abort ${ID}`)).toEqual({ kind: 'abort', id: ID });
    expect(parseSlashCommand('help')).toEqual({ kind: 'help' });
    expect(parseSlashCommand('')).toEqual({ kind: 'help' });
  });

  it('takes a release strategy name for one deployment, and refuses anything else with a message', () => {
    expect(parseSlashCommand('deploy orders team/orders:v2 Canary10Percent5Minutes')).toEqual({
      kind: 'deploy',
      functionName: 'orders',
      image: 'team/orders:v2',
      release: { strategy: 'canary', percent: 10, intervalSeconds: 300 },
    });
    expect(
      parseSlashCommand('deploy orders team/orders:v2 CodeDeployDefault.LambdaAllAtOnce'),
    ).toMatchObject({ release: { strategy: 'all-at-once' } });
    for (const bad of ['Canary99Percent', '{"strategy":"canary"}', 'AllAtOnce;rm']) {
      const parsed = parseSlashCommand(`deploy orders team/orders:v2 ${bad}`);
      expect(parsed.kind, bad).toBe('invalid');
      expect(parsed.kind === 'invalid' && parsed.message, bad).toContain('unknown release');
    }
    expect(parseSlashCommand('deploy orders team/orders:v2 AllAtOnce extra').kind).toBe('invalid');
  });

  it.each([
    ['quotes', 'deploy "orders" team/orders:v2'],
    ['a mention', 'deploy <@U2CERLKJA> team/orders:v2'],
    ['a Slack link', 'deploy orders <https://evil.example|team/orders:v2>'],
    ['shell characters', 'deploy orders team/orders:v2;rm-rf'],
    ['command substitution', 'deploy orders $(curl evil)'],
    ['unicode look-alikes', 'deploy оrders team/orders:v2'],
    ['extra words', 'history orders please'],
    ['a malformed id', 'status d-123'],
    ['an approve without an id', 'approve'],
    ['an abort of a function name', 'abort orders'],
    ['a missing argument', 'deploy orders'],
  ])('refuses %s with a usage message', (_, text) => {
    const parsed = parseSlashCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect((parsed as { message: string }).message).toMatch(/usage|unknown|characters/);
  });

  it('refuses 4 KB+ text and unknown verbs without echoing markup', () => {
    expect(parseSlashCommand(`deploy ${'a'.repeat(4100)}`)).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/over 4000/),
    });
    const unknown = parseSlashCommand('<!channel> boom');
    expect(unknown.kind).toBe('invalid');
    expect((unknown as { message: string }).message).not.toMatch(/[<>]/);
  });
});

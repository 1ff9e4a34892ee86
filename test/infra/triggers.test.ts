import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFerryConfig } from '../../infra/config.ts';
import { type Cfn, FULL_CONTEXT, ferryStack, fullTemplate } from './support/app.ts';
import { matchEventPattern } from './support/event-pattern.ts';

const VECTOR = new URL('../fixtures/ecr-image-action-push.json', import.meta.url);

/** The ECR push rule's pattern, as synthesized into the template. */
const pushPattern = (template = fullTemplate()) =>
  Object.values(template.findResources('AWS::Events::Rule')).find(
    (r) => r.Properties.EventPattern?.source?.[0] === 'aws.ecr',
  )?.Properties;

describe('Construct: Triggers', () => {
  it('watches successful pushes to the configured repositories, excluding candidate tags', () => {
    expect(pushPattern()?.EventPattern).toEqual({
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Action'],
      detail: {
        'action-type': ['PUSH'],
        result: ['SUCCESS'],
        'repository-name': ['payments-api', 'team/checkout'],
        'image-tag': [{ 'anything-but': { prefix: 'ferry-candidate-' } }],
      },
    });
  });

  it('targets the ECR trigger Lambda, with retries bounded in count and age', () => {
    const targets = pushPattern()?.Targets;
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^EcrTrigger/), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
    });
  });

  it('keeps the rule, without a target, until services/triggers/ecr-handler.ts exists', () => {
    const template = Template.fromStack(
      ferryStack({ ecrTriggerHandlerEntry: '/nonexistent/ecr-handler.ts' }).stack,
    );
    expect(pushPattern(template)?.Targets).toBeUndefined();
  });

  it('creates no rule when no repository is configured', () => {
    const config = parseFerryConfig({ ...FULL_CONTEXT, 'ferry:repositories': [] });
    expect(pushPattern(Template.fromStack(ferryStack({ config }).stack))).toBeUndefined();
  });
});

describe('EventBridge pattern against AWS sample events (real matcher: moto)', () => {
  let sample: Record<string, Cfn>;
  const withDetail = (detail: Record<string, unknown>) => ({
    ...sample,
    detail: { ...sample.detail, ...detail },
  });
  let pattern: unknown;

  beforeAll(() => {
    sample = JSON.parse(readFileSync(VECTOR, 'utf8'));
    const config = parseFerryConfig({
      ...FULL_CONTEXT,
      'ferry:repositories': ['my-repository-name'],
    });
    pattern = pushPattern(Template.fromStack(ferryStack({ config }).stack))?.EventPattern;
  });

  it("matches AWS's sample push (digest of 60 hex digits and all)", () => {
    expect(sample.detail['image-digest']).toMatch(/^sha256:[0-9a-f]{60}$/);
    expect(matchEventPattern(pattern, [sample])).toEqual([true]);
  });

  it('matches nothing else: a failed push, a delete, another repository, a candidate tag', () => {
    const events = [
      withDetail({ result: 'FAILURE' }),
      withDetail({ 'action-type': 'DELETE' }),
      withDetail({ 'repository-name': 'another-repository' }),
      withDetail({ 'image-tag': 'ferry-candidate-01JDEPLOYMENT' }),
    ];
    expect(matchEventPattern(pattern, events)).toEqual([false, false, false, false]);
  });

  it("still matches Ferry's other tags and ordinary tags (the trigger decides by rules)", () => {
    const events = [
      withDetail({ 'image-tag': 'v1.2.3' }),
      withDetail({ 'image-tag': 'ferry-release-01J' }),
    ];
    expect(matchEventPattern(pattern, events)).toEqual([true, true]);
  });
});

/**
 * Builds the Ferry stack for template tests: bundling skipped (no esbuild run), the feature
 * flags cdk.json gives the real app, and a full configuration unless a test passes its own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type FerryConfig, type FerryContext, parseFerryConfig } from '../../../infra/config.ts';
import { FerryStack, type FerryStackProps } from '../../../infra/ferry-stack.ts';

const CDK_JSON = fileURLToPath(new URL('../../../cdk.json', import.meta.url));
/** A handler entry that exists, for the API and trigger Lambdas not written yet. */
export const STUB_HANDLER = fileURLToPath(new URL('../fixtures/stub-handler.ts', import.meta.url));

/** cdk.json's context: the feature flags (and the default Ferry settings). */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> })
    .context;
}

/**
 * An app like bin/app.ts's, without bundling. CDK's CloudFormation validation (a WebAssembly
 * rule engine, ~1.2 s per process) runs only where a test asks for it; `npm run synth` and
 * stack.test.ts run it on the real app.
 */
export function testApp(options: { validate?: boolean } = {}): App {
  return new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: options.validate ?? false,
  });
}

/** A configuration using every feature: repositories, tag + prefix opt-in, teams, Slack. */
export const FULL_CONTEXT: FerryContext = {
  'ferry:repositories': ['payments-api', 'team/checkout'],
  'ferry:optInTag': true,
  'ferry:optInNamePrefix': 'prod-',
  'ferry:principalTeams': {
    'arn:aws:sts::123456789012:assumed-role/payments-deployer/*': 'payments',
  },
  'ferry:adminTeam': 'platform',
  'ferry:slack': true,
  'ferry:slackUsers': { U024BE7LH: 'payments' },
  'ferry:candidateExpiryDays': 14,
  'ferry:sourceBuckets': ['ferry-sources'],
};

/** The full configuration, validated. */
export const FULL_CONFIG: FerryConfig = parseFerryConfig(FULL_CONTEXT);

/** Stack options a test may override. */
export type TestStackOptions = Partial<Omit<FerryStackProps, 'config'>> & {
  config?: FerryConfig;
  /** Run CDK's CloudFormation validation at synth. @default false */
  validate?: boolean;
};

/** A Ferry stack in a fresh test app (full config, stub API and trigger entries by default). */
export function ferryStack(options: TestStackOptions = {}): { app: App; stack: FerryStack } {
  const { validate, config, ...props } = options;
  const app = testApp({ validate: validate ?? false });
  const stack = new FerryStack(app, 'Ferry', {
    env: { account: '123456789012', region: 'eu-west-1' },
    apiHandlerEntry: STUB_HANDLER,
    ecrTriggerHandlerEntry: STUB_HANDLER,
    ...props,
    config: config ?? FULL_CONFIG,
  });
  return { app, stack };
}

const cache = new Map<string, Template>();

/** The template of the default full stack (synthesized once per test file). */
export function fullTemplate(): Template {
  let template = cache.get('full');
  if (!template) {
    template = Template.fromStack(ferryStack().stack);
    cache.set('full', template);
  }
  return template;
}

/** A fragment of a synthesized template: untyped CloudFormation JSON, read by assertions. */
// biome-ignore lint/suspicious/noExplicitAny: template JSON has no static type
export type Cfn = any;

/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy` (cdk.json runs `node --import tsx bin/app.ts`).
 * Configuration comes from cdk.json context, validated before anything is built.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FERRY_CONTEXT_KEYS, type FerryContext, parseFerryConfig } from '../infra/config.ts';
import { FerryStack } from '../infra/ferry-stack.ts';

const app = new App();
const context: Record<string, unknown> = {};
for (const key of FERRY_CONTEXT_KEYS) context[key] = app.node.tryGetContext(key);
const config = parseFerryConfig(context as FerryContext);

new FerryStack(app, 'Ferry', {
  description: 'Ferry: build, scan and deploy container-image Lambda functions',
  // Environment-agnostic unless the CLI knows the account: synth needs no credentials or lookups.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  config,
});
// cdk-nag runs at every synth: an unacknowledged AwsSolutions finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type SlackSecretValue, slackSecretReader } from '../adapters/aws/slack-secret.ts';
import type { AwsRuntime, AwsRuntimeConfig } from './aws-runtime.ts';

/** The keys the Slack secret is found by (the API's slash commands, the notifying workers). */
export interface AwsSlackConfig extends AwsRuntimeConfig {
  readonly FERRY_SLACK_SECRET_ARN?: string;
}

/** Reads the Slack secret (cached; see slackSecretReader). */
export type SlackSecret = () => Promise<SlackSecretValue>;

/** One Secrets Manager client and reader for the runtime, when the stack names a secret. */
function reader(runtime: AwsRuntime<AwsSlackConfig>): SlackSecret | undefined {
  const arn = runtime.config.FERRY_SLACK_SECRET_ARN;
  return arn ? slackSecretReader(new SecretsManagerClient({}), arn) : undefined;
}

/** The Slack secret's reader, one per cold start (its cache with it); undefined when Slack is off. */
export function awsSlackSecret(runtime: AwsRuntime<AwsSlackConfig>): SlackSecret | undefined {
  return runtime.part(reader);
}

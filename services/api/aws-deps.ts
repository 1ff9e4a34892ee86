/** The API's deps on AWS, taken from the AWS runtime's composition root. Only handler.ts imports this. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { AwsTargetReads } from '../adapters/aws/aws-target-reads.ts';
import { CloudWatchFunctionLogs } from '../adapters/aws/cloudwatch-function-logs.ts';
import { CodeBuildBuildLogs } from '../adapters/aws/codebuild-build-logs.ts';
import { DynamoSlackUserLinks } from '../adapters/aws/dynamo-slack-users.ts';
import { LambdaFunctions } from '../adapters/aws/lambda-functions.ts';
import { LambdaGcRunner } from '../adapters/aws/lambda-gc-runner.ts';
import type { DoctorTarget } from '../app/doctor.ts';
import { iamAuthenticator } from '../auth/iam-authenticator.ts';
import { apiDeps } from '../compose/app-deps.ts';
import { awsAppDeps } from '../compose/aws-app-deps.ts';
import { awsCursorKey } from '../compose/aws-cursor-key.ts';
import { type AwsRuntime, awsRuntime } from '../compose/aws-runtime.ts';
import { awsSlackSecret, type SlackSecret } from '../compose/aws-slack-secret.ts';
import { API_LAMBDA, type ApiConfigEnv } from './config.ts';
import type { ApiDeps, SlackChatopsConfig } from './deps.ts';
import { apiTelemetry } from './telemetry.ts';

/** The API's deps from a runtime: the use cases' plus IAM callers, Slack users and slash commands. */
export function apiDepsFrom(runtime: AwsRuntime<ApiConfigEnv>): ApiDeps {
  const { config } = runtime;
  const secret = awsSlackSecret(runtime);
  const app = awsAppDeps(runtime, apiTelemetry.logging.logger);
  const watched = { ...app.config, watchedRepositories: config.FERRY_WATCHED_REPOSITORIES };
  const api = apiDeps(
    { ...app, config: watched },
    {
      authenticator: iamAuthenticator(config.FERRY_PRINCIPAL_TEAMS, config.FERRY_ADMIN_TEAM),
      slackUsers: new DynamoSlackUserLinks(runtime.dynamo, config.FERRY_TABLE_NAME),
      functionLogs: runtime.part(cloudWatchLogs),
      buildLogs: runtime.part(codeBuildLogs),
      doctor: runtime.part(doctorTarget),
      ...(config.FERRY_PUBLIC_BASE_URL ? { publicBaseUrl: config.FERRY_PUBLIC_BASE_URL } : {}),
      ...(secret ? { slack: slackChatops(secret, config.FERRY_SLACK_USERS) } : {}),
    },
  );
  const gcFunction = config.FERRY_GC_FUNCTION_NAME;
  return gcFunction ? { ...api, gc: new LambdaGcRunner(new LambdaClient({}), gcFunction) } : api;
}

/** What target functions printed: their Lambda log groups. */
function cloudWatchLogs(runtime: AwsRuntime<ApiConfigEnv>): CloudWatchFunctionLogs {
  return new CloudWatchFunctionLogs(new CloudWatchLogsClient({}), runtime.clock);
}

/** Source builds' logs: CodeBuild names each build's CloudWatch Logs stream. */
function codeBuildLogs(): CodeBuildBuildLogs {
  return new CodeBuildBuildLogs(new CodeBuildClient({}), new CloudWatchLogsClient({}));
}

/** What `ferry doctor` reads: target functions (scoped to opted-in ones by IAM), tags, repository policies. */
function doctorTarget(runtime: AwsRuntime<ApiConfigEnv>): DoctorTarget {
  const lambda = new LambdaClient({});
  return {
    functions: new LambdaFunctions(lambda),
    target: new AwsTargetReads(lambda, new ECRClient({})),
    optIn: runtime.config.FERRY_OPT_IN,
    ...(runtime.config.FERRY_BUILD_REPOSITORY_NAME
      ? { buildRepository: runtime.config.FERRY_BUILD_REPOSITORY_NAME }
      : {}),
  };
}

/** Builds the API's deps from the environment the stack sets (once per cold start: see handler.ts). */
export function awsApiDeps(env: Record<string, string | undefined> = process.env): ApiDeps {
  return apiDepsFrom(awsRuntime(API_LAMBDA, env, { cursorKey: awsCursorKey }));
}

/** Slash commands on AWS: the signing secret from the Slack secret (re-read after rotation). */
function slackChatops(secret: SlackSecret, users: Record<string, string>): SlackChatopsConfig {
  return {
    users,
    signingSecret: async () => {
      const { signingSecret } = await secret();
      if (!signingSecret) throw new Error('the Slack secret has no signingSecret yet');
      return signingSecret;
    },
  };
}

import { z } from 'zod';
import { SLACK_USER_ID } from '../chatops/slack-user-id.ts';
import { parseStackConfig, stackKeys, stackLambda } from '../core/stack-config.ts';

const principalTeams = z
  .string()
  .default('{}')
  .transform((text, ctx) => {
    try {
      const parsed = z.record(z.string().min(1), z.string().min(1)).parse(JSON.parse(text));
      return Object.entries(parsed).map(([pattern, team]) => ({ pattern, team }));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object mapping principal ARN patterns to teams',
      });
      return z.NEVER;
    }
  });

const slackUsers = z
  .string()
  .default('{}')
  .transform((text, ctx) => {
    try {
      return z.record(z.string().regex(SLACK_USER_ID), z.string().min(1)).parse(JSON.parse(text));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object mapping Slack user ids to teams',
      });
      return z.NEVER;
    }
  });

const watchedRepositories = z
  .string()
  .default('[]')
  .transform((text, ctx) => {
    try {
      return z.array(z.string().min(1)).parse(JSON.parse(text));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of repository names' });
      return z.NEVER;
    }
  });

// The stack's defaults (infra/config.ts): tag opt-in on, no name prefix.
const optIn = z
  .string()
  .default('{"tag":true,"namePrefix":null}')
  .transform((text, ctx) => {
    try {
      return z
        .strictObject({ tag: z.boolean(), namePrefix: z.string().min(1).nullable() })
        .parse(JSON.parse(text));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object {"tag": true|false, "namePrefix": "<prefix>"|null}',
      });
      return z.NEVER;
    }
  });

const apiConfigSchema = z.object({
  FERRY_TABLE_NAME: stackKeys.FERRY_TABLE_NAME,
  FERRY_STATE_MACHINE_ARN: stackKeys.FERRY_STATE_MACHINE_ARN,
  FERRY_ADMIN_TEAM: stackKeys.FERRY_ADMIN_TEAM,
  FERRY_PRINCIPAL_TEAMS: principalTeams,
  /** The secret holding the key that signs pagination cursors (read at run time, cached). */
  FERRY_CURSOR_SECRET_ARN: z.string().startsWith('arn:'),
  FERRY_LOCK_TTL_SECONDS: stackKeys.FERRY_LOCK_TTL_SECONDS,
  FERRY_PUBLIC_BASE_URL: stackKeys.FERRY_PUBLIC_BASE_URL,
  /** Set, the slash-command route is on. */
  FERRY_SLACK_SECRET_ARN: stackKeys.FERRY_SLACK_SECRET_ARN,
  /** Slack user id → team, for slash commands. */
  FERRY_SLACK_USERS: slackUsers,
  /** The repositories the stack's ECR push rule watches: rules for others would never fire. */
  FERRY_WATCHED_REPOSITORIES: watchedRepositories,
  /** Which functions the stack lets Ferry touch (`ferry doctor` checks a function has it). */
  FERRY_OPT_IN: optIn,
  /** Ferry's build repository (its images are Ferry's own). */
  FERRY_BUILD_REPOSITORY_NAME: z.string().min(1).optional(),
  /** The gc Lambda `POST /v1/gc` invokes; unset, that route answers 404. */
  FERRY_GC_FUNCTION_NAME: z.string().min(1).optional(),
});

/** The API Lambda: the keys the CDK stack sets on it. */
export const API_LAMBDA = stackLambda('API', apiConfigSchema);

/** The API Lambda's configuration (set by the CDK stack). */
export type ApiConfigEnv = z.output<typeof apiConfigSchema>;

/** Reads and validates the API's configuration; fails naming every missing or invalid key. Pure. */
export function loadApiConfig(env: Record<string, string | undefined>): ApiConfigEnv {
  return parseStackConfig(API_LAMBDA, env);
}

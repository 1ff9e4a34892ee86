import { z } from 'zod';
import { SLACK_USER_ID } from '../chatops/slack-user-id.ts';

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

const apiConfigSchema = z.object({
  FERRY_TABLE_NAME: z.string().min(1),
  FERRY_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  FERRY_ADMIN_TEAM: z.string().min(1).default('platform'),
  FERRY_PRINCIPAL_TEAMS: principalTeams,
  FERRY_CURSOR_SECRET: z.string().min(16),
  FERRY_LOCK_TTL_SECONDS: z.coerce.number().int().min(60),
  /** Makes response links absolute (the API Gateway URL); unset, links are paths. */
  FERRY_PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The Slack secret (`{"signingSecret", "webhooks"}`); set, the slash-command route is on. */
  FERRY_SLACK_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** Slack user id → team, for slash commands. */
  FERRY_SLACK_USERS: slackUsers,
});

/** The API Lambda's configuration (set by the CDK stack). */
export type ApiConfigEnv = z.output<typeof apiConfigSchema>;

/** Reads and validates the API's configuration; fails naming every missing or invalid key. Pure. */
export function loadApiConfig(env: Record<string, string | undefined>): ApiConfigEnv {
  const parsed = apiConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(
    `invalid Ferry API configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ')}`,
  );
}

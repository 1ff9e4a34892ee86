/**
 * The environment keys more than one Ferry Lambda reads, each defined once so every Lambda reads
 * it alike, and the one way a Lambda's configuration is parsed: at cold start, failing with every
 * bad key named. The CDK stack sets these keys; a Lambda never falls back to a value of its own
 * for one the stack derives (the lock lifetime comes from the workflow's timeout).
 */
import { type ZodObject, z } from 'zod';

/** The schema of each key that the API, the ECR trigger and the workers share. */
export const stackKeys = {
  FERRY_TABLE_NAME: z.string().min(1),
  FERRY_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  FERRY_ADMIN_TEAM: z.string().min(1).default('platform'),
  FERRY_LOCK_TTL_SECONDS: z.coerce.number().int().min(60),
  /** The API's public URL: absolute links in responses and notifications; unset, links are paths. */
  FERRY_PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The Slack secret (`{"signingSecret", "webhooks"}`); unset, Slack is off. */
  FERRY_SLACK_SECRET_ARN: z.string().startsWith('arn:').optional(),
};

/** One Lambda's configuration: its name in error messages and the keys it reads. */
export interface StackLambda<S extends ZodObject = ZodObject> {
  /** How failures name it (`API`, `ECR trigger`, `worker`). */
  readonly name: string;
  readonly schema: S;
}

/** The parsed configuration of a {@link StackLambda}. */
export type StackConfig<L extends StackLambda> = z.output<L['schema']>;

/** Names a Lambda's configuration schema. */
export function stackLambda<S extends ZodObject>(name: string, schema: S): StackLambda<S> {
  return { name, schema };
}

/**
 * Parses a Lambda's configuration from `env` (pure: pass the environment). Fails naming every
 * missing or invalid key and the fix: the stack sets them all, so redeploying it puts them back.
 */
export function parseStackConfig<L extends StackLambda>(
  lambda: L,
  env: Readonly<Record<string, string | undefined>>,
): StackConfig<L> {
  const parsed = lambda.schema.safeParse(env);
  if (parsed.success) return parsed.data as StackConfig<L>;
  const keys = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.');
    return `${key} (${env[key] === undefined ? 'missing' : issue.message})`;
  });
  throw new Error(
    `invalid Ferry ${lambda.name} configuration: ${keys.join(', ')}; the CDK stack sets these: ` +
      'redeploy it (npx cdk deploy) rather than editing the Lambda’s environment',
  );
}

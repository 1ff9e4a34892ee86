/**
 * The stack's configuration, read from `cdk.json` context (or `-c key=value`) and validated at
 * synth. Pure: `parseFerryConfig` takes the raw context values and either returns a typed config
 * or throws one error listing every problem, each with the value received and the fix.
 */
import { SLACK_USER_ID } from '../services/chatops/slack-user-id.ts';

/** How a Lambda function opts in to being deployed by Ferry. */
export interface OptIn {
  /** Require the tag `ferry:managed=true` on the function. */
  readonly tag: boolean;
  /** Require the function name to start with this prefix; null when not used. */
  readonly namePrefix: string | null;
}

/** The validated configuration. */
export interface FerryConfig {
  /** ECR repositories (names, same account and region) Ferry may read, tag and auto-deploy from. */
  readonly repositories: readonly string[];
  /** Which functions Ferry may touch. When both are set, a function must satisfy both. */
  readonly optIn: OptIn;
  /** Caller principal ARN patterns (`*` wildcards) → the team they act as. */
  readonly principalTeams: Readonly<Record<string, string>>;
  /** The team allowed to manage every function. */
  readonly adminTeam: string;
  /** Whether the Slack chatops route and secret are created. */
  readonly slack: boolean;
  /** Slack user ids → the team they act as in `/ferry` commands. */
  readonly slackUsers: Readonly<Record<string, string>>;
  /** Days after which `ferry-candidate-*` tags expire in the build repository. */
  readonly candidateExpiryDays: number;
  /** S3 buckets that `s3://` build sources may come from (read-only). */
  readonly sourceBuckets: readonly string[];
  /** The scheduled `ferry gc`: on or off, and its policy. */
  readonly gc: {
    readonly schedule: boolean;
    readonly rollbackDepth: number;
    readonly minimumAgeDays: number;
    /** `ferry:gcArchive`: images that go move to ECR's archive storage class instead. */
    readonly imageRemoval: 'delete' | 'archive';
  };
}

/** The context keys the stack reads, all namespaced `ferry:`. */
export const FERRY_CONTEXT_KEYS = [
  'ferry:repositories',
  'ferry:optInTag',
  'ferry:optInNamePrefix',
  'ferry:principalTeams',
  'ferry:adminTeam',
  'ferry:slack',
  'ferry:slackUsers',
  'ferry:candidateExpiryDays',
  'ferry:sourceBuckets',
  'ferry:gcSchedule',
  'ferry:gcRollbackDepth',
  'ferry:gcArchive',
  'ferry:gcMinimumAgeDays',
] as const;

/** Raw context values by key (undefined when unset). */
export type FerryContext = Readonly<Partial<Record<(typeof FERRY_CONTEXT_KEYS)[number], unknown>>>;

/** A configuration that failed validation; `problems` holds one line per bad key. */
export class FerryConfigError extends Error {
  override readonly name = 'FerryConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid Ferry configuration (cdk.json context):\n- ${problems.join('\n- ')}`);
  }
}

// ECR's own repository-name grammar (2–256 characters, lowercase, optional namespaces).
const ECR_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const FUNCTION_PREFIX = /^[A-Za-z0-9_-]{1,60}$/;
const TEAM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// An IAM/STS principal ARN, with `*` allowed anywhere after the service.
const PRINCIPAL_PATTERN =
  /^arn:(aws|aws-cn|aws-us-gov):(iam|sts)::(\d{12}|\*):[A-Za-z0-9+=,.@_/*-]+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const show = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : `${JSON.stringify(value)} (${typeof value})`;

/** Context passed with `-c key=value` arrives as a string: accept JSON text for lists and flags. */
function decode(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (/^[[{]/.test(text) || text === 'true' || text === 'false' || /^\d+$/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return value;
    }
  }
  return value;
}

/** Reads and validates the configuration; throws FerryConfigError naming every problem. */
export function parseFerryConfig(context: FerryContext): FerryConfig {
  const problems: string[] = [];
  const get = (key: keyof FerryContext) => decode(context[key]);

  const names = (key: keyof FerryContext, pattern: RegExp, example: string): string[] => {
    const value = get(key) ?? [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      problems.push(
        `${key} must be a list of names; got ${show(value)}. Fix: "${key}": ${example}`,
      );
      return [];
    }
    for (const name of value as string[]) {
      if (!pattern.test(name))
        problems.push(`${key} has an invalid name ${show(name)}. Fix: use names like ${example}`);
    }
    const duplicates = value.filter((v, i) => value.indexOf(v) !== i);
    if (duplicates.length > 0)
      problems.push(`${key} lists ${show(duplicates[0])} twice. Fix: list each once`);
    return value as string[];
  };

  const flag = (key: keyof FerryContext, fallback: boolean): boolean => {
    const value = get(key) ?? fallback;
    if (typeof value === 'boolean') return value;
    problems.push(`${key} must be true or false; got ${show(value)}. Fix: "${key}": ${fallback}`);
    return fallback;
  };

  const repositories = names('ferry:repositories', ECR_NAME, '["my-service", "team/api"]');
  const sourceBuckets = names('ferry:sourceBuckets', BUCKET, '["my-build-sources"]');
  const tag = flag('ferry:optInTag', true);
  const slack = flag('ferry:slack', false);

  const rawPrefix = get('ferry:optInNamePrefix') ?? null;
  let namePrefix: string | null = null;
  if (rawPrefix !== null && (typeof rawPrefix !== 'string' || !FUNCTION_PREFIX.test(rawPrefix))) {
    problems.push(
      `ferry:optInNamePrefix must be a function-name prefix of letters, digits, - and _ (1–60); got ${show(rawPrefix)}. Fix: "ferry:optInNamePrefix": "prod-" or remove it`,
    );
  } else if (typeof rawPrefix === 'string') {
    namePrefix = rawPrefix;
  }
  if (!tag && namePrefix === null) {
    problems.push(
      'ferry:optInTag is false and ferry:optInNamePrefix is unset, so no function could opt in. Fix: set "ferry:optInTag": true or a "ferry:optInNamePrefix"',
    );
  }

  const adminTeam = get('ferry:adminTeam');
  if (typeof adminTeam !== 'string' || !TEAM.test(adminTeam)) {
    problems.push(
      `ferry:adminTeam must be a team name (letters, digits, . _ -); got ${show(adminTeam)}. Fix: "ferry:adminTeam": "platform"`,
    );
  }

  const principalTeams = readPrincipalTeams(get('ferry:principalTeams') ?? {}, problems);
  const slackUsers = readSlackUsers(get('ferry:slackUsers') ?? {}, problems);

  const days = get('ferry:candidateExpiryDays') ?? 7;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 3650) {
    problems.push(
      `ferry:candidateExpiryDays must be a whole number of days from 1 to 3650; got ${show(days)}. Fix: "ferry:candidateExpiryDays": 7`,
    );
  }

  const whole = (key: keyof FerryContext, fallback: number, max: number): number => {
    const value = get(key) ?? fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max)
      return value;
    problems.push(
      `${key} must be a whole number from 1 to ${max}; got ${show(value)}. Fix: "${key}": ${fallback}`,
    );
    return fallback;
  };
  const gc = {
    schedule: flag('ferry:gcSchedule', true),
    rollbackDepth: whole('ferry:gcRollbackDepth', 3, 100),
    minimumAgeDays: whole('ferry:gcMinimumAgeDays', 7, 3650),
    imageRemoval: flag('ferry:gcArchive', false) ? ('archive' as const) : ('delete' as const),
  };

  if (problems.length > 0) throw new FerryConfigError(problems);
  return {
    repositories,
    optIn: { tag, namePrefix },
    principalTeams,
    adminTeam: adminTeam as string,
    slack,
    slackUsers,
    candidateExpiryDays: days as number,
    sourceBuckets,
    gc,
  };
}

function readSlackUsers(value: unknown, problems: string[]): Record<string, string> {
  const example = '{ "U024BE7LH": "payments" }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(
      `ferry:slackUsers must map Slack user ids to teams; got ${show(value)}. Fix: ${example}`,
    );
    return {};
  }
  const users: Record<string, string> = {};
  for (const [user, team] of Object.entries(value)) {
    if (!SLACK_USER_ID.test(user)) {
      problems.push(
        `ferry:slackUsers key ${show(user)} is not a Slack user id (U… or W…, from the user's profile: Copy member ID). Fix: ${example}`,
      );
    } else if (typeof team !== 'string' || !TEAM.test(team)) {
      problems.push(
        `ferry:slackUsers maps ${user} to ${show(team)}, which is not a team name. Fix: ${example}`,
      );
    } else users[user] = team;
  }
  return users;
}

function readPrincipalTeams(value: unknown, problems: string[]): Record<string, string> {
  const example = '{ "arn:aws:sts::123456789012:assumed-role/payments-deployer/*": "payments" }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(
      `ferry:principalTeams must map principal ARN patterns to teams; got ${show(value)}. Fix: ${example}`,
    );
    return {};
  }
  const teams: Record<string, string> = {};
  for (const [pattern, team] of Object.entries(value)) {
    if (!PRINCIPAL_PATTERN.test(pattern)) {
      problems.push(
        `ferry:principalTeams has an invalid principal pattern ${show(pattern)}. Fix: an IAM or STS ARN, * allowed, e.g. ${example}`,
      );
    } else if (typeof team !== 'string' || !TEAM.test(team)) {
      problems.push(
        `ferry:principalTeams maps ${show(pattern)} to ${show(team)}, not a team name. Fix: letters, digits, . _ -`,
      );
    } else {
      teams[pattern] = team;
    }
  }
  return teams;
}

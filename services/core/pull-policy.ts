/**
 * Whether an ECR repository policy lets Lambda pull images for a function of this account.
 *
 * Lambda fetches a function's image as the service principal `lambda.amazonaws.com`, so the
 * repository policy must allow it `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer`. Lambda
 * writes that statement itself only when the principal creating or updating the function may
 * also call `ecr:GetRepositoryPolicy` and `ecr:SetRepositoryPolicy` on the repository; Ferry's
 * workers may not, so a repository without it fails at Ferry's first UpdateFunctionCode.
 */

/** The two actions Lambda needs on the repository. */
export const LAMBDA_PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

/** The service principal Lambda pulls images as. */
export const LAMBDA_SERVICE_PRINCIPAL = 'lambda.amazonaws.com';

type Json = unknown;

const list = (value: Json): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** True when the action pattern (`ecr:*`, `*`, `ecr:BatchGet*`) covers `action`, case-insensitively. */
function covers(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string') return false;
  const escaped = pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(action.toLowerCase());
}

/** True when the statement names Lambda's service principal (or every principal). */
function namesLambda(principal: Json): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const { Service, AWS } = principal as { Service?: Json; AWS?: Json };
  return list(Service).includes(LAMBDA_SERVICE_PRINCIPAL) || list(AWS).includes('*');
}

/**
 * The pull actions `policy` (a repository policy document) does not allow Lambda: empty when it
 * allows both. A Deny naming Lambda takes an action back; conditions (an `aws:SourceArn` of this
 * account's functions, say) are trusted rather than evaluated. Malformed JSON allows nothing.
 */
export function missingLambdaPull(policy: string): string[] {
  let statements: unknown[];
  try {
    statements = list((JSON.parse(policy) as { Statement?: Json }).Statement);
  } catch {
    return [...LAMBDA_PULL_ACTIONS];
  }
  const allowed = new Set<string>();
  const denied = new Set<string>();
  for (const raw of statements) {
    if (typeof raw !== 'object' || raw === null) continue;
    const s = raw as { Effect?: Json; Principal?: Json; Action?: Json };
    if (!namesLambda(s.Principal)) continue;
    for (const action of LAMBDA_PULL_ACTIONS) {
      if (!list(s.Action).some((pattern) => covers(pattern, action))) continue;
      if (s.Effect === 'Allow') allowed.add(action);
      if (s.Effect === 'Deny') denied.add(action);
    }
  }
  return LAMBDA_PULL_ACTIONS.filter((action) => !allowed.has(action) || denied.has(action));
}

/** The statement to add to a repository policy so Lambda may pull for this account's functions. */
export function lambdaPullStatement(account: string, region: string): Record<string, unknown> {
  return {
    Sid: 'LambdaECRImageRetrievalPolicy',
    Effect: 'Allow',
    Principal: { Service: LAMBDA_SERVICE_PRINCIPAL },
    Action: [...LAMBDA_PULL_ACTIONS],
    Condition: {
      StringLike: { 'aws:sourceArn': `arn:aws:lambda:${region}:${account}:function:*` },
    },
  };
}

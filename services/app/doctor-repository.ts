/** The doctor's image checks: the function's repository is one Ferry uses, and Lambda may pull from it. */
import { AccessDeniedError, NotFoundError } from '../core/errors.ts';
import type { ImageRef } from '../core/image-ref.ts';
import type { TargetReads } from '../core/ports.ts';
import { lambdaPullStatement, missingLambdaPull } from '../core/pull-policy.ts';
import type { DoctorCheck, DoctorDeps } from './doctor.ts';

const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/;

/** The repository is among those whose pushes reach Ferry (every one when none are listed). */
export function repositoryCheck(
  deps: Pick<DoctorDeps, 'watchedRepositories' | 'buildRepository'>,
  repository: string,
): DoctorCheck {
  const watched = deps.watchedRepositories;
  if (repository === deps.buildRepository) {
    return { check: 'repository', ok: true, detail: `${repository} is Ferry's build repository` };
  }
  if (!watched) return { check: 'repository', ok: true, detail: `${repository} (local registry)` };
  if (watched.includes(repository)) {
    return { check: 'repository', ok: true, detail: `${repository} is in "ferry:repositories"` };
  }
  return {
    check: 'repository',
    ok: false,
    detail: `${repository} is not in the stack's "ferry:repositories" (now: ${watched.join(', ') || 'none'})`,
    fix: `add "${repository}" to "ferry:repositories" (cdk.json or --context) and run npx cdk deploy`,
  };
}

/** The repository's policy lets `lambda.amazonaws.com` pull images for this account's functions. */
export async function lambdaPullCheck(
  target: TargetReads | undefined,
  image: ImageRef,
  functionArn: string,
): Promise<DoctorCheck> {
  const check = 'lambda-pull';
  if (!target) return { check, ok: true, detail: 'local registry: not applicable' };
  const host = ECR_HOST.exec(image.registry ?? '');
  const [, region, account] = /^arn:[^:]+:lambda:([^:]+):(\d{12}):/.exec(functionArn) ?? [];
  if (!host || !account || !region) {
    return {
      check,
      ok: false,
      detail: `${image.registry ?? image.repository} is not an Amazon ECR registry`,
      fix: "push the image to an Amazon ECR repository of the function's account and region: Lambda runs images from ECR only",
    };
  }
  if (host[1] !== account || host[2] !== region) {
    return {
      check,
      ok: false,
      detail: `the image is in account ${host[1]} (${host[2]}), the function in ${account} (${region})`,
      fix: `push the image to a repository of account ${account} in ${region}: Ferry reads and retags repositories of its own account and region only`,
    };
  }
  const policy = await target.repositoryPolicy(image.repository).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    if (error instanceof AccessDeniedError) return 'denied' as const;
    throw error;
  });
  if (policy === 'denied') {
    return {
      check,
      ok: false,
      detail: `Ferry may not read ${image.repository}'s policy`,
      fix: `add "${image.repository}" to "ferry:repositories" (cdk.json or --context) and run npx cdk deploy`,
    };
  }
  if (policy === undefined) {
    return {
      check,
      ok: false,
      detail: `no ECR repository ${image.repository} in ${account} (${region})`,
      fix: `aws ecr create-repository --repository-name ${image.repository}, then push the image to it`,
    };
  }
  const missing =
    policy === null
      ? ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']
      : missingLambdaPull(policy);
  if (missing.length === 0) {
    return {
      check,
      ok: true,
      detail: `${image.repository}'s policy lets lambda.amazonaws.com pull`,
    };
  }
  const statement = JSON.stringify({
    Version: '2012-10-17',
    Statement: [lambdaPullStatement(account, region)],
  });
  return {
    check,
    ok: false,
    detail:
      policy === null
        ? `${image.repository} has no repository policy, so Lambda may not pull from it (${missing.join(', ')})`
        : `${image.repository}'s policy does not allow lambda.amazonaws.com ${missing.join(', ')}`,
    fix: `${policy === null ? '' : 'add this statement to the policy, or (no other statements) '}aws ecr set-repository-policy --repository-name ${image.repository} --policy-text '${statement}'`,
  };
}

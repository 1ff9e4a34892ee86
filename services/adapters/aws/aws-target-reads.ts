/**
 * The TargetReads port on AWS: a function's tags (Lambda ListTags) and a repository's policy
 * (ECR GetRepositoryPolicy), for `ferry doctor`.
 */
import { type ECRClient, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { type LambdaClient, ListTagsCommand } from '@aws-sdk/client-lambda';
import type { TargetReads } from '../../core/ports.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';

/** Tags and repository policies read with the caller's Lambda and ECR clients. */
export class AwsTargetReads implements TargetReads {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly ecr: ECRClient,
  ) {}

  async tagsOf(functionArn: string): Promise<Readonly<Record<string, string>>> {
    const out = await this.lambda
      .send(new ListTagsCommand({ Resource: functionArn }))
      .catch((error: unknown) => {
        throw toFerryError(error, `lambda:ListTags ${functionArn}`);
      });
    return { ...(out.Tags ?? {}) };
  }

  async repositoryPolicy(repository: string): Promise<string | null> {
    try {
      const out = await this.ecr.send(
        new GetRepositoryPolicyCommand({ repositoryName: repository }),
      );
      return out.policyText ?? null;
    } catch (error) {
      // A repository without a policy is an answer, not a failure; a missing repository is NotFound.
      if (isAwsErrorNamed(error, 'RepositoryPolicyNotFoundException')) return null;
      throw toFerryError(error, `ecr:GetRepositoryPolicy ${repository}`);
    }
  }
}

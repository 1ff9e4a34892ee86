import { NotFoundError } from '../../services/core/errors.ts';
import type { TargetReads } from '../../services/core/ports.ts';

/** In-memory tags by function ARN and policies by repository (null: a repository without one). */
export class FakeTargetReads implements TargetReads {
  readonly tags = new Map<string, Record<string, string>>();
  readonly policies = new Map<string, string | null>();

  async tagsOf(functionArn: string): Promise<Readonly<Record<string, string>>> {
    const tags = this.tags.get(functionArn);
    if (!tags) throw new NotFoundError(`no function ${functionArn}`);
    return { ...tags };
  }

  async repositoryPolicy(repository: string): Promise<string | null> {
    const policy = this.policies.get(repository);
    if (policy === undefined) throw new NotFoundError(`no repository ${repository}`);
    return policy;
  }
}

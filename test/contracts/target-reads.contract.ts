/**
 * The TargetReads port as every implementation must behave: the fake the doctor's tests use and
 * the AWS adapter on moto's Lambda and ECR.
 */
import { describe, expect, it } from 'vitest';
import type { TargetReads } from '../../services/core/ports.ts';

/** A fresh account: one tagged function, a repository with a policy and one without. */
export interface TargetReadsSubject {
  readonly reads: TargetReads;
  /** A function tagged `ferry:managed=true` and `team=payments`. */
  readonly taggedArn: string;
  /** A function ARN no function has. */
  readonly absentArn: string;
  /** A repository whose policy is `policy`. */
  readonly withPolicy: string;
  readonly policy: string;
  /** A repository without a policy. */
  readonly withoutPolicy: string;
}

/** One implementation of the port under the contract. */
export interface TargetReadsImplementation {
  readonly name: string;
  make(): Promise<TargetReadsSubject>;
}

/** Registers the contract for one implementation. */
export function describeTargetReadsContract(implementation: TargetReadsImplementation): void {
  describe(`TargetReads contract: ${implementation.name}`, () => {
    it("reads a function's tags", async () => {
      const { reads, taggedArn } = await implementation.make();
      expect(await reads.tagsOf(taggedArn)).toEqual({ 'ferry:managed': 'true', team: 'payments' });
    });

    it('throws NotFoundError for the tags of a function that does not exist', async () => {
      const { reads, absentArn } = await implementation.make();
      await expect(reads.tagsOf(absentArn)).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it("reads a repository's policy, and null for a repository without one", async () => {
      const { reads, withPolicy, policy, withoutPolicy } = await implementation.make();
      expect(JSON.parse((await reads.repositoryPolicy(withPolicy)) ?? 'null')).toEqual(
        JSON.parse(policy),
      );
      expect(await reads.repositoryPolicy(withoutPolicy)).toBeNull();
    });

    it('throws NotFoundError for the policy of a repository that does not exist', async () => {
      const { reads } = await implementation.make();
      await expect(reads.repositoryPolicy('team/absent')).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });
  });
}

/** The TargetReads contract against the in-memory fake and the AWS adapter on moto. */
import {
  CreateRepositoryCommand,
  ECRClient,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe } from 'vitest';
import { AwsTargetReads } from '../../services/adapters/aws/aws-target-reads.ts';
import { lambdaPullStatement } from '../../services/core/pull-policy.ts';
import { FakeTargetReads } from '../fakes/fake-target-reads.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { createMotoRole } from '../support/moto-aws.ts';
import { describeTargetReadsContract } from './target-reads.contract.ts';

const ACCOUNT = '123456789012';
const arnOf = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [lambdaPullStatement(ACCOUNT, 'us-east-1')],
});
const TAGS = { 'ferry:managed': 'true', team: 'payments' };
let made = 0;

describe('fake', () => {
  describeTargetReadsContract({
    name: 'fake',
    make: async () => {
      const reads = new FakeTargetReads();
      const n = ++made;
      reads.tags.set(arnOf(`tagged-${n}`), { ...TAGS });
      reads.policies.set(`team/with-${n}`, POLICY);
      reads.policies.set(`team/without-${n}`, null);
      return {
        reads,
        taggedArn: arnOf(`tagged-${n}`),
        absentArn: arnOf(`absent-${n}`),
        withPolicy: `team/with-${n}`,
        policy: POLICY,
        withoutPolicy: `team/without-${n}`,
      };
    },
  });
});

describe('moto', () => {
  let moto: MotoServer;
  let lambda: LambdaClient;
  let ecr: ECRClient;
  let roleArn: string;
  beforeAll(async () => {
    moto = await startMotoServer();
    lambda = new LambdaClient(motoClientConfig(moto.endpoint));
    ecr = new ECRClient(motoClientConfig(moto.endpoint));
    roleArn = await createMotoRole(moto.endpoint, 'target-reads-contract');
  });
  afterAll(async () => {
    lambda?.destroy();
    ecr?.destroy();
    await moto?.close();
  });
  describeTargetReadsContract({
    name: 'moto',
    make: async () => {
      const n = ++made;
      const created = await lambda.send(
        new CreateFunctionCommand({
          FunctionName: `tagged-${n}`,
          PackageType: 'Image',
          Code: {
            ImageUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/team/app@sha256:${'a'.repeat(64)}`,
          },
          Role: roleArn,
          Tags: TAGS,
        }),
      );
      await ecr.send(new CreateRepositoryCommand({ repositoryName: `team/with-${n}` }));
      await ecr.send(
        new SetRepositoryPolicyCommand({ repositoryName: `team/with-${n}`, policyText: POLICY }),
      );
      await ecr.send(new CreateRepositoryCommand({ repositoryName: `team/without-${n}` }));
      return {
        reads: new AwsTargetReads(lambda, ecr),
        taggedArn: created.FunctionArn ?? arnOf(`tagged-${n}`),
        absentArn: arnOf(`absent-${n}`),
        withPolicy: `team/with-${n}`,
        policy: POLICY,
        withoutPolicy: `team/without-${n}`,
      };
    },
  });
});

/**
 * Lambda on moto's server for the Functions contract: an execution role (moto checks that a
 * function's role exists in its IAM) and image functions with published versions. moto stubs
 * ECR, so any pinned image URI will do; it cannot invoke an image function.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  type LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { signedMotoPost } from './moto-signed.ts';

/**
 * Creates an IAM role on moto and returns its ARN. One signed Query request rather than an IAM
 * client: Ferry has no other use for one.
 */
export async function createMotoRole(endpoint: string, roleName: string): Promise<string> {
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
  }).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const { ok, status, text } = await signedMotoPost(endpoint, 'iam', headers, body);
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (!ok || !arn) throw new Error(`moto CreateRole ${roleName}: ${status} ${text}`);
  return arn;
}

/**
 * An image function whose versions 1..`versions` each run another (stub) image, with `alias`
 * on version 1.
 */
export async function createMotoImageFunction(
  client: LambdaClient,
  options: { name: string; roleArn: string; versions: number; alias: string },
): Promise<void> {
  const { name, roleArn, versions, alias } = options;
  const image = (n: number) =>
    `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}@sha256:${n.toString(16).repeat(64)}`;
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      PackageType: 'Image',
      Code: { ImageUri: image(1) },
      Role: roleArn,
      Publish: true,
    }),
  );
  for (let n = 2; n <= versions; n++) {
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ImageUri: image(n) }));
    await client.send(new PublishVersionCommand({ FunctionName: name }));
  }
  await client.send(
    new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: '1' }),
  );
}

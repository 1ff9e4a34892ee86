import { beforeEach, describe, expect, it } from 'vitest';
import { FakeFunctions } from '../../test/fakes/fake-functions.ts';
import { FakeTargetReads } from '../../test/fakes/fake-target-reads.ts';
import { MemoryStore } from '../../test/fakes/memory-store.ts';
import { AccessDeniedError } from '../core/errors.ts';
import { lambdaPullStatement } from '../core/pull-policy.ts';
import { parseFunctionSettings } from '../core/settings.ts';
import type { Caller } from './caller.ts';
import { type DoctorCheck, type DoctorDeps, doctor } from './doctor.ts';

const ACCOUNT = '123456789012';
const REPO = 'team/orders';
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${REPO}@sha256:${'a'.repeat(64)}`;
const ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`;
const owner: Caller = { principal: 'arn:aws:iam::1:role/pay', team: 'payments', admin: false };
const other: Caller = { principal: 'arn:aws:iam::1:role/search', team: 'search', admin: false };
const GOOD_POLICY = JSON.stringify({ Statement: [lambdaPullStatement(ACCOUNT, 'us-east-1')] });

let store: MemoryStore;
let functions: FakeFunctions;
let target: FakeTargetReads;
let deps: DoctorDeps;

beforeEach(async () => {
  // Prepare: a first deployment's every need met on "AWS".
  store = new MemoryStore();
  await store.putSettings('orders', parseFunctionSettings({ team: 'payments', alias: 'live' }));
  functions = new FakeFunctions();
  functions.createFunction('orders', IMAGE, { alias: null });
  target = new FakeTargetReads();
  target.tags.set(ARN, { 'ferry:managed': 'true' });
  target.policies.set(REPO, GOOD_POLICY);
  deps = {
    store,
    functions,
    target,
    optIn: { tag: true, namePrefix: null },
    watchedRepositories: [REPO],
    slack: { signingSecret: async () => 'signing' },
  };
});

const byName = (checks: DoctorCheck[], name: string) => checks.find((c) => c.check === name);

describe('doctor', () => {
  it('passes every check of a function ready for its first deployment', async () => {
    const checks = await doctor(deps, owner, 'orders');
    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      ['slack', true],
      ['registered', true],
      ['exists', true],
      ['package-type', true],
      ['architecture', true],
      ['opt-in', true],
      ['alias', true],
      ['repository', true],
      ['lambda-pull', true],
    ]);
    expect(byName(checks, 'alias')?.detail).toMatch(
      /does not exist yet: the first deployment creates it/,
    );
    expect(byName(checks, 'architecture')?.detail).toBe('x86_64: build images for linux/amd64');
    expect(checks.every((c) => c.fix === undefined)).toBe(true);
  });

  it('checks only Slack without a function', async () => {
    expect(await doctor(deps, other)).toEqual([
      { check: 'slack', ok: true, detail: 'the Slack secret has a signing secret' },
    ]);
  });

  it('fails Slack when its secret has no signing secret, saying where to put it', async () => {
    const checks = await doctor(
      {
        ...deps,
        slack: {
          signingSecret: async () => {
            throw new Error('no signingSecret');
          },
        },
      },
      owner,
    );
    expect(checks[0]).toMatchObject({
      check: 'slack',
      ok: false,
      detail: 'Slack is on but its signing secret cannot be had (no signingSecret)',
    });
    expect(checks[0]?.fix).toMatch(/aws secretsmanager put-secret-value .*signingSecret/);
  });

  it('fails an unregistered function with how to register it, and reads nothing else', async () => {
    const checks = await doctor(deps, other, 'fresh');
    expect(checks.at(-1)).toMatchObject({ check: 'registered', ok: false });
    expect(checks.at(-1)?.fix).toMatch(/PUT \/v1\/functions\/fresh/);
    expect(checks).toHaveLength(2);
  });

  it("refuses another team's function (AccessDeniedError)", async () => {
    await expect(doctor(deps, other, 'orders')).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('fails a registered function that Lambda does not have, with how to create it', async () => {
    await store.putSettings('ghost', parseFunctionSettings({ team: 'payments' }));
    const checks = await doctor(deps, owner, 'ghost');
    expect(checks.at(-1)).toMatchObject({ check: 'exists', ok: false });
    expect(checks.at(-1)?.fix).toMatch(
      /aws lambda create-function --function-name ghost --package-type Image/,
    );
  });

  it('fails a function Ferry may not read (IAM denies it) with how to opt it in', async () => {
    const denied = {
      ...functions,
      getFunction: async () => {
        throw new AccessDeniedError('not authorized to perform lambda:GetFunction');
      },
      getAlias: functions.getAlias.bind(functions),
    };
    const checks = await doctor({ ...deps, functions: denied }, owner, 'orders');
    expect(checks.at(-1)).toMatchObject({ check: 'exists', ok: false });
    expect(checks.at(-1)?.fix).toMatch(/aws lambda tag-resource .* --tags ferry:managed=true/);
  });

  it('fails a Zip function: its package type cannot change', async () => {
    functions.createFunction('orders', IMAGE, { packageType: 'Zip' });
    const checks = await doctor(deps, owner, 'orders');
    expect(checks.at(-1)).toMatchObject({ check: 'package-type', ok: false });
    expect(checks.at(-1)?.fix).toMatch(/create orders again with --package-type Image/);
  });

  it('names the platform to build for an arm64 function', async () => {
    functions.createFunction('orders', IMAGE, { architecture: 'arm64' });
    const checks = await doctor(deps, owner, 'orders');
    expect(byName(checks, 'architecture')?.detail).toBe('arm64: build images for linux/arm64');
  });

  it('fails a function without the opt-in tag, with the tag command', async () => {
    target.tags.set(ARN, { team: 'payments' });
    const check = byName(await doctor(deps, owner, 'orders'), 'opt-in');
    expect(check).toMatchObject({ ok: false, detail: 'orders is not tagged ferry:managed=true' });
    expect(check?.fix).toMatch(/--tags ferry:managed=true/);
  });

  it('fails a function outside the name prefix, and passes one inside it', async () => {
    const prefixed = { ...deps, optIn: { tag: false, namePrefix: 'prod-' } };
    const outside = byName(await doctor(prefixed, owner, 'orders'), 'opt-in');
    expect(outside).toMatchObject({ ok: false, detail: 'orders does not start with "prod-"' });
    expect(outside?.fix).toMatch(/functions named prod-\* only/);
    expect(outside?.fix).not.toMatch(/tag-resource/);
    const inside = byName(
      await doctor({ ...prefixed, optIn: { tag: false, namePrefix: 'ord' } }, owner, 'orders'),
      'opt-in',
    );
    expect(inside).toMatchObject({ ok: true, detail: 'named ord*' });
  });

  it('reports an existing alias and the version it serves', async () => {
    await functions.setAlias('orders', 'live', '1');
    const check = byName(await doctor(deps, owner, 'orders'), 'alias');
    expect(check).toMatchObject({ ok: true, detail: 'alias live serves version 1' });
  });

  it("fails an image whose repository is not in the stack's repositories", async () => {
    const checks = await doctor({ ...deps, watchedRepositories: ['team/other'] }, owner, 'orders');
    const check = byName(checks, 'repository');
    expect(check).toMatchObject({ ok: false });
    expect(check?.fix).toBe(
      'add "team/orders" to "ferry:repositories" (cdk.json or --context) and run npx cdk deploy',
    );
    expect(byName(checks, 'lambda-pull')).toBeUndefined();
  });

  it('fails a repository without a policy, with the set-repository-policy command', async () => {
    target.policies.set(REPO, null);
    const check = byName(await doctor(deps, owner, 'orders'), 'lambda-pull');
    expect(check).toMatchObject({ ok: false });
    expect(check?.detail).toMatch(/has no repository policy/);
    expect(check?.fix).toMatch(
      /^aws ecr set-repository-policy --repository-name team\/orders --policy-text '/,
    );
    expect(check?.fix).toContain('"Service":"lambda.amazonaws.com"');
  });

  it("fails a policy that does not allow Lambda's pull, naming the missing action", async () => {
    const partial = {
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'ecr:BatchGetImage',
    };
    target.policies.set(REPO, JSON.stringify({ Statement: [partial] }));
    const check = byName(await doctor(deps, owner, 'orders'), 'lambda-pull');
    expect(check?.detail).toMatch(/does not allow lambda.amazonaws.com ecr:GetDownloadUrlForLayer/);
    expect(check?.fix).toMatch(/^add this statement to the policy/);
  });

  it('says to list the repository when Ferry may not read its policy', async () => {
    const denying = {
      ...target,
      tagsOf: target.tagsOf.bind(target),
      repositoryPolicy: async () => {
        throw new AccessDeniedError('not authorized to perform ecr:GetRepositoryPolicy');
      },
    };
    const check = byName(
      await doctor({ ...deps, target: denying }, owner, 'orders'),
      'lambda-pull',
    );
    expect(check).toMatchObject({ ok: false, detail: "Ferry may not read team/orders's policy" });
    expect(check?.fix).toMatch(/add "team\/orders" to "ferry:repositories"/);
  });

  it("counts an image from Ferry's build repository as Ferry's own", async () => {
    functions.createFunction('orders', IMAGE.replace(REPO, 'ferry-builds'));
    target.policies.set('ferry-builds', GOOD_POLICY);
    const checks = await doctor({ ...deps, buildRepository: 'ferry-builds' }, owner, 'orders');
    expect(byName(checks, 'repository')).toMatchObject({
      ok: true,
      detail: "ferry-builds is Ferry's build repository",
    });
    expect(byName(checks, 'lambda-pull')).toMatchObject({ ok: true });
  });

  it("fails an image in another account's registry", async () => {
    functions.createFunction('orders', IMAGE.replace(ACCOUNT, '210987654321'));
    const check = byName(await doctor(deps, owner, 'orders'), 'lambda-pull');
    expect(check).toMatchObject({ ok: false });
    expect(check?.fix).toMatch(
      /push the image to a repository of account 123456789012 in us-east-1/,
    );
  });

  it('says what does not apply in local mode', async () => {
    functions.createFunction('orders', `127.0.0.1:5000/${REPO}@sha256:${'a'.repeat(64)}`);
    const local: DoctorDeps = { store, functions };
    const checks = await doctor(local, owner, 'orders');
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(byName(checks, 'opt-in')?.detail).toMatch(/^local mode/);
    expect(byName(checks, 'lambda-pull')?.detail).toBe('local registry: not applicable');
    expect(byName(checks, 'slack')?.detail).toBe('Slack is off');
  });
});

/**
 * A deterministic account for the gc bench: repositories of images and image functions with
 * versions, aliases and provisioned concurrency, answered to the ECR and Lambda SDK clients by a
 * middleware, page by page as the services page (DescribeImages up to 1000 a page with
 * nextToken; the Lambda lists up to 50 with Marker). Every call is counted by command.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Deployment } from '../services/core/deployment.ts';

export const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const OLD = '2026-01-01T00:00:00.000Z';
/** Images a function has released, and how many of them are still published versions. */
const RELEASES = 20;
const PUBLISHED = 10;

const hex = (n: number) => n.toString(16).padStart(64, '0');

/** The shape of the account. */
export interface StandInWorld {
  readonly repositories: readonly string[];
  readonly imagesPerRepository: number;
  readonly functions: readonly string[];
  /** Calls answered, by command name. */
  readonly calls: Map<string, number>;
  /** Each function's deployment history (one SUCCEEDED release per released image). */
  deploymentsOf(fn: string): Deployment[];
}

/** `functionCount` functions over `repositoryCount` repositories of `imageCount` images in all. */
export function standInWorld(
  imageCount: number,
  repositoryCount: number,
  functionCount: number,
): StandInWorld {
  const repositories = Array.from({ length: repositoryCount }, (_, r) => `team/app-${r}`);
  const functions = Array.from({ length: functionCount }, (_, k) => `fn-${k}`);
  return {
    repositories,
    imagesPerRepository: Math.floor(imageCount / repositoryCount),
    functions,
    calls: new Map(),
    deploymentsOf: (fn) => {
      const k = Number(fn.slice(3));
      return Array.from({ length: RELEASES }, (_, j) => {
        const { repository, n } = imageOfFunction(k, j, repositoryCount);
        const at = new Date(Date.parse(OLD) + j * 60_000).toISOString();
        return {
          id: `d-${fn}-${j}`,
          functionName: fn,
          status: 'SUCCEEDED',
          createdAt: at,
          updatedAt: at,
          endedAt: at,
          trigger: { kind: 'api' },
          request: { image: `${HOST}/${repository}@sha256:${hex(n)}` },
          steps: [],
          release: {
            version: j < RELEASES - PUBLISHED ? null : String(j - (RELEASES - PUBLISHED) + 1),
            digest: `sha256:${hex(n)}`,
            imageUri: `${HOST}/${repository}@sha256:${hex(n)}`,
          },
        };
      });
    },
  };
}

/** The j-th image function k released: functions share a repository, each its own images. */
function imageOfFunction(k: number, j: number, repositoryCount: number) {
  const r = k % repositoryCount;
  const slot = Math.floor(k / repositoryCount);
  return { repository: `team/app-${r}`, n: r * 1_000_000 + slot * RELEASES + j };
}

/** One page of `items` from `token` (an index), at most `size`. */
function page<T>(items: readonly T[], token: string | undefined, size: number) {
  const from = token ? Number(token) : 0;
  const end = from + size;
  return { items: items.slice(from, end), next: end < items.length ? String(end) : undefined };
}

type Input = Record<string, unknown>;

function answerEcr(world: StandInWorld, command: string, input: Input): unknown {
  if (command !== 'DescribeImagesCommand') throw new Error(`stand-in: no ${command}`);
  const repository = String(input.repositoryName);
  const r = world.repositories.indexOf(repository);
  const all = Array.from({ length: world.imagesPerRepository }, (_, i) => i);
  const size = Math.min(Number(input.maxResults ?? 100), 1000);
  const { items, next } = page(all, input.nextToken as string | undefined, size);
  return {
    imageDetails: items.map((i) => ({
      imageDigest: `sha256:${hex(r * 1_000_000 + i)}`,
      // Every 10th image untagged, every 7th carries a person's tag: the plan keeps those.
      imageTags: i % 10 === 0 ? [] : i % 7 === 0 ? ['latest'] : [`ferry-release-d-${r}-${i}`],
      imagePushedAt: new Date(OLD),
      imageSizeInBytes: 50_000_000,
    })),
    ...(next ? { nextToken: next } : {}),
  };
}

function answerLambda(world: StandInWorld, command: string, input: Input): unknown {
  const k = Number(String(input.FunctionName).slice(3));
  const r = world.repositories.length;
  const code = (v: number) => {
    const { repository, n } = imageOfFunction(k, RELEASES - PUBLISHED + v - 1, r);
    return { repository, sha: hex(n) };
  };
  const size = Math.min(Number(input.MaxItems ?? 50), 50);
  const marker = input.Marker as string | undefined;
  const arn = `arn:aws:lambda:eu-west-1:123456789012:function:fn-${k}`;
  switch (command) {
    case 'GetFunctionCommand': {
      const { repository, sha } = code(PUBLISHED);
      return {
        Configuration: { FunctionName: `fn-${k}`, Version: '$LATEST', CodeSha256: sha },
        Code: { ResolvedImageUri: `${HOST}/${repository}@sha256:${sha}` },
      };
    }
    case 'ListVersionsByFunctionCommand': {
      const all = ['$LATEST', ...Array.from({ length: PUBLISHED }, (_, v) => String(v + 1))];
      const { items, next } = page(all, marker, size);
      const Versions = items.map((v) => ({
        Version: v,
        CodeSha256: code(v === '$LATEST' ? PUBLISHED : Number(v)).sha,
        LastModified: '2026-01-01T00:00:00.000+0000',
      }));
      return { Versions, ...(next ? { NextMarker: next } : {}) };
    }
    case 'ListAliasesCommand': {
      const all = [
        { Name: 'live', FunctionVersion: String(PUBLISHED) },
        {
          Name: 'canary',
          FunctionVersion: String(PUBLISHED),
          RoutingConfig: { AdditionalVersionWeights: { [String(PUBLISHED - 1)]: 0.1 } },
        },
      ];
      const { items, next } = page(all, marker, size);
      return { Aliases: items, ...(next ? { NextMarker: next } : {}) };
    }
    case 'ListProvisionedConcurrencyConfigsCommand': {
      const all = k % 10 === 0 ? [{ FunctionArn: `${arn}:${PUBLISHED}`, Status: 'READY' }] : [];
      const { items, next } = page(all, marker, size);
      return { ProvisionedConcurrencyConfigs: items, ...(next ? { NextMarker: next } : {}) };
    }
    default:
      throw new Error(`stand-in: no ${command}`);
  }
}

/** Makes `client` count each call and answer it from `world` (nothing leaves the process). */
export function standIn(
  client: ECRClient | LambdaClient,
  world: StandInWorld,
  service: 'ecr' | 'lambda',
): void {
  const answer = service === 'ecr' ? answerEcr : answerLambda;
  (client as LambdaClient).middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      world.calls.set(command, (world.calls.get(command) ?? 0) + 1);
      const output = answer(world, command, args.input as Input) as object;
      return { output: { ...output, $metadata: {} }, response: {} } as never;
    },
    { step: 'initialize', name: 'gcBenchStandIn' },
  );
}

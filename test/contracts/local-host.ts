/** The local function host a contract suite runs against: real images in a real registry. */
import { afterAll, beforeAll } from 'vitest';
import { FunctionHost } from '../../local/function-host/function-host.ts';
import {
  type LambdaVariant,
  type LambdaWorld,
  startLambdaWorld,
} from '../support/lambda-images.ts';

/** Filled once the suite's beforeAll has run. */
export interface LocalHostSubject<V extends LambdaVariant> {
  readonly world: LambdaWorld<V>;
  readonly host: FunctionHost;
}

/** Builds `variants` and opens a host over them for the enclosing describe; closed after it. */
export function useLocalHost<V extends LambdaVariant>(variants: V[]): LocalHostSubject<V> {
  const subject = {} as { world: LambdaWorld<V>; host: FunctionHost };
  beforeAll(async () => {
    subject.world = await startLambdaWorld(variants);
    subject.host = await FunctionHost.open({
      stateDir: await subject.world.tempDir(),
      registryUrl: subject.world.registry.url,
    });
  }, 180_000);
  afterAll(async () => {
    await subject.host?.close();
    await subject.world?.cleanup();
  });
  return subject;
}

/**
 * The Functions port's core methods (read, update code, wait, publish, invoke) as every
 * implementation must behave: the fake the workflow tests use, the local adapter over a real
 * function host, and the Lambda adapter on moto. An implementation that cannot show a behaviour
 * names it in `gaps`, with why, and that case is skipped for it rather than weakened for all.
 * Weighted aliases have their own suite (alias-routing.contract.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../services/core/image-ref.ts';
import type { Functions } from '../../services/core/ports.ts';

/** Pinned image URIs a subject's function can run. */
export interface SubjectImages {
  /** What version 1 and $LATEST run at the start; answers `{"ok": true, …}`. */
  readonly first: string;
  /** Another image that answers `{"ok": true, …}`. */
  readonly second: string;
  /** An image whose handler throws. */
  readonly failing: string;
  /** A pinned URI an update cannot complete on (its image cannot be had). */
  readonly broken: string;
}

/** A fresh function: $LATEST and version 1 at `images.first`, alias `live` on version 1. */
export interface FunctionsSubject {
  readonly functions: Functions;
  readonly name: string;
  readonly images: SubjectImages;
}

/** The cases an implementation may be unable to show. */
export type FunctionsGap =
  | 'revision'
  | 'code-check'
  | 'resolved-image-uri'
  | 'version-image-uri'
  | 'update-failure'
  | 'invoke';

/** One implementation of the port under the contract. */
export interface FunctionsImplementation {
  readonly name: string;
  make(): Promise<FunctionsSubject>;
  readonly gaps?: Partial<Record<FunctionsGap, string>>;
}

const digestOf = (uri: string | null) => (uri ? parseImageRef(uri).digest : null);

/** Updates $LATEST to `image` under the revision read first, waits, and publishes it. */
async function release(functions: Functions, name: string, image: string) {
  const { revisionId } = await functions.getFunction(name);
  await functions.updateCode(name, image, revisionId);
  const ready = await functions.waitUntilUpdated(name, 60);
  return functions.publishVersion(name, ready.codeSha256, ready.revisionId);
}

/** Registers the contract for one implementation. */
export function describeFunctionsContract(implementation: FunctionsImplementation): void {
  const gaps = implementation.gaps ?? {};
  const unless = (gap: FunctionsGap) => (gaps[gap] ? it.skip : it);

  describe(`Functions contract: ${implementation.name}`, () => {
    it('reads $LATEST, a version and an alias: an Image function, Active, last update Successful', async () => {
      const { functions, name, images } = await implementation.make();
      const latest = await functions.getFunction(name);
      expect(latest).toMatchObject({
        functionName: name,
        version: '$LATEST',
        packageType: 'Image',
        architecture: 'x86_64',
        imageUri: images.first,
        state: 'Active',
        lastUpdateStatus: 'Successful',
      });
      expect(latest.functionArn).toMatch(new RegExp(`:function:${name}$`));
      expect(latest.codeSha256).not.toBe('');
      const v1 = await functions.getFunction(name, '1');
      expect(v1).toMatchObject({ version: '1', imageUri: images.first, state: 'Active' });
      expect(v1.functionArn).toMatch(new RegExp(`:function:${name}:1$`));
      expect(v1.codeSha256).toBe(latest.codeSha256);
      await expect(functions.getFunction(name, 'live')).resolves.toMatchObject({ version: '1' });
    });

    unless('resolved-image-uri')(
      'reports the digest the code resolved to, pinned to the repository',
      async () => {
        const { functions, name, images } = await implementation.make();
        const latest = await functions.getFunction(name);
        expect(latest.resolvedImageUri).not.toBeNull();
        expect(digestOf(latest.resolvedImageUri)).toBe(digestOf(images.first));
        expect(parseImageRef(latest.resolvedImageUri ?? '').repository).toBe(
          parseImageRef(images.first).repository,
        );
      },
    );

    it('throws NotFoundError for a missing function or version', async () => {
      const { functions, name } = await implementation.make();
      await expect(functions.getFunction(`${name}-gone`)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(functions.getFunction(name, '9')).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it('update, wait and publish on a missing function are NotFoundError', async () => {
      const { functions, name, images } = await implementation.make();
      const gone = `${name}-gone`;
      await expect(functions.updateCode(gone, images.second)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(functions.waitUntilUpdated(gone, 2)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      const { codeSha256 } = await functions.getFunction(name);
      await expect(functions.publishVersion(gone, codeSha256)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it('reads the version an alias points at, and null for a missing alias', async () => {
      const { functions, name } = await implementation.make();
      await expect(functions.getAlias(name, 'live')).resolves.toBe('1');
      await expect(functions.getAlias(name, 'beta')).resolves.toBeNull();
    });

    it('updates $LATEST to a pinned image under a new revision; published versions keep theirs', async () => {
      const { functions, name, images } = await implementation.make();
      const before = await functions.getFunction(name);
      const updated = await functions.updateCode(name, images.second, before.revisionId);
      expect(updated).toMatchObject({ version: '$LATEST', imageUri: images.second });
      const done = await functions.waitUntilUpdated(name, 60);
      expect(done).toMatchObject({ imageUri: images.second, lastUpdateStatus: 'Successful' });
      expect(done.codeSha256).not.toBe(before.codeSha256);
      await expect(functions.getFunction(name)).resolves.toMatchObject({
        imageUri: images.second,
      });
      await expect(functions.getFunction(name, '1')).resolves.toMatchObject({
        codeSha256: before.codeSha256,
      });
    });

    unless('revision')('each update gives $LATEST a new revision', async () => {
      const { functions, name, images } = await implementation.make();
      const before = await functions.getFunction(name);
      expect(before.revisionId).not.toBe('');
      const updated = await functions.updateCode(name, images.second, before.revisionId);
      expect(updated.revisionId).not.toBe(before.revisionId);
      const done = await functions.waitUntilUpdated(name, 60);
      expect(done.revisionId).not.toBe('');
    });

    it('refuses an image not pinned by digest with InvalidRequestError and changes nothing', async () => {
      const { functions, name, images } = await implementation.make();
      const tagged = `${parseImageRef(images.second).repository}:latest`;
      const host = parseImageRef(images.second).registry;
      const uri = host ? `${host}/${tagged}` : tagged;
      await expect(functions.updateCode(name, uri)).rejects.toMatchObject({
        name: 'InvalidRequestError',
      });
      await expect(functions.getFunction(name)).resolves.toMatchObject({
        imageUri: images.first,
      });
    });

    unless('revision')(
      'refuses an update under a stale revision with ConflictError and changes nothing',
      async () => {
        const { functions, name, images } = await implementation.make();
        const { revisionId: stale } = await functions.getFunction(name);
        await functions.updateCode(name, images.second, stale);
        await functions.waitUntilUpdated(name, 60);
        await expect(functions.updateCode(name, images.failing, stale)).rejects.toMatchObject({
          name: 'ConflictError',
        });
        await expect(functions.getFunction(name)).resolves.toMatchObject({
          imageUri: images.second,
        });
      },
    );

    it('waits at once when no update is in progress', async () => {
      const { functions, name, images } = await implementation.make();
      await expect(functions.waitUntilUpdated(name, 60)).resolves.toMatchObject({
        imageUri: images.first,
        lastUpdateStatus: 'Successful',
      });
    });

    unless('update-failure')(
      'an update whose image cannot be had ends in FunctionUpdateFailedError',
      async () => {
        const { functions, name, images } = await implementation.make();
        await functions.updateCode(name, images.broken);
        await expect(functions.waitUntilUpdated(name, 60)).rejects.toMatchObject({
          name: 'FunctionUpdateFailedError',
        });
      },
    );

    it('publishes the updated $LATEST as the next version, Active, with its code', async () => {
      const { functions, name, images } = await implementation.make();
      const { codeSha256: firstCode } = await functions.getFunction(name, '1');
      const published = await release(functions, name, images.second);
      expect(published).toMatchObject({ version: '2', imageUri: images.second, state: 'Active' });
      await expect(functions.getFunction(name, '2')).resolves.toMatchObject({
        imageUri: images.second,
        codeSha256: published.codeSha256,
      });
      await expect(functions.getFunction(name, '1')).resolves.toMatchObject({
        codeSha256: firstCode,
      });
      await expect(functions.getAlias(name, 'live')).resolves.toBe('1');
    });

    unless('version-image-uri')(
      'a published version keeps its image URI after later updates and publishes',
      async () => {
        const { functions, name, images } = await implementation.make();
        await release(functions, name, images.second);
        await release(functions, name, images.failing);
        await expect(functions.getFunction(name, '1')).resolves.toMatchObject({
          imageUri: images.first,
        });
        await expect(functions.getFunction(name, '2')).resolves.toMatchObject({
          imageUri: images.second,
        });
      },
    );

    it('publishing an unchanged $LATEST again returns the existing version', async () => {
      const { functions, name, images } = await implementation.make();
      const first = await release(functions, name, images.second);
      const latest = await functions.getFunction(name);
      const again = await functions.publishVersion(name, latest.codeSha256, latest.revisionId);
      expect(again.version).toBe(first.version);
    });

    unless('code-check')(
      'refuses to publish when $LATEST no longer has the code checked, and publishes nothing',
      async () => {
        const { functions, name, images } = await implementation.make();
        const checked = await functions.getFunction(name);
        await functions.updateCode(name, images.second, checked.revisionId);
        const ready = await functions.waitUntilUpdated(name, 60);
        await expect(functions.publishVersion(name, checked.codeSha256)).rejects.toMatchObject({
          name: 'ConflictError',
        });
        await expect(functions.getFunction(name, '2')).rejects.toMatchObject({
          name: 'NotFoundError',
        });
        await expect(functions.publishVersion(name, ready.codeSha256)).resolves.toMatchObject({
          version: '2',
        });
      },
    );

    unless('revision')('refuses to publish under a stale revision with ConflictError', async () => {
      const { functions, name, images } = await implementation.make();
      const { revisionId: stale } = await functions.getFunction(name);
      await functions.updateCode(name, images.second, stale);
      const ready = await functions.waitUntilUpdated(name, 60);
      await expect(functions.publishVersion(name, ready.codeSha256, stale)).rejects.toMatchObject({
        name: 'ConflictError',
      });
      await expect(functions.getFunction(name, '2')).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    unless('invoke')(
      'invokes a version and an alias: the payload, the executed version and a REPORT line',
      async () => {
        const { functions, name, images } = await implementation.make();
        await release(functions, name, images.second);
        const byVersion = await functions.invoke(name, '2', '{"probe":1}');
        expect(byVersion).toMatchObject({ statusCode: 200, executedVersion: '2' });
        expect(byVersion.functionError).toBeUndefined();
        expect(JSON.parse(byVersion.payload)).toMatchObject({ ok: true });
        expect(byVersion.report?.durationMs).toBeGreaterThan(0);
        expect(byVersion.logTail).toContain('REPORT RequestId:');
        const byAlias = await functions.invoke(name, 'live', '{}');
        expect(byAlias).toMatchObject({ statusCode: 200, executedVersion: '1' });
      },
    );

    unless('invoke')(
      "reports a handler's error as an Unhandled FunctionError with the error payload",
      async () => {
        const { functions, name, images } = await implementation.make();
        const failing = await release(functions, name, images.failing);
        const result = await functions.invoke(name, failing.version, '{}');
        expect(result).toMatchObject({ statusCode: 200, functionError: 'Unhandled' });
        expect(JSON.parse(result.payload)).toHaveProperty('errorMessage');
      },
    );
  });
}

/** The DeploymentRecords contract: create, get, update, recordStep (history: records-history.ts). */
import { describe, expect, it } from 'vitest';
import type { DeploymentPatch, StepRecord } from '../../services/core/deployment.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../services/core/errors.ts';
import type { DeploymentRecords } from '../../services/core/ports.ts';
import { aDeployment } from '../fakes/deployments.ts';
import { aFullDeployment } from './deployment-fixtures.ts';
import { describeHistoryContract } from './records-history.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

const step = (name: StepRecord['name'], startedAt: string, extra: Partial<StepRecord> = {}) =>
  ({ name, startedAt, outcome: 'running', attempts: 1, ...extra }) as StepRecord;

/** Registers the DeploymentRecords contract for one implementation. */
export function describeDeploymentRecordsContract(
  implementation: string,
  make: MakeSubject<DeploymentRecords>,
): void {
  describe(`DeploymentRecords contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const records = () => subject().port;

    describe('create and get', () => {
      it('returns a created record exactly as given, every optional field included', async () => {
        const created = aFullDeployment();
        await records().create(created);
        await expect(records().get(created.id)).resolves.toStrictEqual(created);
      });

      it('returns null for an unknown id', async () => {
        await expect(records().get('d-missing')).resolves.toBeNull();
      });

      it('throws ConflictError when the id exists, and keeps the first record', async () => {
        const created = aDeployment();
        await records().create(created);
        await expect(records().create({ ...created, status: 'RUNNING' })).rejects.toBeInstanceOf(
          ConflictError,
        );
        await expect(records().get(created.id)).resolves.toStrictEqual(created);
      });

      it('reads an optional field given as undefined back as absent', async () => {
        await records().create(aDeployment({ id: 'd-1', team: undefined, reason: undefined }));
        const got = await records().get('d-1');
        expect(got).not.toHaveProperty('team');
        expect(got).not.toHaveProperty('reason');
      });

      it('hands out copies: changing a returned record changes nothing stored', async () => {
        const created = aDeployment({ id: 'd-1' });
        await records().create(created);
        const got = await records().get('d-1');
        if (!got) throw new Error('expected the record');
        (got.steps as StepRecord[]).push(step('Prepare', '2026-11-28T12:00:01.000Z'));
        await expect(records().get('d-1')).resolves.toStrictEqual(created);
      });
    });

    describe('update', () => {
      it('applies the patch, stamps updatedAt from the injected clock and returns the record', async () => {
        const created = aDeployment({ updatedAt: '2026-01-01T00:00:00.000Z' });
        await records().create(created);
        const before = subject().clock.now().toISOString();

        const release = { version: null, digest: 'sha256:ab', imageUri: null };
        const updated = await records().update(created.id, { status: 'RUNNING', release });

        const after = subject().clock.now().toISOString();
        expect(updated).toStrictEqual({
          ...created,
          status: 'RUNNING',
          release,
          updatedAt: updated.updatedAt,
        });
        expect(updated.updatedAt > before && updated.updatedAt < after).toBe(true);
        await expect(records().get(created.id)).resolves.toStrictEqual(updated);
      });

      it('replaces a nested value whole rather than merging it', async () => {
        const created = aFullDeployment();
        await records().create(created);
        const release = { version: '8', digest: null, imageUri: null };
        await records().update(created.id, { release });
        expect((await records().get(created.id))?.release).toStrictEqual(release);
      });

      it('clears a field patched to undefined', async () => {
        const created = aFullDeployment();
        await records().create(created);
        const updated = await records().update(created.id, { reason: undefined, smoke: undefined });
        expect(updated).not.toHaveProperty('reason');
        expect(updated).not.toHaveProperty('smoke');
        await expect(records().get(created.id)).resolves.toStrictEqual(updated);
      });

      it('writes when expectStatus matches', async () => {
        const created = aDeployment({ status: 'RUNNING' });
        await records().create(created);
        await expect(
          records().update(created.id, { status: 'SUCCEEDED' }, 'RUNNING'),
        ).resolves.toMatchObject({ status: 'SUCCEEDED' });
      });

      it('throws ConflictError naming both statuses when expectStatus does not match', async () => {
        const created = aDeployment({ status: 'SUCCEEDED' });
        await records().create(created);
        const attempt = records().update(created.id, { status: 'FAILED' }, 'RUNNING');
        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        await expect(attempt).rejects.toThrow(/is SUCCEEDED, expected RUNNING/);
        await expect(records().get(created.id)).resolves.toStrictEqual(created);
      });

      it('throws NotFoundError for an unknown id, with or without expectStatus', async () => {
        await expect(records().update('d-missing', { status: 'FAILED' })).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await expect(
          records().update('d-missing', { status: 'FAILED' }, 'RUNNING'),
        ).rejects.toBeInstanceOf(NotFoundError);
        await expect(records().get('d-missing')).resolves.toBeNull();
      });

      it.each([
        'id',
        'functionName',
        'createdAt',
        'updatedAt',
        'trigger',
        'request',
        'steps',
        'unknown',
      ])('refuses to patch %s with InvalidRequestError, changing nothing', async (field) => {
        const created = aDeployment();
        await records().create(created);
        const patch = { [field]: 'x', status: 'RUNNING' } as unknown as DeploymentPatch;
        await expect(records().update(created.id, patch)).rejects.toBeInstanceOf(
          InvalidRequestError,
        );
        await expect(records().get(created.id)).resolves.toStrictEqual(created);
      });
    });

    describe('recordStep', () => {
      it('adds steps and returns them by start time, ties by name', async () => {
        const created = aDeployment();
        await records().create(created);
        const late = step('ScanImage', '2026-11-28T12:00:09.000Z');
        const tieB = step('ResolveImage', '2026-11-28T12:00:05.000Z');
        const tieA = step('Build', '2026-11-28T12:00:05.000Z');
        for (const s of [late, tieB, tieA]) await records().recordStep(created.id, s);

        await expect(records().get(created.id)).resolves.toStrictEqual({
          ...created,
          steps: [tieA, tieB, late],
        });
      });

      it('replaces a step recorded again under its name, whole', async () => {
        const created = aDeployment();
        await records().create(created);
        const first = step('Prepare', '2026-11-28T12:00:01.000Z', {
          outcome: 'failed',
          detail: 'TransientError: throttled',
        });
        const retried = step('Prepare', '2026-11-28T12:00:01.000Z', {
          endedAt: '2026-11-28T12:00:03.000Z',
          outcome: 'succeeded',
          attempts: 2,
        });
        await records().recordStep(created.id, first);
        await records().recordStep(created.id, retried);

        expect((await records().get(created.id))?.steps).toStrictEqual([retried]);
      });

      it('throws NotFoundError for an unknown deployment, creating nothing', async () => {
        const attempt = records().recordStep('d-missing', step('Prepare', '2026-11-28T12:00:01Z'));
        await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
        await expect(records().get('d-missing')).resolves.toBeNull();
      });
    });

    describeHistoryContract(records);
  });
}

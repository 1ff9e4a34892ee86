/**
 * LambdaFunctions' weighted alias routing against a mocked LambdaClient: the exact
 * GetAlias / UpdateAlias / CreateAlias inputs, RevisionId, and Lambda's errors as named errors.
 */
import 'aws-sdk-client-mock-vitest/extend';
import {
  CreateAliasCommand,
  GetAliasCommand,
  LambdaClient,
  PreconditionFailedException,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaFunctions } from './lambda-functions.ts';

const lambda = mockClient(LambdaClient);
const functions = () => new LambdaFunctions(new LambdaClient({ region: 'eu-west-1' }));
const inputsOf = (command: Parameters<typeof lambda.commandCalls>[0]) =>
  lambda.commandCalls(command).map((call) => call.args[0].input);
const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });
const canary = { version: '6', additional: { version: '7', weight: 0.1 } };

beforeEach(() => {
  lambda.reset();
});

describe('LambdaFunctions: weighted alias routing', () => {
  describe('getAliasRouting', () => {
    it('reads the primary version, the one additional weight and the revision', async () => {
      lambda.on(GetAliasCommand).resolves({
        Name: 'live',
        FunctionVersion: '6',
        RevisionId: 'rev-a',
        RoutingConfig: { AdditionalVersionWeights: { '7': 0.1 } },
      });
      await expect(functions().getAliasRouting('api', 'live')).resolves.toEqual({
        ...canary,
        revisionId: 'rev-a',
      });
      expect(inputsOf(GetAliasCommand)).toEqual([{ FunctionName: 'api', Name: 'live' }]);
    });

    it('reads no split from an absent or empty weight map, and null for a missing alias', async () => {
      lambda
        .on(GetAliasCommand)
        .resolvesOnce({ FunctionVersion: '6', RevisionId: 'r' })
        .resolvesOnce({ FunctionVersion: '6', RevisionId: 'r', RoutingConfig: {} })
        .rejects(notFound('Alias not found'));
      const none = { version: '6', additional: null, revisionId: 'r' };
      await expect(functions().getAliasRouting('api', 'live')).resolves.toEqual(none);
      await expect(functions().getAliasRouting('api', 'live')).resolves.toEqual(none);
      await expect(functions().getAliasRouting('api', 'live')).resolves.toBeNull();
    });
  });

  describe('setAliasRouting', () => {
    it('updates the alias with the weight map and the revision it was read at', async () => {
      lambda.on(UpdateAliasCommand).resolves({});
      await functions().setAliasRouting('api', 'live', canary, 'rev-a');
      expect(inputsOf(UpdateAliasCommand)).toEqual([
        {
          FunctionName: 'api',
          Name: 'live',
          FunctionVersion: '6',
          RoutingConfig: { AdditionalVersionWeights: { '7': 0.1 } },
          RevisionId: 'rev-a',
        },
      ]);
    });

    it('sends an empty weight map for one version alone, so no earlier split survives', async () => {
      lambda.on(UpdateAliasCommand).resolves({});
      await functions().setAliasRouting('api', 'live', { version: '7', additional: null });
      expect(inputsOf(UpdateAliasCommand)).toEqual([
        {
          FunctionName: 'api',
          Name: 'live',
          FunctionVersion: '7',
          RoutingConfig: { AdditionalVersionWeights: {} },
        },
      ]);
    });

    it('creates a missing alias with its routing when no revision is named', async () => {
      // GetAlias tells a missing alias from a missing version; it is missing here.
      lambda
        .on(GetAliasCommand)
        .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
      lambda.on(UpdateAliasCommand).rejects(notFound('Alias not found'));
      lambda.on(CreateAliasCommand).resolves({});
      await functions().setAliasRouting('api', 'live', canary);
      expect(inputsOf(CreateAliasCommand)).toEqual([
        {
          FunctionName: 'api',
          Name: 'live',
          FunctionVersion: '6',
          RoutingConfig: { AdditionalVersionWeights: { '7': 0.1 } },
        },
      ]);
    });

    it('updates again when another writer created the alias in between', async () => {
      // GetAlias tells a missing alias from a missing version; it is missing here.
      lambda
        .on(GetAliasCommand)
        .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
      lambda.on(UpdateAliasCommand).rejectsOnce(notFound('Alias not found')).resolves({});
      lambda
        .on(CreateAliasCommand)
        .rejects(new ResourceConflictException({ message: 'Alias already exists', $metadata: {} }));
      await functions().setAliasRouting('api', 'live', canary);
      expect(lambda).toHaveReceivedCommandTimes(UpdateAliasCommand, 2);
    });

    it('never creates the alias for a conditional write: a missing one is NotFoundError', async () => {
      lambda.on(UpdateAliasCommand).rejects(notFound('Alias not found'));
      await expect(
        functions().setAliasRouting('api', 'live', canary, 'rev-a'),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: expect.stringContaining('lambda:UpdateAlias api:live -> 6 + 7 at 10% failed'),
      });
      expect(lambda).not.toHaveReceivedCommand(CreateAliasCommand);
    });

    it('throws ConflictError when the alias changed since its revision was read', async () => {
      lambda.on(UpdateAliasCommand).rejects(
        new PreconditionFailedException({
          message: 'The Revision Id provided does not match the latest Revision Id.',
          $metadata: {},
        }),
      );
      await expect(
        functions().setAliasRouting('api', 'live', canary, 'stale'),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    });

    it('throws NotFoundError when a version does not exist', async () => {
      // GetAlias tells a missing alias from a missing version; it is missing here.
      lambda
        .on(GetAliasCommand)
        .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
      lambda.on(UpdateAliasCommand).rejects(notFound('Function not found: api:9'));
      lambda.on(CreateAliasCommand).rejects(notFound('Function not found: api:9'));
      const routing = { version: '6', additional: { version: '9', weight: 0.1 } };
      await expect(functions().setAliasRouting('api', 'live', routing)).rejects.toMatchObject({
        name: 'NotFoundError',
        message: expect.stringContaining('lambda:CreateAlias api:live -> 6 + 9 at 10% failed'),
      });
    });

    it('refuses a routing Ferry does not write before calling Lambda', async () => {
      const whole = { version: '6', additional: { version: '7', weight: 1 } };
      await expect(functions().setAliasRouting('api', 'live', whole)).rejects.toMatchObject({
        name: 'InvalidRequestError',
      });
      expect(lambda).not.toHaveReceivedAnyCommand();
    });
  });
});

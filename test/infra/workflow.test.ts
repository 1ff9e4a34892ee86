import { describe, expect, it } from 'vitest';
import { WORKER_STEPS } from '../../services/core/steps.ts';
import {
  deploySubstitutions,
  exampleSubstitutionInputs,
  placeholdersIn,
  readDeployDefinitionText,
  substitute,
} from '../../statemachine/substitutions.ts';
import { type Cfn, fullTemplate } from './support/app.ts';
import { allowStatementsOf } from './support/iam.ts';

const stateMachine = () => {
  const [machine] = Object.values(fullTemplate().findResources('AWS::StepFunctions::StateMachine'));
  return machine?.Properties as Record<string, Cfn>;
};

/** Logical id of each worker function, found by its description. */
const workerIds = (): Record<string, string> => {
  const functions = Object.entries(fullTemplate().findResources('AWS::Lambda::Function'));
  return Object.fromEntries(
    WORKER_STEPS.map((step) => [
      step,
      functions.find(([, r]) => r.Properties.Description === `Ferry ${step} step`)?.[0] as string,
    ]),
  );
};

describe('Construct: Workflow', () => {
  it('embeds statemachine/deploy.asl.json verbatim as the DefinitionString', () => {
    expect(stateMachine().DefinitionString).toBe(readDeployDefinitionText());
    expect(stateMachine().StateMachineType).toBe('STANDARD');
  });

  it('substitutes exactly the keys of deploySubstitutions (the one map) and every placeholder', () => {
    const keys = Object.keys(stateMachine().DefinitionSubstitutions).sort();
    expect(keys).toEqual(Object.keys(deploySubstitutions(exampleSubstitutionInputs())).sort());
    expect(keys).toEqual(placeholdersIn(readDeployDefinitionText()));
  });

  it("fills each <Step>FunctionArn with that step's worker ARN and the build projects by name", () => {
    const substitutions = stateMachine().DefinitionSubstitutions;
    const ids = workerIds();
    for (const step of WORKER_STEPS) {
      expect(substitutions[`${step}FunctionArn`]).toEqual({ 'Fn::GetAtt': [ids[step], 'Arn'] });
    }
    expect(substitutions.BuildProjectX86Name).toEqual({ Ref: expect.stringMatching(/^BuildsX86/) });
    expect(substitutions.BuildProjectArm64Name).toEqual({
      Ref: expect.stringMatching(/^BuildsArm64/),
    });
  });

  it('resolves to a definition whose every Task invokes its own worker', () => {
    // What CloudFormation does at deploy: each reference becomes the resource's real value.
    const standIn = (value: Cfn): string =>
      value['Fn::GetAtt']
        ? `arn:aws:lambda:eu-west-1:123456789012:function:${value['Fn::GetAtt'][0]}`
        : `project-${value.Ref}`;
    const resolved = Object.fromEntries(
      Object.entries(stateMachine().DefinitionSubstitutions).map(([key, value]) => [
        key,
        standIn(value),
      ]),
    );
    const definition = JSON.parse(substitute(stateMachine().DefinitionString, resolved));
    const ids = workerIds();
    for (const step of WORKER_STEPS) {
      const state = definition.States[step];
      const worker = `arn:aws:lambda:eu-west-1:123456789012:function:${ids[step]}`;
      if (state.TimeoutSecondsPath) {
        // A callback task: the integration invokes the worker with the token, then waits.
        expect(state.Resource, step).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
        expect(state.Parameters.FunctionName, step).toBe(worker);
        expect(state.Parameters.Payload['taskToken.$'], step).toBe('$$.Task.Token');
      } else {
        expect(state.Resource, step).toBe(worker);
      }
    }
    expect(definition.States.UseX86Builder.Result).toMatch(/^project-BuildsX86/);
    expect(definition.States.UseArm64Builder.Result).toMatch(/^project-BuildsArm64/);
    expect(JSON.stringify(definition)).not.toContain('${');
  });

  it('logs errors only, without execution data, and traces with X-Ray', () => {
    expect(stateMachine().LoggingConfiguration).toEqual({
      Level: 'ERROR',
      IncludeExecutionData: false,
      Destinations: [
        {
          CloudWatchLogsLogGroup: {
            LogGroupArn: { 'Fn::GetAtt': [expect.stringMatching(/^WorkflowLogs/), 'Arn'] },
          },
        },
      ],
    });
    expect(stateMachine().TracingConfiguration).toEqual({ Enabled: true });
  });

  it('may invoke exactly the workers (unqualified ARNs), the callback ones through lambda:invoke too', () => {
    const invoke = allowStatementsOf(fullTemplate(), 'WorkflowStateMachineRole').filter(
      (s) => s.Action === 'lambda:InvokeFunction',
    );
    const ids = workerIds();
    expect(invoke).toHaveLength(1);
    expect(invoke[0]?.Resource).toHaveLength(WORKER_STEPS.length);
    expect(invoke[0]?.Resource).toEqual(
      expect.arrayContaining(WORKER_STEPS.map((step) => ({ 'Fn::GetAtt': [ids[step], 'Arn'] }))),
    );
  });

  it('may start, stop and read builds of its two projects, and manage the .sync rule only', () => {
    const statements = allowStatementsOf(fullTemplate(), 'WorkflowStateMachineRole');
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
      Resource: expect.arrayContaining([
        { 'Fn::GetAtt': [expect.stringMatching(/^BuildsX86/), 'Arn'] },
        { 'Fn::GetAtt': [expect.stringMatching(/^BuildsArm64/), 'Arn'] },
      ]),
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
      Resource:
        'arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventForCodeBuildStartBuildRule',
    });
  });
});

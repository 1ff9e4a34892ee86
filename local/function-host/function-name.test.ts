import { describe, expect, it } from 'vitest';
import { parseFunctionName } from './function-name.ts';
import { FUNCTION_NAME_PATTERN } from './lambda-errors.ts';

const parse = (raw: string, qualifier: string | null = null) =>
  parseFunctionName(raw, qualifier, 'us-east-1');

describe('parseFunctionName', () => {
  it('reads a name, name:qualifier, a partial ARN and a full ARN', () => {
    expect(parse('hello')).toEqual({ name: 'hello' });
    expect(parse('hello:live')).toEqual({ name: 'hello', qualifier: 'live' });
    expect(parse('hello:$LATEST')).toEqual({ name: 'hello', qualifier: '$LATEST' });
    expect(parse('000000000000:function:hello')).toEqual({
      name: 'hello',
      account: '000000000000',
    });
    expect(parse('000000000000:function:hello:2')).toEqual({
      name: 'hello',
      qualifier: '2',
      account: '000000000000',
    });
    expect(parse('arn:aws:lambda:us-east-1:000000000000:function:hello:live')).toEqual({
      name: 'hello',
      qualifier: 'live',
      account: '000000000000',
    });
  });

  it('takes the Qualifier parameter, also when the name repeats it; an empty one is none', () => {
    expect(parse('hello', '3')).toEqual({ name: 'hello', qualifier: '3' });
    expect(parse('hello:3', '3')).toEqual({ name: 'hello', qualifier: '3' });
    expect(parse('hello', '')).toEqual({ name: 'hello' });
  });

  it('refuses a qualifier in the name that differs from the Qualifier parameter', () => {
    expect(() => parse('hello:1', '2')).toThrow(
      expect.objectContaining({
        status: 400,
        type: 'InvalidParameterValueException',
        message:
          'The derived qualifier from the function name does not match the specified qualifier.',
      }),
    );
    expect(() => parse('arn:aws:lambda:us-east-1:000000000000:function:hello:live', '1')).toThrow(
      expect.objectContaining({ type: 'InvalidParameterValueException' }),
    );
  });

  it("refuses a malformed name with Lambda's ValidationException and its pattern", () => {
    for (const bad of ['bad name!', 'hello:', 'arn:aws:s3:::bucket', '']) {
      expect(() => parse(bad)).toThrow(
        expect.objectContaining({
          status: 400,
          type: 'ValidationException',
          message: `1 validation error detected: Value '${bad}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
        }),
      );
    }
    expect(() => parse('a'.repeat(171))).toThrow(
      expect.objectContaining({
        type: 'ValidationException',
        message: expect.stringContaining('Member must have length less than or equal to 170'),
      }),
    );
    expect(() => parse('hello', 'no/slash')).toThrow(
      expect.objectContaining({
        type: 'ValidationException',
        message: expect.stringContaining("Value 'no/slash' at 'qualifier'"),
      }),
    );
  });

  it('refuses an ARN of another region as Lambda does', () => {
    expect(() => parse('arn:aws:lambda:eu-west-1:000000000000:function:hello')).toThrow(
      expect.objectContaining({
        status: 404,
        type: 'ResourceNotFoundException',
        message: "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
      }),
    );
  });
});

/**
 * Lambda's FunctionName parameter — a name, `NAME:QUALIFIER`, a partial ARN
 * (`ACCOUNT:function:NAME[:QUALIFIER]`) or a full ARN — together with the `Qualifier` query
 * parameter, read and refused as Lambda does.
 */
import { FUNCTION_NAME_PATTERN, LambdaApiError, validationError } from './lambda-errors.ts';

/** What a request names: the function, and the qualifier it asked for (if any). */
export interface FunctionTarget {
  readonly name: string;
  readonly qualifier?: string;
  /** The account a (partial) ARN named; the host's when absent. */
  readonly account?: string;
}

// FUNCTION_NAME_PATTERN with named groups for the parts.
const PARTS =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:(?<region>[a-z]{2}(?:-gov|-isob?)?-[a-z]+-\d):)?(?:(?<account>\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9_.-]+)(?::(?<qualifier>\$LATEST|[a-zA-Z0-9_-]+))?$/;
const QUALIFIER = /^[a-zA-Z0-9$_-]+$/;

/**
 * Parses `raw` (already URL-decoded) and the `Qualifier` parameter; throws Lambda's
 * ValidationException for a malformed one, InvalidParameterValueException when the two
 * qualifiers differ, ResourceNotFoundException for an ARN of another region.
 */
export function parseFunctionName(
  raw: string,
  qualifierParam: string | null,
  region: string,
): FunctionTarget {
  // `?Qualifier=` with nothing is no qualifier (the model's pattern allows the empty string).
  const given = qualifierParam === '' ? null : qualifierParam;
  if (raw.length > 170) {
    throw validationError(raw, 'functionName', 'Member must have length less than or equal to 170');
  }
  const parts = PARTS.exec(raw)?.groups;
  if (!parts?.name) {
    const constraint = `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`;
    throw validationError(raw, 'functionName', constraint);
  }
  if (given !== null && (!QUALIFIER.test(given) || given.length > 128)) {
    const constraint = 'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)';
    throw validationError(given, 'qualifier', constraint);
  }
  if (parts.qualifier && given !== null && parts.qualifier !== given) {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  if (parts.region && parts.region !== region) {
    throw new LambdaApiError(
      404,
      'ResourceNotFoundException',
      `Functions from '${parts.region}' are not reachable in this region ('${region}')`,
    );
  }
  const qualifier = given ?? parts.qualifier;
  return {
    name: parts.name,
    ...(qualifier ? { qualifier } : {}),
    ...(parts.account ? { account: parts.account } : {}),
  };
}

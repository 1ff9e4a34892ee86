import type { z } from 'zod';
import { InvalidRequestError } from '../core/errors.ts';

/** Parses a worker's input with `schema`; a mismatch is an InvalidRequestError naming the fields. */
export function parseInput<S extends z.ZodType>(
  step: string,
  schema: S,
  input: unknown,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new InvalidRequestError(`${step} input is invalid: ${problems}`);
}

/**
 * Reading a stored item through a zod schema: the one place a shape the code does not expect
 * becomes a CorruptItemError naming the item's key and the field, instead of a cast that lets
 * a crash happen later, deep in a caller.
 */
import type { z } from 'zod';
import { CorruptItemError } from '../../core/errors.ts';
import { type Item, PK, SK } from './dynamo-table.ts';

const MAX_ISSUES = 3;

/**
 * `item` (or its `attribute`, e.g. a rule's `rule`) parsed by `schema`; `what` names the kind
 * of item in the error (`deployment`, `settings`…).
 */
export function parseStored<S extends z.ZodType>(
  schema: S,
  item: Item,
  what: string,
  attribute?: string,
): z.output<S> {
  const result = schema.safeParse(attribute === undefined ? item : item[attribute]);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = [...(attribute === undefined ? [] : [attribute]), ...issue.path.map(String)];
    return `${path.join('.') || '(the item)'}: ${issue.message}`;
  });
  const more = result.error.issues.length - issues.length;
  const message =
    `stored ${what} item ${String(item[PK])} / ${String(item[SK])} is corrupt: ${issues.join('; ')}` +
    (more > 0 ? ` (and ${more} more)` : '');
  throw new CorruptItemError(message, { cause: result.error });
}

/**
 * The in-memory store's history cursors: opaque like the adapter's, carrying the function and the
 * last item served, so a page continues after that item (not at an offset a newer deployment
 * would shift) and a cursor for another function is refused. Not signed: tests do not forge.
 */
import { InvalidRequestError } from '../../services/core/errors.ts';

/** A cursor continuing `functionName`'s history after the item with history key `after`. */
export function sealHistoryCursor(functionName: string, after: string): string {
  return Buffer.from(JSON.stringify({ functionName, after })).toString('base64url');
}

/** The history key a cursor continues after; InvalidRequestError for a garbled or foreign one. */
export function openHistoryCursor(cursor: string, functionName: string): string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidRequestError('invalid cursor', { kind: 'invalid-cursor' });
  }
  const fields = (value ?? {}) as { functionName?: unknown; after?: unknown };
  if (fields.functionName !== functionName || typeof fields.after !== 'string')
    throw new InvalidRequestError('invalid cursor', { kind: 'invalid-cursor' });
  return fields.after;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidRequestError } from '../../core/errors.ts';

/**
 * Opaque pagination cursors: base64url(JSON) + '.' + HMAC-SHA256, so a caller can neither read
 * nor forge a start key. A tampered, garbled or foreign cursor is an InvalidRequestError.
 */
export class CursorSigner {
  constructor(readonly secret: string) {
    if (!secret) throw new Error('CursorSigner needs a non-empty secret');
  }

  /** A cursor carrying `value`. */
  seal(value: Record<string, unknown>): string {
    const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The object a cursor this signer sealed carries; InvalidRequestError for anything else. */
  open(cursor: string): Record<string, unknown> {
    const invalid = new InvalidRequestError('invalid cursor', { kind: 'invalid-cursor' });
    const [payload, signature, ...rest] = cursor.split('.');
    if (!payload || !signature || rest.length > 0) throw invalid;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid;
    return value as Record<string, unknown>;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

import { isId } from '../ids.js';

const VERSION = 'e1:';

/**
 * A cursor names the last event of a page, not its position: positions are shared by every
 * organization, so handing one out would let a client count the events of others.
 */
export function encodeCursor(lastEventId: string): string {
  return Buffer.from(VERSION + lastEventId, 'utf8').toString('base64url');
}

/** The event id inside a cursor, or undefined for anything this service did not hand out. */
export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(VERSION)) return undefined;
  const id = text.slice(VERSION.length);
  return isId('evt', id) ? id : undefined;
}

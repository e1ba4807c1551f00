import { randomIdBody } from './crypto/random.js';

export type IdKind = 'org' | 'usr' | 'tok' | 'ses' | 'evt' | 'aud' | 'req';

/** Every id in the service: a type prefix and 16 random characters (80 bits). */
export function newId(kind: IdKind): string {
  return `${kind}_${randomIdBody(16)}`;
}

export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${kind}_[0-9a-z]{16}$`).test(value);
}

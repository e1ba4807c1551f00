import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { STATE_TTL_MS } from './flow.js';

const STATE_COOKIE = 'abs_github_state';
// Sent only to the two GitHub routes, so no other page ever carries it.
const STATE_PATH = '/auth/github';

function secure(c: Context): boolean {
  return c.get('services').config.publicUrl.startsWith('https:');
}

/**
 * Binds an attempt to this browser. HttpOnly keeps it from page scripts; Lax lets it ride the
 * top-level redirect back from GitHub.
 * LIMITATION: one cookie per browser, so of two sign-ins started in two tabs only the later one
 * can finish (a cookie named after each state would allow both).
 */
export function setStateCookie(c: Context, state: string): void {
  setCookie(c, STATE_COOKIE, state, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(c),
    path: STATE_PATH,
    maxAge: STATE_TTL_MS / 1000,
  });
}

export function readStateCookie(c: Context): string | undefined {
  return getCookie(c, STATE_COOKIE);
}

export function clearStateCookie(c: Context): void {
  deleteCookie(c, STATE_COOKIE, {
    path: STATE_PATH,
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(c),
  });
}

import { api, ApiFailure, setCsrfToken } from './api.js';
import type { Me } from './types.js';

/** The signed-in person as `/me` last described them, or null when signed out. */
let current: Me | null = null;

export function me(): Me | null {
  return current;
}

export function isAdmin(): boolean {
  return current?.role === 'admin';
}

export function setMe(profile: Me | null): void {
  current = profile;
  setCsrfToken(profile?.csrfToken);
}

/** Asks the service who the cookie belongs to; a 401 simply means nobody is signed in. */
export async function loadMe(): Promise<Me | null> {
  try {
    setMe(await api<Me>('GET', '/me'));
  } catch (error) {
    if (!(error instanceof ApiFailure) || error.status !== 401) throw error;
    setMe(null);
  }
  return current;
}

import { z } from 'zod';
import type { GithubConfig } from '../config.js';
import { cleanName } from '../text.js';

/** The least GitHub needs to grant: the profile (name, avatar) and the email addresses. */
export const GITHUB_SCOPES = 'read:user user:email';

const TIMEOUT_MS = 10_000;
const USER_AGENT = 'abs-core-auth';

/** `unavailable`: GitHub failed or did not answer; `rejected`: GitHub answered no. */
export type GithubCall<T> =
  { ok: true; value: T } | { ok: false; failure: 'unavailable' | 'rejected'; githubError?: string };

export interface GithubIdentity {
  id: string;
  login: string;
  name: string | null;
  avatarUrl: string | null;
}

export interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export function authorizeUrl(
  config: GithubConfig,
  p: { redirectUri: string; state: string; codeChallenge: string },
): string {
  const query = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: p.redirectUri,
    scope: GITHUB_SCOPES,
    state: p.state,
    code_challenge: p.codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${config.webUrl}/login/oauth/authorize?${query.toString()}`;
}

const TokenAnswer = z.union([
  z.object({ access_token: z.string().min(1) }),
  z.object({ error: z.string().min(1) }),
]);

/** Trades an authorization code (with its PKCE verifier) for an access token. */
export async function exchangeCode(
  config: GithubConfig,
  p: { code: string; codeVerifier: string; redirectUri: string },
): Promise<GithubCall<string>> {
  const body = new URLSearchParams({
    client_id: config.clientId,
    client_secret: config.clientSecret,
    code: p.code,
    redirect_uri: p.redirectUri,
    code_verifier: p.codeVerifier,
  });
  const answer = await requestJson(`${config.webUrl}/login/oauth/access_token`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  if (!answer.ok) return answer;
  const parsed = TokenAnswer.safeParse(answer.value);
  if (!parsed.success) return { ok: false, failure: 'unavailable' };
  if ('error' in parsed.data) {
    return { ok: false, failure: 'rejected', githubError: errorCode(parsed.data.error) };
  }
  return { ok: true, value: parsed.data.access_token };
}

const UserAnswer = z.object({
  id: z.number().int().positive(),
  login: z.string().min(1).max(100),
  name: z.string().max(200).nullish(),
  avatar_url: z.string().max(1000).nullish(),
});

export async function fetchIdentity(
  config: GithubConfig,
  accessToken: string,
): Promise<GithubCall<GithubIdentity>> {
  const answer = await requestJson(`${config.apiUrl}/user`, apiInit(accessToken));
  if (!answer.ok) return answer;
  const parsed = UserAnswer.safeParse(answer.value);
  if (!parsed.success) return { ok: false, failure: 'unavailable' };
  const user = parsed.data;
  return {
    ok: true,
    value: {
      id: String(user.id),
      login: user.login,
      // Shown in lists and the dashboard like any name: the same rules as names people type.
      name: cleanName(user.name, 100),
      avatarUrl: webUrlOrNull(user.avatar_url),
    },
  };
}

const EmailsAnswer = z.array(
  z.object({ email: z.string().min(3).max(320), primary: z.boolean(), verified: z.boolean() }),
);

export async function fetchEmails(
  config: GithubConfig,
  accessToken: string,
): Promise<GithubCall<GithubEmail[]>> {
  const answer = await requestJson(`${config.apiUrl}/user/emails`, apiInit(accessToken));
  if (!answer.ok) return answer;
  const parsed = EmailsAnswer.safeParse(answer.value);
  if (!parsed.success) return { ok: false, failure: 'unavailable' };
  return { ok: true, value: parsed.data };
}

function apiInit(accessToken: string): RequestInit {
  return {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${accessToken}`,
      'x-github-api-version': '2022-11-28',
    },
  };
}

/**
 * One call to GitHub. A refused connection, a timeout, a 5xx or an answer that is not JSON all
 * mean GitHub is unavailable; 401 means it refused our credentials.
 */
async function requestJson(url: string, init: RequestInit): Promise<GithubCall<unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { 'user-agent': USER_AGENT, ...init.headers },
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { ok: false, failure: 'unavailable' };
  }
  if (response.status === 401) {
    await response.body?.cancel();
    return { ok: false, failure: 'rejected', githubError: 'unauthorized' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, failure: 'unavailable' };
  }
  try {
    return { ok: true, value: await response.json() };
  } catch {
    return { ok: false, failure: 'unavailable' };
  }
}

/** GitHub's error codes are snake_case words; anything else is not repeated to anyone. */
function errorCode(value: string): string {
  return /^[a-z_]{1,64}$/.test(value) ? value : 'unknown_error';
}

/** Only http(s) addresses may become an avatar: the dashboard puts it into an <img>. */
export function webUrlOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

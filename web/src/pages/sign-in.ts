import { api, ApiFailure, messageOf } from '../api.js';
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { navigate, safeNext, type PageContext } from '../router.js';
import { loadMe } from '../session.js';
import { callout, field, input } from '../ui/controls.js';

/** Refusals the GitHub sign-in can send back here, in words a person can act on. */
const GITHUB_ERRORS: Record<string, string> = {
  access_denied: 'GitHub sign-in was cancelled. You can try again or use your email and password.',
  github_not_configured: 'GitHub sign-in is not set up for this service.',
  not_invited:
    'No account here matches your GitHub email. Ask an administrator of your organization to ' +
    'invite you, then try again.',
  unverified_email:
    'Your primary email on GitHub is not verified. Verify it on GitHub, then try again.',
  invalid_state: 'That sign-in link has expired or was already used. Start again.',
  user_disabled: 'This account is disabled. Ask an administrator of your organization.',
};
const GITHUB_FALLBACK =
  'GitHub sign-in did not complete. Try again, or use your email and password.';

export async function signInPage(ctx: PageContext) {
  const providers = await api<{ github: boolean }>('GET', '/auth/providers').catch(() => ({
    github: false,
  }));
  const error = h('div', { class: 'form-error-slot', 'aria-live': 'assertive' });
  const email = input({
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    autofocus: true,
  });
  const password = input({
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-label': 'Sign in with email and password' },
    field({ label: 'Email', control: email }),
    field({ label: 'Password', control: password }),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.replaceChildren();
    const problem = localProblem(email, password);
    if (problem) return showError(error, problem);
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      // The answer also carries the session as a bearer string; the page keeps none of it; the
      // HttpOnly cookie set with it is the dashboard's session.
      await api('POST', '/login', { email: email.value.trim(), password: password.value });
      await loadMe();
      navigate(safeNext(ctx.query.get('next')), { replace: true });
    } catch (failure) {
      showError(error, messageOf(failure));
      const wrongPassword = failure instanceof ApiFailure && failure.code === 'invalid_credentials';
      password.setAttribute('aria-invalid', String(wrongPassword));
      password.select();
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  return h(
    'main',
    { class: 'auth-page', id: 'main' },
    h(
      'div',
      { class: 'auth-card' },
      h('div', { class: 'auth-brand' }, icon('shield', 28), h('span', null, 'ABS Core')),
      h('h1', null, 'Sign in'),
      h('p', { class: 'lede' }, 'Governance runtime for AI agents: tokens, events and audit.'),
      banner(ctx.query),
      error,
      form,
      providers.github && githubButton(ctx.query),
    ),
    h(
      'p',
      { class: 'auth-foot' },
      'Sessions are kept in a secure cookie and end when you sign out.',
    ),
  );
}

function localProblem(email: HTMLInputElement, password: HTMLInputElement): string | undefined {
  email.removeAttribute('aria-invalid');
  password.removeAttribute('aria-invalid');
  if (!email.value.trim() || !email.validity.valid) {
    email.setAttribute('aria-invalid', 'true');
    email.focus();
    return 'Enter the email address of your account, like name@company.com.';
  }
  if (!password.value) {
    password.setAttribute('aria-invalid', 'true');
    password.focus();
    return 'Enter your password.';
  }
  return undefined;
}

function showError(slot: HTMLElement, message: string): void {
  slot.replaceChildren(callout('bad', message));
}

function banner(query: URLSearchParams) {
  const githubError = query.get('error');
  if (githubError) return callout('bad', GITHUB_ERRORS[githubError] ?? GITHUB_FALLBACK);
  if (query.has('expired')) return callout('warn', 'Your session has ended. Sign in again.');
  if (query.has('signedOut')) return callout('good', 'You have signed out.');
  return null;
}

function githubButton(query: URLSearchParams) {
  const next = safeNext(query.get('next'));
  const href = `/auth/github?returnTo=${encodeURIComponent(next)}`;
  return [
    h('div', { class: 'divider' }, h('span', null, 'or')),
    h(
      'a',
      { class: 'btn btn-secondary btn-block', href },
      icon('github', 18),
      'Sign in with GitHub',
    ),
  ];
}

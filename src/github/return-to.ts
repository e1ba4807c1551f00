const MAX_LENGTH = 512;
const PLACEHOLDER_ORIGIN = 'http://return-to.invalid';

/**
 * Where to land after sign-in: a path on our own origin, or `/`. Anything that a browser could read
 * as another host is refused, also when percent-encoded: `//host`, backslashes (browsers treat
 * `/\host` as `//host`), control characters, schemes and absolute URLs.
 */
export function safeReturnTo(raw: string | undefined | null): string {
  if (!raw || raw.length > MAX_LENGTH || !raw.startsWith('/')) return '/';
  for (const form of decodedForms(raw)) {
    if (form === undefined || looksForeign(form)) return '/';
  }
  const url = new URL(raw, PLACEHOLDER_ORIGIN);
  if (url.origin !== PLACEHOLDER_ORIGIN) return '/';
  // Normalizing dot segments can itself make a host: `/..//evil.example` becomes
  // `//evil.example`. So the result is checked again, not just the input.
  const normalized = url.pathname + url.search + url.hash;
  return looksForeign(normalized) ? '/' : normalized;
}

/** The text as given and up to three rounds of percent-decoding (undefined when malformed). */
function decodedForms(raw: string): (string | undefined)[] {
  const forms: (string | undefined)[] = [raw];
  let current = raw;
  for (let round = 0; round < 3 && current.includes('%'); round++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return [...forms, undefined];
    }
    forms.push(current);
  }
  return forms;
}

function looksForeign(path: string): boolean {
  return (
    !path.startsWith('/') ||
    path.startsWith('//') ||
    path.includes('\\') ||
    /(^|\/)\.\.?(\/|$)/.test(path) ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(path)
  );
}

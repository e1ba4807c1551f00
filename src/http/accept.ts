/**
 * Content negotiation on the Accept header (RFC 9110, section 12.5.1). Only media types are
 * weighed: the answers this service negotiates (a page or problem details) vary by nothing else.
 */

interface MediaType {
  type: string;
  subtype: string;
  /** Parameters other than the weight, names in lower case. */
  params: Map<string, string>;
}

interface MediaRange extends MediaType {
  q: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// At most three decimals, and never above 1 (RFC 9110, section 12.4.2).
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Which of `offers` (media types, the server's favourite first) the client prefers. Each offer
 * weighs the `q` of the most specific range that matches it (`text/html` before `text/*` before
 * the full wildcard; of equally specific ones, the first written); `q=0` means not acceptable.
 * The heaviest offer wins, and a tie goes to the earlier offer. Undefined when the client
 * accepts none of them: the caller then chooses what to send (RFC 9110 lets a server disregard
 * the header rather than answer 406). Without the header, or when it holds nothing that parses,
 * every offer is acceptable and the first wins.
 */
export function preferredType(
  accept: string | undefined,
  offers: readonly string[],
): string | undefined {
  const ranges = accept === undefined ? [] : parseAccept(accept);
  if (ranges.length === 0) return offers[0];
  let best: string | undefined;
  let bestQ = 0;
  for (const offer of offers) {
    const type = parseRange(offer);
    if (!type) throw new Error(`not a media type: ${offer}`);
    const q = weightOf(type, ranges);
    // Strictly heavier only: an equal weight keeps the server's earlier choice.
    if (q > bestQ) {
      best = offer;
      bestQ = q;
    }
  }
  return best;
}

/** The members of an Accept header that parse; a malformed one is skipped, not fatal. */
function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const member of splitOutsideQuotes(header, ',')) {
    const range = parseRange(member);
    if (range) ranges.push(range);
  }
  return ranges;
}

function parseRange(member: string): MediaRange | undefined {
  const parts = splitOutsideQuotes(member, ';');
  const type = parseMediaType(parts[0]!);
  if (!type) return undefined;
  let q = 1;
  for (const part of parts.slice(1)) {
    const param = parsePair(part);
    if (param === null) continue; // an empty parameter, as in `text/html;`
    if (param === undefined) return undefined;
    const [name, value] = param;
    if (name === 'q') {
      if (!QVALUE.test(value)) return undefined;
      q = Number(value);
      // Anything after the weight extends the member (RFC 7231's accept-ext), not the type.
      break;
    }
    type.params.set(name, value);
  }
  return { ...type, q };
}

function parseMediaType(text: string): MediaType | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const type = text.slice(0, slash).trim().toLowerCase();
  const subtype = text
    .slice(slash + 1)
    .trim()
    .toLowerCase();
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  // `*/html` names nothing: a wildcard type needs a wildcard subtype.
  if (type === '*' && subtype !== '*') return undefined;
  return { type, subtype, params: new Map() };
}

/** `name=value` (the value a token or a quoted string); null when empty, undefined if bad. */
function parsePair(text: string): [string, string] | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const equals = trimmed.indexOf('=');
  if (equals < 0) return undefined;
  const name = trimmed.slice(0, equals).trim().toLowerCase();
  const raw = trimmed.slice(equals + 1).trim();
  if (!TOKEN.test(name)) return undefined;
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) return undefined;
    return [name, raw.slice(1, -1).replace(/\\(.)/g, '$1')];
  }
  return TOKEN.test(raw) ? [name, raw] : undefined;
}

/** The weight of the most specific matching range; 0 when none matches. */
function weightOf(offer: MediaType, ranges: MediaRange[]): number {
  let q = 0;
  let specificity = -1;
  for (const range of ranges) {
    if (!matches(range, offer)) continue;
    const s = specificityOf(range);
    if (s > specificity) {
      specificity = s;
      q = range.q;
    }
  }
  return q;
}

function matches(range: MediaRange, offer: MediaType): boolean {
  if (range.type !== '*' && range.type !== offer.type) return false;
  if (range.subtype !== '*' && range.subtype !== offer.subtype) return false;
  // A range with parameters names only the types that have them: `text/html;level=1` says
  // nothing about plain `text/html` (RFC 9110's example in section 12.5.1).
  for (const [name, value] of range.params) {
    if (offer.params.get(name)?.toLowerCase() !== value.toLowerCase()) return false;
  }
  return true;
}

/** The full wildcard < `text/*` < `text/html` < `text/html;level=1`. */
function specificityOf(range: MediaRange): number {
  if (range.type === '*') return 0;
  if (range.subtype === '*') return 1;
  return 2 + range.params.size;
}

/** Splits on `separator`, except inside a quoted string (which may hold commas). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '\\') i += 1;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

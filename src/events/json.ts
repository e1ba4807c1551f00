/** A JSON object as `JSON.parse` made it: not an array, not null, not a class instance. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `value` nests at most `max` arrays and objects deep. Walks with its own stack, because
 * `JSON.parse` accepts nesting far deeper than `JSON.stringify` can write back without
 * overflowing the call stack.
 */
export function nestsWithin(value: unknown, max: number): boolean {
  // Two stacks rather than one of pairs: a batch checks thousands of values, and a pair each
  // was garbage to collect.
  const items: unknown[] = [value];
  const depths: number[] = [1];
  while (items.length > 0) {
    const item = items.pop();
    const depth = depths.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > max) return false;
    for (const child of Object.values(item)) {
      items.push(child);
      depths.push(depth + 1);
    }
  }
  return true;
}

const compactTexts = new WeakMap<object, string>();

/**
 * The compact JSON text of an object, as it is stored. Validation measures it and the stored
 * row needs it: written once, kept as long as the object lives.
 */
export function compactJson(value: object): string {
  let text = compactTexts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    compactTexts.set(value, text);
  }
  return text;
}

/** UTF-8 size of the compact JSON text of `value`, as it is stored. */
export function jsonBytes(value: object): number {
  return Buffer.byteLength(compactJson(value), 'utf8');
}

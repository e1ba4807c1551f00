import fc from 'fast-check';

/** Text with every code unit a JSON string may carry: controls, lone surrogates, NUL. */
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n)) }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    'a\udfffb',
    '\u202e\u200b',
    '__proto__',
    'constructor',
    "' OR 1=1 --",
    '"; drop table users; --',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '${7*7}',
    'admin@example.test',
    'ADMIN@EXAMPLE.TEST',
  ),
);

/** Long strings sit next to every length limit (100, 128, 200, 256, 320, 4 KiB, 64 KiB). */
const longText = fc
  .constantFrom(101, 129, 201, 257, 321, 4097, 70_000)
  .chain((n) => fc.constantFrom('a', 'é', '\u0000', '😀').map((c) => c.repeat(n)));

const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1.5, 2 ** 53 + 2, 1e308, -1e308, Number.MIN_VALUE),
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: anyText, weight: 4 },
  { arbitrary: longText, weight: 1 },
  { arbitrary: number, weight: 2 },
  { arbitrary: fc.constantFrom(true, false, null), weight: 1 },
);

/** An object or array nested `depth` levels deep. */
export function nested(depth: number, asArray: boolean): unknown {
  let value: unknown = asArray ? [] : {};
  for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { a: value };
  return value;
}

export const hostileStructure: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(hostileScalar, { maxLength: 5 }),
  fc.dictionary(anyText, hostileScalar, { maxKeys: 5 }),
  fc.constantFrom(33, 200, 2000).chain((d) => fc.boolean().map((arr) => nested(d, arr))),
  fc.constantFrom(101, 1001, 20_000).map((n) => Array.from({ length: n }, (_, i) => i)),
);

export const hostileValue = fc.oneof(
  { arbitrary: hostileScalar, weight: 3 },
  { arbitrary: hostileStructure, weight: 1 },
);

/** A value for a known field: mostly a good one (so other fields get reached), else hostile. */
export function fieldValue(good: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...good), weight: 3 },
    { arbitrary: hostileValue, weight: 2 },
  );
}

/** JSON text of an object with some of the known fields, maybe extra and prototype keys. */
export function shapedBody(fields: Record<string, readonly unknown[]>): fc.Arbitrary<string> {
  const record = Object.fromEntries(
    Object.entries(fields).map(([key, good]) => [key, fieldValue(good)]),
  );
  return fc
    .tuple(
      fc.record(record, { requiredKeys: [] }),
      fc.dictionary(anyText, hostileValue, { maxKeys: 3 }),
      fc.constantFrom('', '"__proto__":{"role":"admin","isAdmin":true},', '"constructor":{},'),
    )
    .map(([known, extra, proto]) => {
      const text = JSON.stringify({ ...extra, ...known });
      return proto && text.length > 2 ? `{${proto}${text.slice(1)}` : text;
    });
}

/** Every body shape a client could send, as bytes with the content type claimed for them. */
export function hostileBody(fields: Record<string, readonly unknown[]>) {
  const text = fc.oneof(
    { arbitrary: shapedBody(fields), weight: 6 },
    { arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null'), weight: 2 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: fc.constantFrom('', '{', '{"a":1,}', '[1,2', 'null', '"x"', '1e999'), weight: 1 },
    {
      arbitrary: fc.constantFrom(1000, 30_000).map((d) => '['.repeat(d) + ']'.repeat(d)),
      weight: 1,
    },
  );
  const bytes = fc.oneof(
    { arbitrary: text.map((t) => Buffer.from(t, 'utf8')), weight: 8 },
    {
      arbitrary: text.map((t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)])),
      weight: 1,
    },
    { arbitrary: text.map((t) => Buffer.from(t, 'utf16le')), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)), weight: 1 },
    { arbitrary: fc.constantFrom(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), weight: 1 },
  );
  const type = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        'APPLICATION/JSON; charset=utf-8',
        'application/json; charset=utf-16',
        'application/merge-patch+json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonx',
        '',
      ),
      weight: 2,
    },
  );
  return fc.option(fc.record({ bytes, type }), { freq: 6 });
}

/** Header bytes an HTTP client can legally put on the wire (tab, visible ASCII, latin-1). */
export const headerText = (maxLength: number) =>
  fc.string({
    maxLength,
    unit: fc
      .oneof(
        fc.integer({ min: 0x20, max: 0x7e }),
        fc.integer({ min: 0x80, max: 0xff }),
        fc.constant(9),
      )
      .map((n) => String.fromCharCode(n)),
  });

/** A query-string or path value as it may arrive: encoded, badly encoded, or huge. */
export const urlPart = fc.oneof(
  { arbitrary: anyText.map(encode), weight: 4 },
  {
    arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%FF%FE', '%00', '%2e%2e%2f', '..', '.'),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(300, 5000).map((n) => 'x'.repeat(n)), weight: 1 },
);

function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as its raw UTF-8 bytes
  }
}

export const forwardedFor = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('unknown', '1.2.3.4, 5.6.7.8', '999.1.1.1', '::ffff:127.0.0.1', ', ,', ''),
  headerText(60),
);

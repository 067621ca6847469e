import { NonSerializableBodyError } from './errors.js';

/**
 * Turns a body into JSON text, refusing what `JSON.stringify` would silently drop or mangle:
 * BigInt (throws in JSON), cycles, functions and symbols (dropped), `undefined` as the whole body or
 * an array element, and array holes (become nothing / `null`), NaN/Infinity (become `null`), and
 * Map, Set, WeakMap, WeakSet, ArrayBuffer, typed arrays and DataView without a `toJSON` (become `{}`).
 * An object property whose value is `undefined` is omitted, as JSON does: that is how optional fields
 * are usually written, and nothing the caller meant is lost. Objects with `toJSON` (Date, Buffer,
 * Decimal, ...) are checked as what `toJSON` returns; class instances as their own enumerable properties.
 * Strings and keys holding U+0000 or an unpaired surrogate are refused too: the outbox column is jsonb,
 * which rejects them, and that would otherwise fail the caller's transaction with a database error.
 *
 * @throws NonSerializableBodyError naming the JSON path of the first offending value.
 */
export function serializeBody(body: unknown, subject?: string): string {
  // One pass inside JSON.stringify, so each toJSON runs once and the text is exactly JSON.stringify(body).
  // The replacer sees every value after toJSON, depth first, with its holder as `this`.
  const paths = new Map<object, string>();
  const parents = new Map<object, object>();
  return JSON.stringify(body, function (this: object, key: string, value: unknown) {
    const holderPath = paths.get(this);
    const path = holderPath === undefined ? '$' : Array.isArray(this) ? `${holderPath}[${key}]` : `${holderPath}.${key}`;
    const fail = (reason: string): never => {
      throw new NonSerializableBodyError(path, reason, { subject });
    };
    // Keys too: jsonb refuses the same characters in a key as in a value.
    if (holderPath !== undefined && !Array.isArray(this) && UNSTORABLE.test(key)) fail(`a key ${unstorable(key)}`);
    switch (typeof value) {
      case 'string':
        return UNSTORABLE.test(value) ? fail(`a string ${unstorable(value)}`) : value;
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) ? value : fail(`${value} is not a JSON number`);
      case 'bigint':
        return fail('a BigInt');
      case 'function':
        return fail('a function');
      case 'symbol':
        return fail('a symbol');
      case 'undefined':
        // An object property that is undefined is omitted on purpose; anywhere else something is lost.
        return holderPath !== undefined && !Array.isArray(this) ? value : fail(Array.isArray(this) ? 'undefined (or an array hole)' : 'undefined');
    }
    if (value === null) return value;
    const obj = value as object;
    const mangled = mangledKind(obj);
    if (mangled) fail(`a ${mangled} (JSON would turn it into {}); convert it to an array or object first`);
    for (let a: object | undefined = this; a !== undefined; a = parents.get(a)) if (a === obj) fail('a circular reference');
    paths.set(obj, path);
    if (holderPath !== undefined) parents.set(obj, this);
    return obj;
  }) as string;
}

/** What PostgreSQL's jsonb cannot store: U+0000, and UTF-16 surrogates that are not in a pair. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorable(text: string): string {
  return text.includes('\u0000')
    ? 'holding U+0000, which PostgreSQL jsonb cannot store'
    : 'holding an unpaired UTF-16 surrogate, which is not valid Unicode';
}

function mangledKind(obj: object): string | undefined {
  if (obj instanceof Map) return 'Map';
  if (obj instanceof Set) return 'Set';
  if (obj instanceof WeakMap) return 'WeakMap';
  if (obj instanceof WeakSet) return 'WeakSet';
  if (obj instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && obj instanceof SharedArrayBuffer)) return 'ArrayBuffer';
  if (ArrayBuffer.isView(obj)) return obj.constructor.name;
  return undefined;
}

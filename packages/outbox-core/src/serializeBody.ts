import { NonSerializableBodyError } from './errors.js';

/**
 * Turns a body into JSON text, refusing what `JSON.stringify` would silently drop or mangle:
 * BigInt (throws in JSON), cycles, functions and symbols (dropped), `undefined` as the whole body or
 * an array element (becomes nothing / `null`), and NaN/Infinity (become `null`).
 * An object property whose value is `undefined` is omitted, as JSON does: that is how optional fields
 * are usually written, and nothing the caller meant is lost.
 *
 * @throws NonSerializableBodyError naming the JSON path of the first offending value.
 */
export function serializeBody(body: unknown, subject?: string): string {
  check(body, '$', new Set(), subject);
  return JSON.stringify(body);
}

function check(value: unknown, path: string, ancestors: Set<object>, subject: string | undefined): void {
  const fail = (reason: string): never => {
    throw new NonSerializableBodyError(path, reason, { subject });
  };
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(`${value} is not a JSON number`);
      return;
    case 'bigint':
      return fail('a BigInt');
    case 'function':
      return fail('a function');
    case 'symbol':
      return fail('a symbol');
    case 'undefined':
      return fail('undefined');
  }
  if (value === null) return;
  const obj = value as object;
  // toJSON (Date, Decimal, Buffer, ...) decides its own representation; check what it returns.
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
    const replaced = (obj as { toJSON: (key: string) => unknown }).toJSON('');
    if (replaced !== obj) return check(replaced, path, ancestors, subject);
  }
  if (ancestors.has(obj)) fail('a circular reference');
  ancestors.add(obj);
  if (Array.isArray(obj)) {
    obj.forEach((item, i) => check(item, `${path}[${i}]`, ancestors, subject));
  } else {
    for (const [key, item] of Object.entries(obj)) {
      if (item === undefined) continue;
      check(item, `${path}.${key}`, ancestors, subject);
    }
  }
  ancestors.delete(obj);
}

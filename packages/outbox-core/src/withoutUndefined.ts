/**
 * The entries of `value` that are not `undefined`, so that `{ ...defaults, ...withoutUndefined(options) }`
 * keeps a default where the caller wrote `option: undefined`.
 */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

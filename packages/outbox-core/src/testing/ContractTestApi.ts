/**
 * The two functions of a test framework the contract suites need: vitest's, jest's, mocha's or
 * `node:test`'s `describe` and `it` all fit. The suites assert with `node:assert/strict`, so they work
 * with any of them and this package depends on none.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
}

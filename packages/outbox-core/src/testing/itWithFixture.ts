import type { ContractTestApi } from './ContractTestApi.js';

/** The contract suites' `it`: each test gets a fresh fixture, closed after it whatever happens. */
export function itWithFixture<F extends { close?(): Promise<void> }>(it: ContractTestApi['it'], createFixture: () => Promise<F>) {
  return (title: string, body: (fixture: F) => Promise<void>) =>
    it(title, async () => {
      const fixture = await createFixture();
      try {
        await body(fixture);
      } finally {
        await fixture.close?.();
      }
    });
}

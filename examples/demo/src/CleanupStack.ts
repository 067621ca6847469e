/** Undo steps run in reverse order, once, whichever way the demo ends (success, failure, Ctrl-C). */
export class CleanupStack {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<void> | undefined;

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  /** Runs every step even when one fails; later calls return the same promise. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        await step.run().catch((error: unknown) => process.stderr.write(`[demo] cleanup "${step.name}" failed: ${String(error)}\n`));
      }
    })();
    return this.running;
  }
}

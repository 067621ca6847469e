import { createInterface } from 'node:readline';

/** Calls `onCommand` for each line the orchestrator writes to a child's stdin. */
export function onStdinCommand(onCommand: (command: string) => void): void {
  createInterface({ input: process.stdin }).on('line', (line) => onCommand(line.trim()));
}

import type { BenchContext } from '../support/BenchContext.js';
import type { ScenarioResult } from '../support/ScenarioResult.js';
import { backlogBackingOff } from './worstDayBackingOff.js';
import { heldXmin } from './worstDayHeldXmin.js';

/**
 * worst-day (issue 23): a held xmin horizon at a steady 1,000 msg/s (worstDayHeldXmin.ts), then
 * healthy subjects beside a million rows backing off, with and without a 50 ms statement_timeout on
 * the relay's role (worstDayBackingOff.ts). One result: both parts' figures and targets.
 */
export async function worstDay(ctx: BenchContext): Promise<ScenarioResult> {
  const held = await heldXmin(ctx);
  const backingOff = await backlogBackingOff(ctx);
  return {
    id: 'worst-day',
    title: 'Worst day: held xmin, rows backing off (issue 23)',
    figures: { ...held.figures, ...backingOff.figures },
    settings: { ...held.settings, ...backingOff.settings },
    checks: [...held.checks, ...backingOff.checks],
    notes: [...held.notes, ...backingOff.notes],
  };
}

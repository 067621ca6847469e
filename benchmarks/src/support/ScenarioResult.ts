/** The ratio (or figure) a scenario is judged by, with its target. */
export interface TargetCheck {
  /** What is compared, e.g. `relay ÷ min(bounds)`. */
  name: string;
  value: number;
  /** `>=` the target is met when value ≥ target; `<=` when value ≤ target. */
  op: '>=' | '<=';
  target: number;
  met: boolean;
}

/** What one scenario reports: named figures (all numbers), the settings used, its targets and notes. */
export interface ScenarioResult {
  id: string;
  title: string;
  /** Figure name → value, e.g. `relay msg/s` → 5123. */
  figures: Record<string, number>;
  settings: Record<string, string | number | boolean>;
  checks: TargetCheck[];
  /** Free text: what limits a target not met, why an alternative could not run, etc. */
  notes: string[];
}

export function check(name: string, value: number, op: '>=' | '<=', target: number): TargetCheck {
  return { name, value, op, target, met: op === '>=' ? value >= target : value <= target };
}

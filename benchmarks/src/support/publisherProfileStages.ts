import type { ProfileStage } from './cpuProfileStages.js';

const core = /\/outbox-core\/dist\//;
const typeormPackage = /\/outbox-typeorm\/dist\//;

/**
 * Where a publisher transaction's CPU goes, by the parts issue 22 names. Whole stages take everything
 * their call does (the innermost one wins when they nest: trace capture inside validation counts as
 * trace capture); the others take the samples of their own code and of what no named part covers.
 */
export const PUBLISHER_PROFILE_STAGES: ProfileStage[] = [
  { name: 'id generation (uuid v7)', functionName: /^newMessageId$/, url: core, whole: true },
  { name: 'trace capture, no tracer registered', functionName: /^(captureTraceContext|traceContextPlaceholder)$/, url: core, whole: true },
  { name: 'core validation and serialization', functionName: /^validateMessages$/, url: core, whole: true },
  { name: 'core stamping (ids, headers)', functionName: /^stampMessages$/, url: core, whole: true },
  { name: 'transaction seam lookup', functionName: /^resolveTransaction$/, url: typeormPackage, whole: true },
  { name: 'pg parameter encoding (arrays, escaping)', functionName: /^(prepareValue|arrayString|prepareObject)$/, url: /\/pg\/lib\/utils\.js$/, whole: true },
  { name: 'outbox-typeorm insert (row arrays, statement)', url: /\/outbox-typeorm\/dist\/publisher\/insertMessages\.js$/ },
  { name: 'outbox-typeorm publisher (other)', url: typeormPackage },
  { name: 'outbox-core (other)', url: core },
  { name: 'AsyncLocalStorage hooks', url: /^node:(internal\/)?async_(hooks|local_storage|context_frame)/ },
  { name: 'typeorm-transactional', url: /\/node_modules\/typeorm-transactional\// },
  { name: 'pg driver (protocol, pool, results)', url: /\/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\// },
  { name: 'typeorm', url: /\/node_modules\/typeorm\// },
  { name: 'bench (service code)', url: /\/benchmarks\/dist\// },
];

export type { StandardSchemaV1 } from './StandardSchemaV1.js';
export type { ContractBody, ContractInput, ContractSubject, EventContract, EventContractEntries, EventEntry, TypeOnlyEvent } from './EventContract.js';
export { defineContract, eventType } from './defineContract.js';
export { validateEventBody } from './validateEventBody.js';

import type { StandardSchemaV1 } from './StandardSchemaV1.js';

/** A contract entry that only declares the body's type, with no check at run time. Made by {@link eventType}. */
export interface TypeOnlyEvent<Body> {
  /** Never set: carries the body type for the compiler. */
  readonly '~body'?: Body;
}

/** One subject's entry: a Standard Schema (checked at run time) or a type-only entry. */
export type EventEntry = StandardSchemaV1 | TypeOnlyEvent<unknown>;

/** Subject → entry, as handed to {@link defineContract}. */
export type EventContractEntries = Record<string, EventEntry>;

/** The events of one service boundary: shared by the producer (`outbox.typed(contract)`) and its consumers. */
export interface EventContract<E extends EventContractEntries = EventContractEntries> {
  readonly events: E;
}

/** The subjects a contract declares. */
export type ContractSubject<C extends EventContract> = Extract<keyof C['events'], string>;

/** The body a producer passes for `subject` (a schema's input type). */
export type ContractInput<C extends EventContract, S extends ContractSubject<C>> = EntryInput<C['events'][S]>;

/** The body a consumer's handler receives for `subject` (a schema's output type, after validation). */
export type ContractBody<C extends EventContract, S extends ContractSubject<C>> = EntryOutput<C['events'][S]>;

type EntryInput<E> = E extends StandardSchemaV1 ? StandardSchemaV1.InferInput<E> : E extends TypeOnlyEvent<infer B> ? B : never;
type EntryOutput<E> = E extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<E> : E extends TypeOnlyEvent<infer B> ? B : never;

/** What {@link handleOnce} did. */
export type HandleOnceResult<T> =
  /** The handler ran to completion now; `result` is what it returned. */
  | { status: 'processed'; result: T }
  /** The message was already processed at `processedAt`; the handler did not run. */
  | { status: 'duplicate'; processedAt: Date };

/**
 * The part of an `S3Client` (`@aws-sdk/client-s3`) claim-check uses. Structural, so this package's types
 * do not need `@aws-sdk/client-s3`, an optional peer needed only when claim-check is on.
 */
export interface S3ClientLike {
  // `any`: the SDK's `send` is generic in its command; any S3Client fits.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
  destroy(): void;
}

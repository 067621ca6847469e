import { BadRequestException } from '@nestjs/common';

/** Body of `POST /payments`. */
export interface CreatePaymentDto {
  customerId: string;
  amountCents: number;
  currency: string;
  /**
   * Test hook: throw after the event was written, so the transaction rolls back. The payment and
   * its event must both disappear (the demo's "rolled back" case).
   */
  failAfterSend?: boolean;
}

/** Checks a request body by hand (the example carries no validation library). @throws BadRequestException */
export function parseCreatePaymentDto(body: unknown): CreatePaymentDto {
  const b = (body ?? {}) as Record<string, unknown>;
  const problems = [
    typeof b.customerId === 'string' && b.customerId !== '' ? undefined : 'customerId must be a non-empty string',
    Number.isSafeInteger(b.amountCents) && (b.amountCents as number) > 0 ? undefined : 'amountCents must be a positive integer',
    typeof b.currency === 'string' && /^[A-Z]{3}$/.test(b.currency) ? undefined : 'currency must be a 3-letter ISO code',
    b.failAfterSend === undefined || typeof b.failAfterSend === 'boolean' ? undefined : 'failAfterSend must be a boolean',
  ].filter((p) => p !== undefined);
  if (problems.length > 0) throw new BadRequestException(problems);
  return { customerId: b.customerId as string, amountCents: b.amountCents as number, currency: b.currency as string, failAfterSend: b.failAfterSend as boolean | undefined };
}

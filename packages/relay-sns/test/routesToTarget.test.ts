import { expect, it } from 'vitest';
import { parseRoutes } from '../src/cli/parseRoutes.js';
import { routesToTarget } from '../src/cli/routesToTarget.js';

it('routes OUTBOX_ROUTES: an exact subject first, then the longest prefix, then the catch-all', () => {
  const route = routesToTarget(parseRoutes('payment.*=arn:p,payment.refund.*=arn:r,payment.refund.created=arn:exact,*=arn:all'));
  expect(route('payment.refund.created')).toBe('arn:exact');
  expect(route('payment.refund.failed')).toBe('arn:r');
  expect(route('payment.created')).toBe('arn:p');
  expect(route('order.placed')).toBe('arn:all');
  expect(routesToTarget(parseRoutes('a=arn:a'))('b')).toBeUndefined();
});

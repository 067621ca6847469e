import { describe, expect, it } from 'vitest';
import { maskUrlPasswords } from '../src/maskUrlPasswords.js';

describe('maskUrlPasswords', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['postgresql://app:s3cret@db:99999/app', 'postgresql://app:***@db:99999/app'],
    ['mysql://app:s3cret@db/app', 'mysql://app:***@db/app'],
    ['postgres://:s3cret@db/app', 'postgres://:***@db/app'],
    ['postgres://app:p@ss@word@db/app', 'postgres://app:***@db/app'],
    ['postgres://app:%40s3cret%2F@db/app', 'postgres://app:***@db/app'],
    ['postgres://db/app?user=app&password=s3cret&sslmode=require', 'postgres://db/app?user=app&password=***&sslmode=require'],
    ['postgres://db/app?sslpassword=s3cret', 'postgres://db/app?sslpassword=***'],
    ['app:s3cret@db:5432/app', 'app:***@db:5432/app'],
    ['DATABASE_URL must be a URL, got "app:s3cret@db/app".', 'DATABASE_URL must be a URL, got "app:***@db/app".'],
    ['{"msg":"x","url":"postgres://a:s3cret@h/d"}', '{"msg":"x","url":"postgres://a:***@h/d"}'],
    ['two: postgres://a:one@h/d and https://b:two@h2/x', 'two: postgres://a:***@h/d and https://b:***@h2/x'],
  ])('%s → %s', (input, masked) => {
    expect(maskUrlPasswords(input)).toBe(masked);
    expect(maskUrlPasswords(input)).not.toMatch(/s3cret|one@|two@/);
  });

  it.each([
    'postgres://app@db/app',
    'http://127.0.0.1:4566',
    'arn:aws:sns:us-east-1:123456789012:payments',
    'at 12:30 the relay published 10 messages',
    'https://sqs.eu-west-1.amazonaws.com/123456789012/payments.fifo',
  ])('leaves %s alone', (text) => {
    expect(maskUrlPasswords(text)).toBe(text);
  });
});

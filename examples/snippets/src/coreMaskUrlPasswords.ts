// README (outbox-core), "Masking secrets": createSecretMask and maskUrlPasswords in a logger of your own.
declare const error: Error;

// #region mask-url-passwords
import { createSecretMask, maskUrlPasswords } from '@tx-outbox/outbox-core';

const mask = createSecretMask([process.env.DATABASE_URL]);
console.error(mask(String(error.stack ?? error)));
maskUrlPasswords("connect failed: host=db user=app password='s3 cret'"); // "connect failed: host=db user=app password='***'"
// #endregion mask-url-passwords

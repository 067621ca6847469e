// README (outbox-core), "Masking URL passwords": maskUrlPasswords in a logger of your own.
declare const error: Error;

// #region mask-url-passwords
import { maskUrlPasswords } from '@tx-outbox/outbox-core';

maskUrlPasswords('connect failed: postgres://app:s3cret@db:5432/payments'); // 'connect failed: postgres://app:***@db:5432/payments'
console.error(maskUrlPasswords(String(error.stack ?? error)));
// #endregion mask-url-passwords

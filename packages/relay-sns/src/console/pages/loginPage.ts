import type { ConsoleAssets } from '../consoleAssets.js';
import { html, type SafeHtml } from '../html.js';

/** The sign-in form: one access token (OUTBOX_CONSOLE_TOKENS), posted to `login`. */
export function loginPage(base: string, assets: ConsoleAssets, error: string | undefined): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in · outbox console</title>
<link rel="stylesheet" href="${base}assets/${assets.styles.file}" integrity="${assets.styles.integrity}"></head>
<body>
<form class="login" method="post" action="${base}login">
  <h1>tx-outbox console</h1>
  ${error ? html`<div class="banner bad" role="alert">${error}</div>` : null}
  <label for="token">Access token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
  <button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

import type { ConsoleAssets } from '../consoleAssets.js';
import { type SafeHtml, html } from '../html.js';

/** What every page knows about the request it answers. */
export interface PageContext {
  /** The console's path, ending in `/`. */
  base: string;
  assets: ConsoleAssets;
  /** Who is signed in (a token's name, or the application's user), if anyone. */
  actor: string | undefined;
  /** Whether actions are enabled (and the requester may run them). */
  writes: boolean;
  /** The CSRF token forms carry, when actions are possible. */
  csrf: string | undefined;
  /** Whether the console signs in with tokens (so a sign-out button is shown). */
  tokens: boolean;
}

const NAV = [
  ['', 'Overview'],
  ['failures', 'Failures'],
  ['messages', 'Messages'],
] as const;

/** The page around `body`: styles and scripts from files (no inline code: see the CSP), the header, the navigation. */
export function layout(ctx: PageContext, title: string, here: string, body: SafeHtml): SafeHtml {
  const { assets, base } = ctx;
  const asset = (a: ConsoleAssets[keyof ConsoleAssets]) => `${base}assets/${a.file}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · outbox console</title>
<link rel="stylesheet" href="${asset(assets.uplotStyles)}" integrity="${assets.uplotStyles.integrity}">
<link rel="stylesheet" href="${asset(assets.styles)}" integrity="${assets.styles.integrity}">
<script src="${asset(assets.uplot)}" integrity="${assets.uplot.integrity}" defer></script>
<script src="${asset(assets.script)}" integrity="${assets.script.integrity}" defer></script>
</head>
<body>
<header>
  <span class="brand">tx-outbox console</span>
  <nav>${NAV.map(([path, label]) => html`<a href="${base}${path}" class="${here === path ? 'here' : ''}">${label}</a>`)}</nav>
  <span class="who">
    <span class="mode ${ctx.writes ? 'writes' : ''}">${ctx.writes ? 'writes enabled' : 'read-only'}</span>
    ${ctx.actor ? html`<span>${ctx.actor}</span>` : null}
    ${ctx.tokens && ctx.actor && ctx.csrf ? html`<form method="post" action="${base}logout"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button class="quiet" type="submit">Sign out</button></form>` : null}
  </span>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

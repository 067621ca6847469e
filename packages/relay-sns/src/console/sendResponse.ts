import type { ServerResponse } from 'node:http';
import type { SafeHtml } from './html.js';

/**
 * Every response's security headers: a strict Content-Security-Policy (scripts and styles from the
 * console's own files only, no inline code, no frames, forms to itself), no sniffing, no referrer
 * leaving the site, no caching of pages.
 */
export const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** Answers with an HTML page, never cached. */
export function sendPage(res: ServerResponse, status: number, body: SafeHtml, headers: Record<string, string> = {}): void {
  send(res, status, 'text/html; charset=utf-8', body.text, { 'cache-control': 'no-store', ...headers });
}

/** Answers with the security headers, and no body for a HEAD request. */
export function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, ...headers });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

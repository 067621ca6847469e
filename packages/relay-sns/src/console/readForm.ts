import type { IncomingMessage } from 'node:http';
import type { ConsoleFields } from './parseConsoleSelection.js';

/** A form larger than this is refused: the console's forms are a few fields. */
const MAX_FORM_BYTES = 64 * 1024;

/** A request whose body is not a form the console accepts. */
export class FormError extends Error {
  constructor(readonly status: 413 | 415, message: string) {
    super(message);
    this.name = 'FormError';
  }
}

/**
 * The fields of a POSTed `application/x-www-form-urlencoded` form. A body the framework already parsed
 * (Express's and Nest's body parsers set `req.body`) is taken as it is.
 */
export async function readForm(req: IncomingMessage & { body?: unknown }): Promise<ConsoleFields> {
  if (req.body !== undefined && req.body !== null && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) return req.body as ConsoleFields;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new FormError(415, 'the console accepts forms only (application/x-www-form-urlencoded)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new FormError(413, 'form too large');
    chunks.push(chunk as Buffer);
  }
  return fieldsOf(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** URL parameters as fields: one value as a string, a repeated one as an array. */
export function fieldsOf(params: URLSearchParams): ConsoleFields {
  const fields: ConsoleFields = {};
  for (const [key, value] of params) {
    const had = fields[key];
    fields[key] = had === undefined ? value : ([] as string[]).concat(had, value);
  }
  return fields;
}

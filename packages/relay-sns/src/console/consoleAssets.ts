import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A file the console's pages load: served from memory under a name that changes with its content. */
export interface ConsoleAsset {
  /** `name.<hash>.ext`: cached for a year, since a new content is a new name. */
  file: string;
  contentType: string;
  body: Buffer;
  /** Subresource integrity of the file (`sha384-…`), written into the tag that loads it. */
  integrity: string;
}

/** The console's own script and styles, and uPlot's, keyed by what the pages call them. */
export type ConsoleAssets = Record<'script' | 'styles' | 'uplot' | 'uplotStyles', ConsoleAsset>;

/**
 * Reads the assets once, from this package (`assets/console/`) and from uPlot's package: they ship
 * with the package, so nothing is fetched from a CDN at run time.
 */
export function loadConsoleAssets(): ConsoleAssets {
  const own = (name: string) => fileURLToPath(new URL(`../../assets/console/${name}`, import.meta.url));
  const require = createRequire(import.meta.url);
  const uplot = (name: string) => require.resolve(`uplot/dist/${name}`);
  return {
    script: asset('console.js', own('console.js')),
    styles: asset('console.css', own('console.css')),
    uplot: asset('uPlot.js', uplot('uPlot.iife.min.js')),
    uplotStyles: asset('uPlot.css', uplot('uPlot.min.css')),
  };
}

function asset(name: string, path: string): ConsoleAsset {
  const body = readFileSync(path);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  const ext = name.slice(dot + 1);
  return {
    file: `${name.slice(0, dot)}.${hash}.${ext}`,
    contentType: ext === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
    body,
    integrity: `sha384-${createHash('sha384').update(body).digest('base64')}`,
  };
}

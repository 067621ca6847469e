// The docs cannot drift: every TypeScript block of a README must stand, line for line, in a file
// that is compiled under examples/, and the configuration table must list every sidecar setting.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../packages/relay-sns/dist/cli/configSpec.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function walk(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

const normalize = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

const readmes = [
  'README.md',
  ...['packages', 'examples', 'tools'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .map((name) => join(dir, name, 'README.md'))
      .filter((path) => {
        try {
          return statSync(join(root, path)).isFile();
        } catch {
          return false;
        }
      }),
  ),
];
const compiled = walk(join(root, 'examples'), (p) => p.endsWith('.ts') && p.includes(`${'/'}src${'/'}`)).map((path) => ({
  path: relative(root, path),
  lines: normalize(readFileSync(path, 'utf8')),
}));

function containsRun(haystack: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('README code blocks', () => {
  for (const readme of readmes) {
    const text = readFileSync(join(root, readme), 'utf8');
    const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
    blocks.forEach((block, i) => {
      it(`${readme} block ${i + 1} is compiled under examples/`, () => {
        const lines = normalize(block);
        const home = compiled.find((file) => containsRun(file.lines, lines));
        expect(home?.path, `block ${i + 1} of ${readme} not found in any examples/*/src file:\n${block}`).toBeDefined();
      });
    });
  }
});

describe('README configuration reference', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  it('lists every outbox-relay setting with its variable and flag', () => {
    const missing = SETTINGS.filter((s) => !readme.includes(`| \`${s.env}\` | \`--${s.flag}\` |`)).map((s) => s.env);
    expect(missing).toEqual([]);
  });
  it('describes each setting as --help does: commands, default and meaning', () => {
    const row = (s: (typeof SETTINGS)[number]) => {
      const commands = s.commands ? s.commands.join(', ') : 'all';
      const fallback = s.required ? '**required**' : s.default === undefined ? '—' : `\`${s.default}\``;
      return `| \`${s.env}\` | \`--${s.flag}\` | ${commands} | ${fallback} | ${s.help} |`;
    };
    const differing = SETTINGS.filter((s) => !readme.includes(row(s))).map((s) => `${s.env}: expected the row\n${row(s)}`);
    expect(differing).toEqual([]);
  });
  it('keeps the two Quick start commands that CI and the demo rely on', () => {
    expect(readme).toContain('npm install -g pnpm@10.34.9 && pnpm install && pnpm demo\n');
    expect(readme).toContain('npm install -g pnpm@10.34.9 && pnpm install && pnpm test\n');
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['demo', 'test', 'bench', 'test:faults']));
  });
});

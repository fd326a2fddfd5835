// The page brings its own Chinese font, so it reads the same on a machine with
// no CJK font (a fresh CI box, the npm-installed Chromium of the browser test).
// Noto Sans SC from @expo-google-fonts is 10 MB a weight; cut to GB 2312 (the
// 6,763 common characters and their punctuation), ASCII, and every character
// in the bot's own texts, it is about 1.5 MB as WOFF. Subsetting takes a few
// seconds, so the result is kept in node_modules/.cache under a hash of what
// went into it.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import subsetFont from 'subset-font';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);

/** The weights the page's CSS names: regular text, and the bold of titles. */
const WEIGHTS = { 400: '400Regular', 700: '700Bold' } as const;

/** What the page's CSS imports the font files through: `url('kaohe-cjk-font/noto-sans-sc-400.woff')`. */
const ALIAS = 'kaohe-cjk-font';

/** GB 2312's characters, read by decoding each of its two-byte codes. */
function gb2312(): string {
  const gbk = new TextDecoder('gbk');
  let chars = '';
  for (let hi = 0xa1; hi <= 0xf7; hi++)
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const char = gbk.decode(Uint8Array.of(hi, lo));
      if (char !== '\ufffd') chars += char;
    }
  return chars;
}

/** Every non-ASCII character in the files under `dir`, so no text the bot sends falls outside the subset. */
function charactersIn(dir: string): string {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|json)$/.test(entry.name)) continue;
    for (const char of readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
      if (char.codePointAt(0)! > 0x7f) found.add(char);
  }
  return [...found].join('');
}

/**
 * A Vite plugin that writes the subset WOFF files (once per change of the
 * character set or the font package) and points the `kaohe-cjk-font` alias
 * at them; Vite then emits them into assets/ with content hashes, which the
 * bot serves with immutable caching.
 */
export function cjkFont(repoRoot: string): Plugin {
  return {
    name: 'kaohe-cjk-font',
    async config() {
      const fontPackage = path.dirname(
        require.resolve('@expo-google-fonts/noto-sans-sc/package.json'),
      );
      let ascii = '';
      for (let code = 0x20; code < 0x7f; code++) ascii += String.fromCharCode(code);
      const text = [
        ...new Set(
          ascii +
            gb2312() +
            charactersIn(path.join(repoRoot, 'src')) +
            charactersIn(path.join(repoRoot, 'config')),
        ),
      ]
        .sort()
        .join('');
      const version = JSON.parse(readFileSync(path.join(fontPackage, 'package.json'), 'utf8'))
        .version as string;
      const key = createHash('sha256').update(`${version}\n${text}`).digest('hex').slice(0, 16);
      const dir = path.join(repoRoot, 'node_modules', '.cache', 'kaohe-cjk-font', key);
      mkdirSync(dir, { recursive: true });
      for (const [weight, name] of Object.entries(WEIGHTS)) {
        const out = path.join(dir, `noto-sans-sc-${weight}.woff`);
        if (existsSync(out)) continue;
        const ttf = readFileSync(path.join(fontPackage, name, `NotoSansSC_${name}.ttf`));
        // Written aside and renamed, so an interrupted build leaves no half file behind.
        writeFileSync(
          `${out}.${process.pid}`,
          await subsetFont(ttf, text, { targetFormat: 'woff' }),
        );
        renameSync(`${out}.${process.pid}`, out);
      }
      return { resolve: { alias: { [ALIAS]: dir } } };
    },
  };
}

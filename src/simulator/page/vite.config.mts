// Builds the simulator page into dist/simulator/, which the bot serves at /simulator/.
// Run from the repo root: npm run build:page
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { cjkFont } from './cjk-font.mjs';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/simulator/',
  plugins: [cjkFont(here('../../..'))],
  // Preact's JSX through Vite's own oxc transform, so no Babel preset is needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../../../dist/simulator'),
    emptyOutDir: true,
  },
  server: {
    // `vite --config …` for working on the page: the API and files come from a running bot.
    proxy: Object.fromEntries(
      ['/simulator/api', '/simulator/media'].map((p) => [
        p,
        process.env.KAOHE_URL ?? 'http://127.0.0.1:3000',
      ]),
    ),
  },
});

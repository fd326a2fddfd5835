import { existsSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import { send } from '@koa/send';
import { userError } from '../lib/errors';
import { mediaUrl } from './wecom-api';
import type { MediaStore } from './media-store';

// `npm run build:page` writes the page to dist/simulator; from a compiled build
// (dist/src/simulator) the same folder is two levels up.
const PAGE_DIRS = [
  path.resolve(__dirname, '..', '..', 'dist', 'simulator'),
  path.resolve(__dirname, '..', '..', 'simulator'),
];

/** Where the built page is, or null when it was never built. */
export function builtPageDir(): string | null {
  return PAGE_DIRS.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? null;
}

/** Serves the built page at /simulator/ and the files the bot sent at /simulator/media/:id. */
export function registerPageFiles(router: Router, media: MediaStore): void {
  // The router ignores a trailing slash, so /simulator and /simulator/ are one route; assets use absolute paths.
  router.get(['/simulator', '/simulator/assets/:file'], async (ctx) => {
    const root = builtPageDir();
    if (!root) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = '模拟器页面还没有构建。请运行 npm run build:page（npm start 会自动构建）。\n';
      return;
    }
    const file = ctx.params.file ? `assets/${ctx.params.file}` : 'index.html';
    // Built assets carry a content hash in their names: they never change.
    const immutable = file.startsWith('assets/');
    await send(ctx, file, { root, immutable, maxage: immutable ? 31_536_000_000 : 0 });
  });

  router.get(mediaUrl(':id'), (ctx) => {
    const stored = media.get(ctx.params.id!);
    if (!stored) throw userError('not_found', '文件已过期或不存在。');
    ctx.type = path.extname(stored.fileName) || 'application/octet-stream';
    const disposition = stored.type === 'image' ? 'inline' : 'attachment';
    ctx.set(
      'content-disposition',
      `${disposition}; filename*=UTF-8''${encodeURIComponent(stored.fileName)}`,
    );
    ctx.body = stored.data;
  });
}

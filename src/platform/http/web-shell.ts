/**
 * Serves the built web client (`web/dist`) at `/`. Hashed assets are cached for a year; the HTML
 * is revalidated every time so a deployment takes effect at once. Client-side routes fall back to
 * index.html for navigations (GET asking for HTML); everything else stays a JSON 404.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serviceUnavailable } from '../errors/app-error.ts';

export const WEB_DIST = join(import.meta.dirname, '..', '..', '..', 'web', 'dist');

export async function registerWebShell(
  app: FastifyInstance,
  distDir = WEB_DIST,
): Promise<{ navigationFallback: (req: FastifyRequest, reply: FastifyReply) => Promise<boolean> }> {
  const built = existsSync(join(distDir, 'index.html'));
  if (!built) {
    app.get('/', { config: { public: true } }, () => {
      throw serviceUnavailable('The web client has not been built. Run `npm run build:web`.');
    });
    return { navigationFallback: () => Promise.resolve(false) };
  }
  const indexHtml = await readFile(join(distDir, 'index.html'));
  await app.register(async (scope) => {
    // Everything this plugin serves is public: it is the sign-in page and its assets.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
    });
    await scope.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: ['index.html'],
      dotfiles: 'deny',
      setHeaders: (res, path) => {
        res.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  });
  return {
    async navigationFallback(request, reply) {
      const accepts = request.headers.accept ?? '';
      if (request.method !== 'GET' || !accepts.includes('text/html') || request.url.startsWith('/api/'))
        return false;
      await reply
        .code(200)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(indexHtml);
      return true;
    },
  };
}

/**
 * The plain-HTTP listener. It never serves content: every request gets a 308 to the same path on
 * the HTTPS origin (RFC 9110 §15.4.9 keeps the method), so a user who types http:// lands safely.
 */
import { createServer, type Server } from 'node:http';

export function createRedirectServer(httpsOrigin: string, headersTimeoutMs: number): Server {
  const server = createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: headersTimeoutMs * 2 },
    (req, res) => {
      const path = (req.url ?? '/').startsWith('/') ? (req.url ?? '/') : '/';
      res.writeHead(308, {
        location: `${httpsOrigin}${path}`,
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        connection: 'close',
      });
      res.end('Parley is served over HTTPS.\n');
    },
  );
  server.keepAliveTimeout = 1000;
  return server;
}

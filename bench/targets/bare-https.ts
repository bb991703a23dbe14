/**
 * Baseline: the same JSON from a bare `node:https` handler, with the same certificate and TLS
 * profile as Parley, so the difference to Parley is Parley's own stack and nothing else.
 * Run as a child process by bench/http.bench.ts; prints `{"port":N}` once listening.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { intermediateTlsOptions } from '../../src/platform/tls/tls-profile.ts';

const server = createServer(
  {
    ...intermediateTlsOptions,
    cert: readFileSync(process.env.BENCH_CERT_FILE ?? ''),
    key: readFileSync(process.env.BENCH_KEY_FILE ?? ''),
  },
  (req, res) => {
    if (req.method === 'GET' && req.url === '/api/v1/status') {
      const body = JSON.stringify({
        name: 'Parley',
        version: '0.1.0',
        roles: ['api', 'realtime', 'worker'],
        time: new Date().toISOString(),
      });
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    res.writeHead(404).end();
  },
);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close());

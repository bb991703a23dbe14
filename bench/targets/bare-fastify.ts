/**
 * Baseline: the same JSON from a bare Fastify 5 route over HTTPS (no plugins, no hooks, no logger,
 * no schemas), with the same certificate and TLS profile as Parley.
 * Run as a child process by bench/http.bench.ts; prints `{"port":N}` once listening.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { intermediateTlsOptions } from '../../src/platform/tls/tls-profile.ts';

const app = Fastify({
  logger: false,
  https: {
    ...intermediateTlsOptions,
    cert: readFileSync(process.env.BENCH_CERT_FILE ?? ''),
    key: readFileSync(process.env.BENCH_KEY_FILE ?? ''),
  },
});
app.get('/api/v1/status', () => ({
  name: 'Parley',
  version: '0.1.0',
  roles: ['api', 'realtime', 'worker'],
  time: new Date().toISOString(),
}));

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port) })}\n`);
process.on('SIGTERM', () => void app.close());

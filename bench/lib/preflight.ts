/** One verified request before a load run: the chain must verify and the answer must be 200. */
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { LoadTarget } from './load.ts';

/** Resolves with the response headers; rejects on a certificate error or a non-200 status. */
export function preflight(target: LoadTarget): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const req = request(
      target.url,
      { headers: target.headers, ca: target.caPem, servername: target.servername, rejectUnauthorized: true },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) resolve(res.headers);
          else reject(new Error(`${target.label}: ${target.url} answered ${String(res.statusCode)}`));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

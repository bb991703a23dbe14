/**
 * Hands a request that Fastify accepted (security headers set, rate limits applied, body read
 * within its limit) to a tenant's oidc-provider. The provider sees a fresh IncomingMessage with
 * the path below the tenant prefix and, for POSTs, the body as Parley rewrote it; the response goes
 * straight to the socket, keeping the headers Fastify already set.
 */
import { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';

export interface ForwardTarget {
  readonly provider: Provider;
  /** e.g. `/{tenantId}`: oidc-provider builds its endpoint URLs from it. */
  readonly mountPath: string;
  /** Path and query below the mount path. */
  readonly innerUrl: string;
  readonly body?: Buffer;
}

const callbacks = new WeakMap<Provider, ReturnType<Provider['callback']>>();

export async function forwardToProvider(
  request: FastifyRequest,
  reply: FastifyReply,
  target: ForwardTarget,
): Promise<void> {
  const raw = request.raw;
  const message = new IncomingMessage(raw.socket);
  message.method = raw.method ?? 'GET';
  message.url = target.innerUrl;
  message.httpVersion = raw.httpVersion;
  message.httpVersionMajor = raw.httpVersionMajor;
  message.httpVersionMinor = raw.httpVersionMinor;
  const headers = { ...raw.headers };
  if (target.body !== undefined) {
    headers['content-length'] = String(target.body.length);
    delete headers['transfer-encoding'];
    message.push(target.body);
  }
  message.headers = headers;
  message.push(null);
  // The whole body is already here. Without this, the message counts as aborted once read and
  // node:http destroys the real socket with it.
  message.complete = true;
  Object.assign(message, { originalUrl: `${target.mountPath}${target.innerUrl}` });

  reply.hijack();
  const res = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) res.setHeader(name, value);
  }
  let callback = callbacks.get(target.provider);
  if (callback === undefined) {
    callback = target.provider.callback();
    callbacks.set(target.provider, callback);
  }
  await callback(message, res);
}

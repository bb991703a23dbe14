/**
 * MSAL's `system.networkClient` option with a client that trusts exactly the test server's CA.
 * (A deployment sets NODE_EXTRA_CA_CERTS instead; a test process cannot, because the CA is made
 * after the process starts.) The requests MSAL builds are sent unchanged.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { httpsFetch } from './https-client.ts';

export function msalNetwork(caPem: string): INetworkModule {
  const send = async <T>(
    method: string,
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const target = new URL(url);
    const response = await httpsFetch(target.origin, caPem, `${target.pathname}${target.search}`, {
      method,
      headers: options?.headers ?? {},
      ...(options?.body !== undefined ? { body: options.body } : {}),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers))
      if (typeof value === 'string') headers[name] = value;
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = response.text;
    }
    return { headers, body: body as T, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

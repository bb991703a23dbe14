/**
 * Performs one TLS handshake with explicit client settings and reports what was negotiated. Used by
 * `parley doctor` to prove the served profile with real handshakes, and by the tests.
 */
import { connect, type ConnectionOptions, type SecureVersion } from 'node:tls';

export interface HandshakeResult {
  readonly ok: boolean;
  readonly protocol?: string;
  readonly cipher?: string;
  readonly error?: string;
}

export interface ProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly servername?: string;
  readonly ca?: string;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  /** OpenSSL cipher list for TLS ≤ 1.2. */
  readonly ciphers?: string;
  readonly timeoutMs?: number;
}

export function probeHandshake(options: ProbeOptions): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const connectOptions: ConnectionOptions = {
      host: options.host,
      port: options.port,
      servername: options.servername ?? 'localhost',
      rejectUnauthorized: options.ca !== undefined,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.minVersion !== undefined ? { minVersion: options.minVersion } : {}),
      ...(options.maxVersion !== undefined ? { maxVersion: options.maxVersion } : {}),
      // Legacy protocols are disabled at OpenSSL security level 1+; level 0 lets the client offer
      // them so that the refusal we observe is the server's.
      ...(options.ciphers !== undefined ? { ciphers: options.ciphers } : {}),
    };
    let socket: ReturnType<typeof connect>;
    try {
      socket = connect(connectOptions);
    } catch (err) {
      // The local OpenSSL cannot even offer these settings (e.g. a suite compiled out).
      resolve({ ok: false, error: (err as NodeJS.ErrnoException).code ?? 'client_settings_rejected' });
      return;
    }
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, error: 'timeout' });
    }, options.timeoutMs ?? 5000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const result: HandshakeResult = {
        ok: true,
        protocol: socket.getProtocol() ?? '',
        cipher: socket.getCipher().name,
      };
      socket.end();
      resolve(result);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: false, error: err.code ?? err.message });
    });
  });
}

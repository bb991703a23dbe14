/**
 * Mozilla's "intermediate" server-side TLS profile (v6.0), narrowed to what the platform promises:
 * TLS 1.2 and 1.3 only, ECDHE key exchange with AEAD ciphers only (the profile's DHE suites are left
 * out). https://wiki.mozilla.org/Security/Server_Side_TLS
 */
import type { SecureContextOptions } from 'node:tls';

/** TLS 1.3 suites (RFC 8446 §B.4); all are AEAD with ephemeral key exchange. */
export const TLS13_SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
];

/** TLS 1.2 suites: ECDHE + AES-GCM or ChaCha20-Poly1305, ECDSA and RSA certificates. */
export const TLS12_SUITES = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];

/** Groups in preference order; X25519MLKEM768 is the hybrid post-quantum group of profile v6. */
export const ECDH_CURVES = 'X25519MLKEM768:X25519:prime256v1:secp384r1';

/** Options for every TLS server Parley runs. */
export const intermediateTlsOptions: SecureContextOptions & { honorCipherOrder: boolean } = {
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  ciphers: [...TLS13_SUITES, ...TLS12_SUITES].join(':'),
  ecdhCurve: ECDH_CURVES,
  // The profile leaves the choice to the client: every offered suite is strong, and clients know
  // best whether they have AES hardware.
  honorCipherOrder: false,
};

/** `Strict-Transport-Security` value: two years, as the profile recommends. */
export const HSTS_HEADER = 'max-age=63072000; includeSubDomains';

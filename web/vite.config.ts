/**
 * Build of the web client. `npm run build:web` (also run by `npm ci` through `prepare`) writes
 * web/dist, which the server serves at `/` under a strict Content-Security-Policy
 * (`script-src 'self'; style-src 'self'`), so the build must not emit inline scripts or styles.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: 'public',
  // Vite 8 transforms TSX with oxc; React 19's automatic runtime means no `import React` in files.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The modulepreload polyfill is injected as an inline <script>, which CSP `script-src 'self'`
    // would block; every browser Parley supports implements modulepreload natively.
    modulePreload: { polyfill: false },
    // Inlined assets would become data: URLs; keep fonts/scripts as files so CSP stays 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});

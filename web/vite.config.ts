// Builds the web console into web/dist (scripts/build.mjs runs this). The console reaches Keel only
// through the SDK: `@keel/sdk` is src/sdk, `@keel/api/*` the shared request/response types.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
// `npx vite --config web/vite.config.ts` proxies API calls to a running `keel serve`.
const keel = process.env.KEEL_URL ?? 'http://127.0.0.1:4141';

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: [
      { find: '@keel/sdk', replacement: here('../src/sdk/index.ts') },
      { find: /^@keel\/api\/(.*)$/, replacement: `${here('../src/api')}/$1` },
    ],
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/v1', '/ml', '/health'].map((prefix) => [prefix, keel])),
  },
});

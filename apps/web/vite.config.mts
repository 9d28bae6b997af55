// The three fronts, one Vite multi-page build: /h5/ (residents, Vant), /till/ (cashiers and
// merchant admins, Vant), /console/ (officials, Element Plus). Built by `npm run build` into
// web-dist/ at the repository root and served with the APIs on one origin by the web gateway
// (scripts/web-gateway.ts): /api/<app>/… goes to that app. `npx vite --config
// apps/web/vite.config.mts` serves the pages with hot reload against `npm start`'s apps.
import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const apiPorts: Record<string, number> = { issuance: 3001, merchant: 3002, redemption: 3003, settlement: 3004 };

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [vue()],
  // vue-i18n's compile-time flags: the Composition API only, no devtools hooks in production.
  define: { __VUE_I18N_FULL_INSTALL__: true, __VUE_I18N_LEGACY_API__: false, __INTLIFY_PROD_DEVTOOLS__: false },
  // @libs/common/<file>: the backend's pure files the pages share (credit code, districts), one
  // source for both; only files that import nothing from Node.
  resolve: { alias: { '@web': here('src'), '@libs/common': here('../../libs/common/src') } },
  build: {
    outDir: here('../../web-dist'),
    emptyOutDir: true,
    // Element Plus alone is ~300 kB gzip; the console loads it once and caches it, the phone fronts never do.
    chunkSizeWarningLimit: 1200,
    rollupOptions: { input: { h5: here('h5/index.html'), till: here('till/index.html'), console: here('console/index.html') } },
  },
  server: {
    proxy: Object.fromEntries(
      Object.entries(apiPorts).map(([app, port]) => [
        `/api/${app}`,
        { target: `http://127.0.0.1:${port}`, rewrite: (path: string) => path.replace(`/api/${app}`, '') },
      ]),
    ),
  },
});

// @ts-check
import { defineConfig } from 'vite';

// The console's build (`npm run console:build`): static files in console/dist, served by the API's
// own process under / (api/console.ts). JSX is compiled by Vite's own transformer (tsconfig: react-jsx).
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // pdf.js's worker (1.2 MB) is the largest file, fetched only when a PDF is first shown; the first
    // page loads ~130 KB gzip (npm run bench:console prints the sizes).
    chunkSizeWarningLimit: 1300,
    rolldownOptions: {
      // TanStack Query marks its modules "use client" for server components; a browser-only bundle has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  // tfjs-backend-wasm's .wasm files are imported with ?url so they are served from our own origin.
  assetsInclude: ['**/*.wasm'],
  server: { port: 5173 },
  preview: { port: 4173 },
  build: {
    chunkSizeWarningLimit: 3000,
    // `vite build --mode bench` (npm run bench) adds the benchmark pages; the app's own build is unchanged.
    ...(mode === 'bench'
      ? { rollupOptions: { input: { index: 'index.html', glance: 'bench/glance.html', tm: 'bench/tm.html' } } }
      : {}),
  },
}));

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // tfjs-backend-wasm's .wasm files are imported with ?url so they are served from our own origin.
  assetsInclude: ['**/*.wasm'],
  server: { port: 5173 },
  preview: { port: 4173 },
  build: { chunkSizeWarningLimit: 3000 },
});

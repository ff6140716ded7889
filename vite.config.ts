import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { ON_DEMAND_MODEL_FOLDERS } from './src/ml/onDemandModels';
import { ISOLATION_HEADERS } from './src/pwa/isolationHeaders';

/**
 * tfjs-backend-wasm starts its threads by turning the threaded module's factory function into text
 * (`factory.toString()`) and running that text in each thread's worker. The factory reads `_scriptDir` from the
 * closure around it, which the text does not carry: unminified, a `typeof` guard keeps that harmless, but the
 * minifier renames the variable and drops the guard, and every thread dies with "e is not defined". Declaring
 * `_scriptDir` inside the factory makes the text self-contained. (In an ES module `document.currentScript` is null,
 * so the value is the same `undefined` as before.)
 */
function tfjsWasmThreadsSelfContained(): Plugin {
  const file = /tfjs-backend-wasm\/wasm-out\/tfjs-backend-wasm-threaded-simd\.js$/;
  const closure = /var _scriptDir = (typeof document[^\n]*);\n\s*if \(typeof __filename !== 'undefined'\) _scriptDir = _scriptDir \|\| __filename;\n(\s*return \(\s*function\(WasmBackendModuleThreadedSimd\) \{)/;
  return {
    name: 'glance:tfjs-wasm-threads-self-contained',
    enforce: 'pre',
    transform(code, id) {
      if (!file.test(id.split('?')[0])) return null;
      if (!closure.test(code)) throw new Error(`${id}: the threaded factory's _scriptDir closure moved; recheck this patch`);
      return { code: code.replace(closure, '$2\n  var _scriptDir = $1;'), map: null };
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [
    react(),
    tfjsWasmThreadsSelfContained(),
    // Installable and offline after one visit; src/pwa/sw.ts also adds the isolation headers on static hosts.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      // A new version waits for the person's "Reload" (src/app/UpdatePrompt.tsx); src/pwa/updates.ts registers.
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Glance',
        short_name: 'Glance',
        description: 'Train an image classifier in your browser. Nothing leaves your device.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        theme_color: '#2f5bea',
        background_color: '#f4f6fb',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // The app shell, all three .wasm builds (which one runs depends on isolation and SIMD), the icons and every
        // base model file (their weight shards have no extension) except the on-demand ones: "Most accurate" adds
        // 10 MB that a person who never picks it should not download; src/pwa/sw.ts keeps it once it was fetched.
        globPatterns: ['**/*.{js,css,html,wasm,png,webmanifest}', 'models/**/*'],
        globIgnores: Object.keys(ON_DEMAND_MODEL_FOLDERS).map((folder) => `models/${folder}/**`),
        // The largest files are the tfjs bundle and the models' weight shards (a few MB together).
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      },
    }),
  ],
  // The engine worker runs the threaded WASM build too, and config.plugins do not reach worker bundles.
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsSelfContained()] },
  // tfjs-backend-wasm's .wasm files are imported with ?url so they are served from our own origin.
  assetsInclude: ['**/*.wasm'],
  // Cross-origin isolation (SharedArrayBuffer) lets the WASM backend run its threaded SIMD build.
  server: { port: 5173, headers: { ...ISOLATION_HEADERS } },
  preview: { port: 4173, headers: { ...ISOLATION_HEADERS } },
  build: {
    chunkSizeWarningLimit: 3000,
    // `vite build --mode bench` (npm run bench) adds the benchmark pages; the app's own build is unchanged.
    ...(mode === 'bench'
      ? { rollupOptions: { input: { index: 'index.html', glance: 'bench/glance.html', tm: 'bench/tm.html' } } }
      : {}),
  },
}));

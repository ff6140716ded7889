/**
 * The two headers that make a page cross-origin isolated (`crossOriginIsolated`, `SharedArrayBuffer`), which the
 * WASM backend needs for its threaded build. `vite dev`/`vite preview` send them (vite.config.ts); the service
 * worker adds them to what it serves, for static hosts that cannot set headers.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The same response with the isolation headers set. Opaque responses (status 0, from another origin without CORS)
 * are returned as they are: their headers cannot be read or rewritten.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  // A body-less status (204, 304) must be given a null body.
  const body = [101, 204, 205, 304].includes(response.status) ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

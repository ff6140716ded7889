import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, withIsolationHeaders } from './isolationHeaders';

describe('withIsolationHeaders', () => {
  it('adds COOP same-origin and COEP require-corp and keeps status, other headers and body', async () => {
    const original = new Response('<!doctype html>', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'text/html' } });
    const isolated = withIsolationHeaders(original);
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isolated.headers.get('Content-Type')).toBe('text/html');
    expect(isolated.status).toBe(200);
    expect(await isolated.text()).toBe('<!doctype html>');
  });

  it('overrides a weaker policy the server sent', () => {
    const original = new Response('x', { headers: { 'Cross-Origin-Embedder-Policy': 'unsafe-none' } });
    expect(withIsolationHeaders(original).headers.get('Cross-Origin-Embedder-Policy')).toBe(ISOLATION_HEADERS['Cross-Origin-Embedder-Policy']);
  });

  it('keeps a body-less status body-less', () => {
    const isolated = withIsolationHeaders(new Response(null, { status: 304 }));
    expect(isolated.status).toBe(304);
    expect(isolated.body).toBeNull();
  });

  it('returns an opaque response unchanged', () => {
    const opaque = Response.error();
    expect(withIsolationHeaders(opaque)).toBe(opaque);
  });
});

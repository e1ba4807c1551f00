import { describe, expect, it } from 'vitest';
import { PAGE_PATHS, PAGE_POLICY } from '../../src/routes/dashboard.js';
import { call, expectStatus } from '../support/client.js';
import { useServer } from './support/dashboard.js';

const server = useServer();

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('the dashboard pages', () => {
  it.each(PAGE_PATHS)(
    'serves %s as the page with a strict content security policy',
    async (path) => {
      const reply = await call(server(), 'GET', path, { headers: HTML });
      expectStatus(reply, 200);
      expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(reply.headers.get('content-security-policy')).toBe(PAGE_POLICY);
      expect(reply.headers.get('cache-control')).toBe('no-cache');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.text).toContain('<div id="app"></div>');
    },
  );

  it('keeps the policy free of inline code, other hosts and framing', () => {
    expect(PAGE_POLICY).toContain("default-src 'self'");
    expect(PAGE_POLICY).toContain("frame-ancestors 'none'");
    expect(PAGE_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('names only its own files, with no inline script or style', async () => {
    const reply = await call(server(), 'GET', '/');
    const urls = [...reply.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBe(3);
    for (const url of urls) expect(url).toMatch(/^\/assets\/[\w-]+\.(js|css|svg)$/);
    expect(reply.text).not.toMatch(/<script>|<style|style="/);
  });

  it('serves its files with their types and lets caches keep them forever', async () => {
    const shell = await call(server(), 'GET', '/');
    const files = [...shell.text.matchAll(/"(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    const types: Record<string, string> = {
      js: 'text/javascript; charset=utf-8',
      css: 'text/css; charset=utf-8',
      svg: 'image/svg+xml',
    };
    for (const file of files) {
      const reply = await call(server(), 'GET', file);
      expectStatus(reply, 200);
      expect(reply.headers.get('content-type')).toBe(types[file.split('.').pop()!]);
      expect(reply.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      // Nothing is fetched from another host: no web fonts, no CDN.
      expect(reply.text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
  });

  it('answers a revalidation of an unchanged page with 304', async () => {
    const first = await call(server(), 'GET', '/account');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await call(server(), 'GET', '/account', { headers: { 'if-none-match': etag } });
    expectStatus(again, 304);
    expect(again.text).toBe('');
  });

  it('refuses unknown files, including attempts to leave the folder', async () => {
    for (const path of [
      '/assets/nope.js',
      '/assets/..%2f..%2fpackage.json',
      '/assets/index.html',
    ]) {
      const reply = await call(server(), 'GET', path);
      expectStatus(reply, 404);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('answers 404 to any method on a file it does not have, 405 only on one it has', async () => {
    const shell = await call(server(), 'GET', '/');
    const file = /"(\/assets\/[^"]+\.js)"/.exec(shell.text)![1]!;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/assets/nope.js', '/assets/index.html', `${file}x`]) {
        const reply = await call(server(), method, path, { json: {} });
        expectStatus(reply, 404);
        expect(reply.headers.get('allow'), `${method} ${path}`).toBeNull();
        expect(reply.headers.get('content-type')).toBe('application/problem+json');
        expect(reply.body).toMatchObject({ status: 404, code: 'not_found' });
        expect(reply.body.detail).toBe(`No route for ${method} ${path}.`);
      }
      // The same file, and the same file written with a percent-escape, is there: 405.
      for (const path of [file, file.replace(/\.js$/, '%2Ejs')]) {
        expectStatus(await call(server(), 'GET', path), 200);
        const there = await call(server(), method, path, { json: {} });
        expectStatus(there, 405);
        expect(there.headers.get('allow'), `${method} ${path}`).toBe('GET, HEAD');
        expect(there.body.code).toBe('method_not_allowed');
      }
    }
  });

  it('weighs the Accept header to choose its not-found page or problem details', async () => {
    const cases: Array<[accept: string, answer: 'page' | 'problem']> = [
      [HTML.accept, 'page'],
      ['text/html', 'page'],
      ['text/*', 'page'],
      ['application/json;q=0.5, text/html', 'page'],
      ['text/html;q=0, application/json', 'problem'],
      ['text/html;q=0', 'problem'],
      ['application/json, text/html;q=0.1', 'problem'],
      ['text/html, application/json', 'problem'],
      ['*/*', 'problem'],
    ];
    for (const [accept, answer] of cases) {
      const reply = await call(server(), 'GET', '/no/such/page', { headers: { accept } });
      expectStatus(reply, 404);
      if (answer === 'page') {
        expect(reply.headers.get('content-type'), accept).toBe('text/html; charset=utf-8');
        expect(reply.text, accept).toContain('<div id="app"></div>');
      } else {
        expect(reply.headers.get('content-type'), accept).toBe('application/problem+json');
        expect(reply.body, accept).toMatchObject({ status: 404, code: 'not_found' });
      }
    }
  });

  it('shows its own not-found page to a browser at an unknown address', async () => {
    const page = await call(server(), 'GET', '/no/such/page', { headers: HTML });
    expectStatus(page, 404);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const api = await call(server(), 'GET', '/no/such/page');
    expectStatus(api, 404);
    expect(api.body.code).toBe('not_found');
  });
});

describe('the API beside the dashboard', () => {
  it('still answers its own paths with JSON, even for a browser', async () => {
    for (const path of ['/tokens', '/me', '/admin/users', '/admin/nothing-here', '/v1/nothing']) {
      const reply = await call(server(), 'GET', path, { headers: HTML });
      expect(reply.headers.get('content-type'), path).toBe('application/problem+json');
      expect([401, 404]).toContain(reply.status);
    }
    const health = await call(server(), 'GET', '/health', { headers: HTML });
    expectStatus(health, 200);
    expect(health.body.status).toBe('ok');
  });

  it('does not take POSTs to page paths: 405, naming the methods a page answers', async () => {
    const reply = await call(server(), 'POST', '/account', { json: {} });
    expectStatus(reply, 405);
    expect(reply.headers.get('allow')).toBe('GET, HEAD');
    expect(reply.body.code).toBe('method_not_allowed');
  });
});

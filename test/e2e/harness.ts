/**
 * End-to-end harness: builds the page with Vite into a private folder, serves it with
 * `vite preview` on a free port, and launches Debian's Chromium through Playwright (a browser
 * download fails on these machines). Pages opened with `openPage` record console errors, page
 * errors and every request, so tests can assert "no console error" and "no other origin".
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright';
import { repoRoot } from '../helpers/peers';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export interface Site {
  url: string;
  /** Where the build went (to find hashed asset names). */
  outDir: string;
  origin: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  const outDir = mkdtempSync(join(tmpdir(), 'webfax-e2e-'));
  const configFile = resolve(repoRoot, 'vite.config.ts');
  // vitest sets NODE_ENV=test, which would make Vite build a development bundle
  // (import.meta.env.DEV true): build what users get.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = env;
  }
  const port = await freePort();
  const server: PreviewServer = await preview({ configFile, logLevel: 'warn', build: { outDir }, preview: { port, strictPort: true, host: '127.0.0.1', open: false } });
  const origin = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    url: `${origin}/`,
    outDir,
    origin,
    browser,
    async close() {
      await browser.close().catch(() => {});
      await new Promise<void>((r) => server.httpServer.close(() => r()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  /** Requests whose origin is not the site's (blob:/data: are local). */
  foreign(): string[];
}

export async function openPage(site: Site, context: BrowserContext, path = ''): Promise<WatchedPage> {
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  // Workers' and service workers' requests too.
  context.on('request', (r) => { if (!requests.includes(r.url())) requests.push(r.url()); });
  await page.goto(site.url + path);
  return {
    page,
    consoleErrors,
    requests,
    foreign: () => requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== site.origin),
  };
}

/** A page drawn on a canvas, read back as packed 1-bit rows (MSB first, 1 = black). */
export async function canvasBits(canvas: Locator): Promise<{ width: number; height: number; data: Uint8Array }> {
  const got = await canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const stride = (c.width + 7) >> 3;
    const bits = new Uint8Array(stride * c.height);
    for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) if (px[(y * c.width + x) * 4]! < 128) bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
    let s = '';
    for (let i = 0; i < bits.length; i++) s += String.fromCharCode(bits[i]!);
    return { width: c.width, height: c.height, b64: btoa(s) };
  });
  return { width: got.width, height: got.height, data: new Uint8Array(Buffer.from(got.b64, 'base64')) };
}

/** Bytes that differ between two packed pages of the same size. */
export function byteDiff(a: Uint8Array, b: Uint8Array): number {
  let n = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) n++;
  return n;
}

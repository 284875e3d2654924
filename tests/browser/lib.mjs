// tests/browser/lib.mjs: what every browser suite shares.
//
//   import { tap, serve, launch, axeCheck, signIn } from './lib.mjs';
//   const { check, done } = tap();          // also ok, notOk
//   const server = await serve();           // knod serve on $KNOD_DIR
//   const browser = await launch();         // one Chromium per suite
//   const ctx = await desktop(browser);     // CSP bypassed (for axe), 1280x900
//   const axe = axeCheck(check);            // await axe(page, 'name'): a TAP line
//   await signIn(page, server.base, user, password, next);
//   ...
//   await browser.close(); server.stop(); done();
//
// serve() starts `knod serve --dir $KNOD_DIR --listen 127.0.0.1:0` (or uses
// $KNOD_URL when the caller started a server itself), reads the port from
// the line the server prints, and polls /api/v1/status until the first
// computation is ready (no fixed sleeps). Everything prints TAP on stdout.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Where screenshots go: $ARTEFACTS (made if missing). */
export const ART = process.env.ARTEFACTS || 'browser-artefacts';
mkdirSync(ART, { recursive: true });

/** TAP counters: ok(name), notOk(name, detail), check(cond, name, detail),
 *  done() prints the plan and exits 1 when anything failed. */
export function tap() {
  const t = { n: 0, failed: 0 };
  t.ok = (name) => { console.log(`ok ${++t.n} - ${name}`); return true; };
  t.notOk = (name, detail) => {
    t.failed++;
    console.log(`not ok ${++t.n} - ${name}`);
    if (detail) for (const l of String(detail).split('\n')) console.log(`# ${l}`);
    return false;
  };
  t.check = (cond, name, detail) => (cond ? t.ok(name) : t.notOk(name, detail));
  t.done = () => {
    console.log(`1..${t.n}`);
    process.exit(t.failed ? 1 : 0);
  };
  return t;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Start `knod serve` on $KNOD_DIR (extra arguments after --listen) on a
 *  free loopback port and wait until its results are computed. Resolves to
 *  { base, port, stop() }; rejects with the server's log when it does not
 *  come up within limitMs. With $KNOD_URL set, uses that server instead. */
export async function serve(args = [], limitMs = 300000) {
  if (process.env.KNOD_URL) {
    const base = process.env.KNOD_URL.replace(/\/$/, '');
    await ready(base, limitMs);
    return { base, port: Number(new URL(base).port), stop: () => {} };
  }
  const dir = process.env.KNOD_DIR;
  if (!dir || !process.env.KNOD) throw new Error('serve(): $KNOD and $KNOD_DIR are needed');
  const log = openSync(`${dir}/serve.log`, 'a');
  const child = spawn(process.env.KNOD, ['serve', '--dir', dir, '--listen', '127.0.0.1:0', ...args],
                      { stdio: ['ignore', 'pipe', log] });
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    new Promise((r) => lines.once('line', r)),
    exited.then((code) => { throw new Error(`knod serve exited (${code}): see ${dir}/serve.log`); }),
  ]);
  lines.on('line', () => {});  // keep draining
  const m = /(http:\/\/127\.0\.0\.1:(\d+))\//.exec(first);
  if (!m) { child.kill(); throw new Error(`knod serve printed no URL: ${first}`); }
  const server = {
    base: m[1], port: Number(m[2]),
    stop: () => { if (child.exitCode === null) child.kill('SIGTERM'); },
  };
  process.once('exit', server.stop);
  await ready(server.base, limitMs).catch((e) => { server.stop(); throw e; });
  return server;
}

/** Poll GET base/api/v1/status every 100 ms until it says ready. */
export async function ready(base, limitMs = 300000) {
  const until = Date.now() + limitMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const r = await fetch(`${base}/api/v1/status`);
      if (r.ok && (await r.json()).ready) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await sleep(100);
  }
  throw new Error(`knod serve at ${base} was not ready in ${limitMs} ms (${last})`);
}

/** One Chromium (Debian's, or $CHROMIUM) with the flags every suite uses. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
  });
}

/** A desktop context. axe is injected as an inline script, which the
 *  portal's CSP forbids: the test context alone bypasses CSP; the pages
 *  themselves are served with it. */
export function desktop(browser, opts = {}) {
  return browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, ...opts });
}

/** A 375 px phone context (bypassing CSP for axe, as desktop()). */
export function phone(browser) {
  return browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 740 },
                              isMobile: true });
}

/** axe-core's WCAG 2.1 A and AA rules on the page: the violations, one
 *  line each (id, impact, help, the first three nodes). */
export async function axeViolations(p) {
  await p.addScriptTag({ content: AXE });
  return p.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((x) => `${x.id} (${x.impact}): ${x.help}; ` +
      x.nodes.slice(0, 3).map((y) => y.target.join(' ')).join(' | '));
  });
}

/** A checker through tap()'s check: await axe(page, name) prints one TAP
 *  line, "NAME: axe WCAG 2.1 AA, 0 violations", with the violations when not. */
export function axeCheck(check) {
  return async (p, name) => {
    const v = await axeViolations(p);
    check(v.length === 0, `${name}: axe WCAG 2.1 AA, 0 violations`, v.join('\n'));
    return v;
  };
}

/** Sign in through the form of /login?next=NEXT (cookies of the page's
 *  context cleared first) and wait for the page it lands on. */
export async function signIn(page, base, user, password, next = '/') {
  await page.context().clearCookies();
  await page.goto(new URL(`/login?next=${encodeURIComponent(next)}`, base).href);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('form.signin button[type="submit"]');
  await page.waitForLoadState('load');
}

/** The path of the page's URL. */
export const pathOf = (p) => new URL(p.url()).pathname;

// tests/browser/portal.mjs: the public portal in a real Chromium.
//
// usage: KNOD=... KNOD_DIR=STORE node portal.mjs
// (run.sh makes the store; lib.mjs serves it)
//
// Crawls the portal from the start page (same origin, HTML pages only, in
// Swedish and in English), and on every page checks the status, <html lang>,
// axe-core's WCAG 2.1 A and AA rules (0 violations), that the safe-messaging
// help banner is there, and that the page says the same without JavaScript.
// Then it walks the main path as a user would: the catalogue, an indicator,
// another region by the form, English by the switch, a CSV download, a region
// profile and the overview, and the same path by keyboard alone (on to the
// region chooser, the language switch and a download); the error page; the
// print stylesheet. Screenshots of every page template go to ARTEFACTS.
// Prints TAP.
import { tap, serve, launch, desktop, phone as phoneContext, axeViolations as axe, ART }
  from './lib.mjs';

const MAX_PAGES = Number(process.env.MAX_PAGES || 30);
const { ok, notOk, check, done } = tap();
const server = await serve();
const BASE = server.base;
const browser = await launch();
const ctx = await desktop(browser);
const noJs = await browser.newContext({ javaScriptEnabled: false });
const phone = await phoneContext(browser);
const page = await ctx.newPage();
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`); });
page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));

// A page's template: its path with codes and ids taken out.
const template = (u) => {
  const url = new URL(u);
  const parts = url.pathname.split('/').filter(Boolean);
  return (parts.length ? parts[0] + (parts.length > 1 ? '-item' : '') : 'start');
};

const skipLink = (href) =>
  !href || href.startsWith('#') || href.startsWith('mailto:') || href.startsWith('tel:') ||
  /\/api\/|\.(csv|xlsx|json|ics|ndjson|svg|png|css|js)(\?|$)|[?&]format=/.test(href);

// --- the crawl ---------------------------------------------------------
const queue = [new URL('/', BASE).href, new URL('/?lang=en', BASE).href];
const seen = new Set(queue);
const shot = new Set();
let pages = 0;
while (queue.length && pages < MAX_PAGES) {
  const url = queue.shift();
  pages++;
  const resp = await page.goto(url);
  const path = url.replace(BASE, '');
  if (!resp || resp.status() !== 200) {
    notOk(`GET ${path}: 200`, `status ${resp && resp.status()}`);
    continue;
  }
  const want = /[?&]lang=en/.test(url) ? 'en' : null;
  const lang = await page.getAttribute('html', 'lang');
  check(lang === 'sv' || lang === 'en', `${path}: html lang set (${lang})`);
  if (want) check(lang === want, `${path}: lang=en gives an English page`, `lang=${lang}`);
  const v = await axe(page);
  check(v.length === 0, `${path}: axe WCAG 2.1 AA, 0 violations`, v.join('\n'));
  const banner = await page.textContent('body');
  check(/90101/.test(banner) && /116 111/.test(banner) && /112/.test(banner) && /1177/.test(banner),
        `${path}: the help banner (1177, 112, 90101, 116 111)`);
  const t = template(url) + (lang === 'en' ? '-en' : '');
  if (!shot.has(t)) {
    shot.add(t);
    await page.screenshot({ path: `${ART}/${t}.png`, fullPage: true });
    // Without JavaScript the page has the same heading and tables.
    const p2 = await noJs.newPage();
    await p2.goto(url);
    const [h1a, h1b] = [await page.textContent('h1'), await p2.textContent('h1')];
    const [ta, tb] = [await page.locator('table').count(), await p2.locator('table').count()];
    check(h1a === h1b && ta === tb, `${path}: the same without JavaScript`,
          `h1 '${h1a}' vs '${h1b}', tables ${ta} vs ${tb}`);
    await p2.close();
    // On a phone nothing is wider than the screen.
    const p3 = await phone.newPage();
    await p3.goto(url);
    // (against 375, not innerWidth: a mobile viewport widens to fit what
    // overflows, so innerWidth grew with the page and hid it)
    const over = await p3.evaluate(() => document.documentElement.scrollWidth - 375);
    check(over <= 1, `${path}: fits a 375 px phone screen`, `${over} px too wide`);
    // and stays accessible there (charts scroll sideways on a phone: each
    // scrolling region must be reachable by keyboard)
    const vp = await axe(p3);
    check(vp.length === 0, `${path}: axe WCAG 2.1 AA on a phone, 0 violations`, vp.join('\n'));
    await p3.screenshot({ path: `${ART}/${t}-phone.png`, fullPage: false });
    await p3.close();
  }
  for (const href of await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')))) {
    if (skipLink(href)) continue;
    const abs = new URL(href, url);
    if (abs.origin !== new URL(BASE).origin) continue;
    abs.hash = '';
    if (!seen.has(abs.href)) { seen.add(abs.href); queue.push(abs.href); }
  }
}
check(pages >= 8, `the crawl reached at least 8 pages (${pages})`);

// The error page's template (not reached by following links): a 404 and a
// 400 are pages too, with the help banner and 0 axe violations.
// (Its own tab: Chromium logs a 4xx document as a console error.)
const errPage = await ctx.newPage();
for (const [u, want] of [['/no/such/page', 404], ['/indicators/ref-a?level=90', 400]]) {
  const resp = await errPage.goto(new URL(u, BASE).href);
  check(resp && resp.status() === want, `GET ${u}: ${want}`, resp && resp.status());
  const v = await axe(errPage);
  check(v.length === 0, `${u}: axe WCAG 2.1 AA, 0 violations`, v.join('\n'));
  check(/90101/.test(await errPage.textContent('body')), `${u}: the help banner`);
  if (!shot.has('error')) {
    shot.add('error');
    await errPage.screenshot({ path: `${ART}/error.png`, fullPage: true });
  }
}
await errPage.close();
check(shot.size >= 5, `at least 5 page templates seen (${[...shot].join(', ')})`);

// --- the main path, by mouse ------------------------------------------
await import('./flows.mjs').then((m) => m.run({ page, ctx, BASE, ART, ok, notOk, check, axe }));

check(consoleErrors.length === 0, 'no console errors or page errors', consoleErrors.join('\n'));
await browser.close();
server.stop();
done();

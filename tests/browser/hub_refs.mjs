// tests/browser/hub_refs.mjs: the evidence and practice register's pages in
// a real Chromium.
//
// usage: KNOD=... KNOD_DIR=STORE node hub_refs.mjs
// (run_hub_refs.sh makes the store; lib.mjs serves it)
//
// /references (and searched and filtered), a reference, /practices and a
// practice, in Swedish and English: each answers 200 with html lang set,
// carries the public help banner, and passes axe-core's WCAG 2.1 A and AA
// rules (0 violations); the search form sends its query and the result
// links to the reference. Screenshots go to ARTEFACTS. Prints TAP.
import { tap, serve, launch, desktop, axeCheck, ART } from './lib.mjs';

const { check, done } = tap();
const axe = axeCheck(check);
const server = await serve();
const BASE = server.base;
const browser = await launch();
const ctx = await desktop(browser);
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

try {
  const paths = ['/references', '/references?grade=low&type=systematic-review',
                 '/references/2', '/practices', '/practices?level=early', '/practices/2',
                 '/references?lang=en', '/practices/1?lang=en'];
  for (const p of paths) {
    const resp = await page.goto(new URL(p, BASE).href);
    check(resp && resp.status() === 200, `GET ${p}: 200`, resp && resp.status());
    const lang = await page.getAttribute('html', 'lang');
    check(p.includes('lang=en') ? lang === 'en' : lang === 'sv' || lang === 'en',
          `${p}: html lang set (${lang})`);
    check(await page.locator('aside.help').count() === 1, `${p}: the public help banner`);
    await axe(page, p);
    await page.screenshot({ path: `${ART}/hub_refs-${p.replace(/[^a-z0-9]+/gi, '_')}.png`,
                            fullPage: true });
  }
  // The search form: a Swedish word form, then the first hit.
  await page.goto(new URL('/references', BASE).href);
  await page.fill('#q', 'självskador');
  await page.click('form.filters button[type=submit]');
  await page.waitForLoadState('load');
  check(new URL(page.url()).searchParams.get('q') === 'självskador',
        'the search form sends the query', page.url());
  const hits = await page.locator('tbody th a').count();
  check(hits === 4, 'the search finds the four public references', hits);
  await page.locator('tbody th a').first().click();
  await page.waitForLoadState('load');
  check(/^\/references\/\d+$/.test(new URL(page.url()).pathname), 'a hit leads to its page',
        page.url());
  check(errors.length === 0, 'no script errors', errors.join('\n'));
} catch (e) {
  check(false, 'the flow ran to its end', e.stack);
} finally {
  await browser.close();
  server.stop();
}
done();

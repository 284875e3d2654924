// tests/browser/hub_refs.mjs: the evidence and practice register's pages in
// a real Chromium.
//
// usage: KNOD_URL=http://127.0.0.1:PORT ARTEFACTS=DIR node hub_refs.mjs
//
// /references (and searched and filtered), a reference, /practices and a
// practice, in Swedish and English: each answers 200 with html lang set,
// carries the public help banner, and passes axe-core's WCAG 2.1 A and AA
// rules (0 violations); the search form sends its query and the result
// links to the reference. Screenshots go to ARTEFACTS. Prints TAP.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = process.env.KNOD_URL;
const ART = process.env.ARTEFACTS || 'browser-artefacts';
mkdirSync(ART, { recursive: true });

let n = 0, failed = 0;
const check = (cond, name, detail) => {
  if (cond) { console.log(`ok ${++n} - ${name}`); return; }
  failed++;
  console.log(`not ok ${++n} - ${name}`);
  if (detail) for (const l of String(detail).split('\n')) console.log(`# ${l}`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage'],
});
// axe is injected as an inline script, which the portal's CSP forbids: the
// test context alone bypasses CSP; the pages themselves are served with it.
const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

async function axe(p, name) {
  await p.addScriptTag({ content: AXE });
  const v = await p.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((x) => `${x.id} (${x.impact}): ${x.help}; ` +
      x.nodes.slice(0, 3).map((y) => y.target.join(' ')).join(' | '));
  });
  check(v.length === 0, `${name}: axe WCAG 2.1 AA, 0 violations`, v.join('\n'));
}

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
}
console.log(`1..${n}`);
process.exit(0);

// tests/browser/hub.mjs: the knowledge hub's public pages in a real Chromium.
//
// usage: KNOD_URL=http://127.0.0.1:PORT ARTEFACTS=DIR node hub.mjs
//
// The documents (the list, a search, a document, an older version, the diff
// between two versions) and the care pathways (the list, a pathway with a
// region chosen by its form, the patient journey), in Swedish and English:
// on every page the status, <html lang>, axe-core's WCAG 2.1 A and AA rules
// (0 violations), the safe-messaging help banner, and that nothing is wider
// than a 375 px phone screen. The pathway's flow is an SVG with role="img"
// and a title, with its data table beside it. Screenshots go to ARTEFACTS.
// Prints TAP.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = process.env.KNOD_URL;
const ART = process.env.ARTEFACTS || 'browser-artefacts';
mkdirSync(ART, { recursive: true });

let n = 0;
const ok = (name) => console.log(`ok ${++n} - ${name}`);
const notOk = (name, detail) => {
  console.log(`not ok ${++n} - ${name}`);
  if (detail) for (const l of String(detail).split('\n')) console.log(`# ${l}`);
};
const check = (cond, name, detail) => (cond ? ok(name) : notOk(name, detail));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage'],
});
// axe is injected as an inline script, which the portal's CSP forbids: the
// test context alone bypasses CSP; the pages themselves are served with it.
const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

async function axe(p) {
  await p.addScriptTag({ content: AXE });
  return p.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ` +
      v.nodes.slice(0, 3).map((x) => x.target.join(' ')).join(' | '));
  });
}

async function visit(path, name) {
  const resp = await page.goto(BASE + path);
  if (!resp || resp.status() !== 200) {
    notOk(`GET ${path}: 200`, `status ${resp && resp.status()}`);
    return false;
  }
  const lang = await page.getAttribute('html', 'lang');
  check(/lang=en/.test(path) ? lang === 'en' : lang === 'sv' || lang === 'en', `${path}: html lang ${lang}`);
  const v = await axe(page);
  check(v.length === 0, `${path}: axe WCAG 2.1 AA, 0 violations`, v.join('\n'));
  const body = await page.textContent('body');
  check(/90101/.test(body) && /116 111/.test(body) && /112/.test(body) && /1177/.test(body),
        `${path}: the help banner (1177, 112, 90101, 116 111)`);
  await page.screenshot({ path: `${ART}/hub-${name}.png`, fullPage: true });
  const p3 = await phone.newPage();
  await p3.goto(BASE + path);
  const over = await p3.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(over <= 1, `${path}: fits a 375 px phone screen`, `${over} px too wide`);
  await p3.close();
  return true;
}

// Swedish first: ?lang=en sets the language cookie for what follows.
for (const [path, name] of [
  ['/documents', 'documents'], ['/documents?q=sj%C3%A4lvskada', 'search'],
  ['/documents/bemotande-akut', 'document'], ['/documents/versioner?version=1', 'old-version'],
  ['/documents/versioner/diff?from=1&to=2', 'diff'],
  ['/pathways', 'pathways'], ['/pathways/adult', 'pathway'],
  ['/pathways/child?region=12', 'pathway-region'], ['/pathways/child/patientresa', 'patientresa'],
  ['/documents?lang=en', 'documents-en'], ['/pathways/child?region=12&lang=en', 'pathway-en'],
  ['/pathways/child/patientresa?lang=en', 'patientresa-en'],
]) await visit(path, name);
await page.goto(BASE + '/documents?lang=sv');

// The search marks its hits; the document's versions lead to the diff.
await page.goto(BASE + '/documents?q=sj%C3%A4lvskada');
check(await page.locator('ol.hits mark').count() > 0, 'the search marks its hits with <mark>');
await page.goto(BASE + '/documents/versioner?lang=sv');
await page.click('form.choose button');
check(/\/documents\/versioner\/diff\?from=1&to=2/.test(page.url()),
      'the version form opens the diff of the previous and the newest version', page.url());
check(await page.locator('table.diff ins').count() > 0, 'the diff marks added words');

// The pathway: the flow chart and its table; a region chosen by the form.
await page.goto(BASE + '/pathways/child?lang=sv');
await page.selectOption('#region', '03');
await page.click('form.choose button');
check(/region=03/.test(page.url()), 'the region form chooses a region', page.url());
const svg = page.locator('figure.chart svg[role="img"]');
check(await svg.count() === 1, 'the flow is one SVG with role="img"');
check(await page.locator('figure.chart svg title').count() > 0, '... with a title');
const cols = await page.locator('table thead th').allTextContents();
check(cols.includes('Uppsala') && cols.includes('Riket'), 'the table has the nation and the region',
      cols.join(', '));

check(errors.length === 0, 'no page errors', errors.join('\n'));
await browser.close();
console.log(`1..${n}`);

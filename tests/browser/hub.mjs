// tests/browser/hub.mjs: the knowledge hub's public pages in a real Chromium.
//
// usage: KNOD=... KNOD_DIR=STORE node hub.mjs
// (run_hub.sh makes the store; lib.mjs serves it)
//
// The documents (the list, a search, a document, an older version, the diff
// between two versions) and the care pathways (the list, a pathway with a
// region chosen by its form, the patient journey), in Swedish and English:
// on every page the status, <html lang>, axe-core's WCAG 2.1 A and AA rules
// (0 violations), the safe-messaging help banner, and that nothing is wider
// than a 375 px phone screen. The pathway's flow is an SVG with role="img"
// and a title, with its data table beside it. Screenshots go to ARTEFACTS.
// Prints TAP.
import { tap, serve, launch, desktop, phone as phoneContext, axeViolations as axe, ART }
  from './lib.mjs';

const { check, notOk, done } = tap();
const server = await serve();
const BASE = server.base;
const browser = await launch();
const ctx = await desktop(browser);
const phone = await phoneContext(browser);
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

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
  ['/documents/uppfoljning-efter-akutbesok', 'document-links'],
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

// What links to a step is linked at the step's row: the published
// document, the reference and the public practice; the document leads on.
await page.goto(BASE + '/pathways/child?lang=sv');
const row = page.locator('tr', { has: page.locator('th#step-follow-up') });
const doc = row.locator('a[href="/documents/uppfoljning-efter-akutbesok"]');
check(await doc.count() === 1 && await row.locator('a[href="/references/2"]').count() === 1 &&
      await row.locator('a[href="/practices/2"]').count() === 1,
      'the step row links the document, reference and practice linking to it');
await doc.click();
check(/\/documents\/uppfoljning-efter-akutbesok$/.test(page.url()) &&
      await page.locator('a[href="/practices/2"]').count() === 1 &&
      await page.locator('a[href="/practices/3"]').count() === 0,
      'the document links its public practice and not the internal one', page.url());

check(errors.length === 0, 'no page errors', errors.join('\n'));
await browser.close();
server.stop();
done();

// tests/browser/upload.mjs: uploading a file in a real Chromium.
//
// usage: KNOD_URL=http://127.0.0.1:PORT ARTEFACTS=DIR KNOD_PW=... KNOD_PNR=...
//        KNOD_FILE=self_harm.csv node upload.mjs
//
// A registrar signs in with JavaScript off, opens /upload from the
// registration page, uploads a CSV file of self-harm acts with one bad row
// (month 13), follows the status page (it refreshes itself by <meta
// http-equiv=refresh>, no script) to its outcome and reads the reject report
// (line 3, field time) and its CSV; the file's personnummer is on no page.
// Then, with JavaScript on, axe-core's WCAG 2.1 A and AA rules on /upload, its
// error state and the status page (0 violations). Screenshots go to
// ARTEFACTS. Prints TAP.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = process.env.KNOD_URL;
const PW = process.env.KNOD_PW;
const DIGITS = process.env.KNOD_PNR.replace(/\D/g, '').slice(-10);
const FILE = process.env.KNOD_FILE;
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
const path = (p) => new URL(p.url()).pathname;
const noNumber = async (p) => !(await p.content()).replace(/\D/g, '').includes(DIGITS);

async function signin(p, next) {
  await p.goto(new URL(`/login?next=${next}`, BASE).href);
  await p.fill('#username', 'rut.registrar');
  await p.fill('#password', PW);
  await p.click('form.signin button[type="submit"]');
  await p.waitForLoadState('load');
}

// The status page until the import has ended: the page reloads itself.
async function outcome(p) {
  for (let i = 0; i < 300; i++) {
    const state = await p.getAttribute('#state', 'data-state').catch(() => null);
    if (state && state !== 'queued' && state !== 'running') return state;
    await p.waitForTimeout(200);
  }
  return null;
}

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

let status = null;
try {
  // Without JavaScript: the whole flow.
  const plain = await browser.newContext({ javaScriptEnabled: false,
                                           viewport: { width: 1280, height: 900 } });
  const page = await plain.newPage();
  await signin(page, '/register');
  check(path(page) === '/register', 'the registrar lands on the registration page');
  await page.click('a[href="/upload"]');
  await page.waitForLoadState('load');
  check(path(page) === '/upload' && (await page.locator('h1').count()) === 1,
        'the registration page links to /upload, one h1');
  check(await page.getAttribute('form[action="/upload"]', 'enctype') === 'multipart/form-data',
        'the form is multipart');
  await page.setInputFiles('#f-file', FILE);
  await page.click('form[action="/upload"] button[type="submit"]');
  await page.waitForLoadState('load');
  check(/^\/upload\/\d+$/.test(path(page)), 'the upload answers with its status page', page.url());
  status = path(page);
  const state = await outcome(page);
  check(state === 'rejected', 'the file with a bad row is rejected (nothing stored)', state);
  const rows = await page.$$eval('#rejects tbody tr', (trs) => trs.map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  check(rows.length === 1 && rows[0][0] === '3' && rows[0][2] === 'time' &&
        rows[0][3].includes('13'), 'the reject report: line 3, field time, the reason',
        JSON.stringify(rows));
  check(await noNumber(page), 'the personnummer is not on the status page');
  await page.screenshot({ path: `${ART}/upload-status.png`, fullPage: true });
  const csvLink = await page.getAttribute('a[href$="/rejects.csv"]', 'href');
  const r = await page.request.get(new URL(csvLink, BASE).href);
  const csv = await r.text();
  check(r.status() === 200 && csv.split('\n')[0] === 'line,place,field,reason,warning' &&
        csv.split('\n')[1].startsWith('3,,time,') && !csv.replace(/\D/g, '').includes(DIGITS),
        'the report as CSV, without the personnummer', csv);
  await page.goto(new URL('/upload', BASE).href);
  check((await page.locator(`a[href="${status}"]`).count()) === 1,
        '/upload lists the upload, linked to its status page');
  await plain.close();

  // With JavaScript (axe-core): the pages have no accessibility violations.
  const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const p2 = await ctx.newPage();
  const errors = [];
  p2.on('pageerror', (e) => errors.push(`${p2.url()}: ${e.message}`));
  await signin(p2, '/upload');
  check(path(p2) === '/upload', 'signed in again, on /upload');
  await axe(p2, '/upload');
  await p2.screenshot({ path: `${ART}/upload.png`, fullPage: true });
  await p2.click('form[action="/upload"] button[type="submit"]');
  await p2.waitForLoadState('load');
  check((await p2.locator('.error-summary a[href="#f-file"]').count()) === 1,
        'no file chosen: the error summary links to the field');
  await axe(p2, '/upload with its error');
  await p2.goto(new URL(status || '/upload', BASE).href);
  await axe(p2, 'the status page with its reject report');
  check(errors.length === 0, 'no script errors', errors.join('\n'));
} catch (e) {
  check(false, 'the flow ran to its end', e.stack);
}
await browser.close();
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);

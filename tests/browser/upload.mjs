// tests/browser/upload.mjs: uploading a file in a real Chromium.
//
// usage: KNOD=... KNOD_DIR=DIR ARTEFACTS=DIR KNOD_PW=... KNOD_PNR=...
//        KNOD_FILE=self_harm.csv node upload.mjs   (run_upload.sh sets them)
//
// A registrar signs in with JavaScript off, opens /upload from the
// registration page, uploads a CSV file of self-harm acts with one bad row
// (month 13), follows the status page (it refreshes itself by <meta
// http-equiv=refresh>, no script) to its outcome and reads the reject report
// (line 3, field time) and its CSV; the file's personnummer is on no page.
// Then, with JavaScript on, axe-core's WCAG 2.1 A and AA rules on /upload, its
// error state and the status page (0 violations). Screenshots go to
// ARTEFACTS. Prints TAP.
import { tap, serve, launch, desktop, axeCheck, signIn, pathOf as path } from './lib.mjs';

const PW = process.env.KNOD_PW;
const DIGITS = process.env.KNOD_PNR.replace(/\D/g, '').slice(-10);
const FILE = process.env.KNOD_FILE;
const ART = process.env.ARTEFACTS || 'browser-artefacts';

const { check, done } = tap();
const axe = axeCheck(check);
const server = await serve(['--id', 'ref-a']);
const BASE = server.base;
const browser = await launch();
const noNumber = async (p) => !(await p.content()).replace(/\D/g, '').includes(DIGITS);
const signin = (p, next) => signIn(p, BASE, 'rut.registrar', PW, next);

// The status page until the import has ended: the page reloads itself.
async function outcome(p) {
  for (let i = 0; i < 300; i++) {
    const state = await p.getAttribute('#state', 'data-state').catch(() => null);
    if (state && state !== 'queued' && state !== 'running') return state;
    await p.waitForTimeout(200);
  }
  return null;
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
  const ctx = await desktop(browser);
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
server.stop();
done();

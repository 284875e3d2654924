// tests/browser/register.mjs: registering care in a real Chromium.
//
// usage: KNOD=... KNOD_DIR=STORE KNOD_PW=... KNOD_PNR=... node register.mjs
// (run_register.sh makes the store; lib.mjs serves it)
//
// A registrar signs in, opens the self-harm form, sends it with a field
// error (the GOV.UK pattern: the summary takes focus, its link moves focus
// to the field, the personnummer is not written back), then correctly; the
// act is on the person page (after the purpose of use), and in ref-a's
// national count of the next results generation; a first contact of the
// adult pathway puts the person on the worklist with the assessment due;
// the correction and deletion pages. axe-core's WCAG 2.1 A and AA rules on every page (0
// violations). Screenshots go to ARTEFACTS. Prints TAP.
import { tap, serve, launch, desktop, axeCheck, pathOf as path, ART } from './lib.mjs';

const PW = process.env.KNOD_PW;
const PNR = process.env.KNOD_PNR;
const DIGITS = PNR.replace(/\D/g, '').slice(-10);
const { check, done } = tap();
const axe = axeCheck(check);
const server = await serve(['--id', 'ref-a']);
const BASE = server.base;
const browser = await launch();
const ctx = await desktop(browser);
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

const noNumber = async (p) => !(await p.content()).replace(/\D/g, '').includes(DIGITS);
const api = async (u) => (await fetch(new URL(u, BASE).href)).json();
// ref-a's 2024 count of persons for the nation, both sexes, all ages.
const refA = async () => (await api('/api/v1/results?indicator=ref-a&level=nation&period=2024'))
  .results.find((r) => r.sex === 'T' && r.band === 'all').numerator;
// Wait (at most 300 s) for a results generation newer than g; its number.
const nextGeneration = async (g) => {
  const until = Date.now() + 300000;
  let gen = g;
  while (gen <= g && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    gen = (await api('/api/v1/status')).generation;
  }
  return gen;
};
const setField = async (id, v) => {
  if (await page.evaluate((i) => document.getElementById(i).tagName, id) === 'SELECT')
    await page.selectOption('#' + id, v);
  else
    await page.fill('#' + id, v);
};

const gen0 = (await api('/api/v1/status')).generation;
const before = await refA();
try {
  await page.goto(new URL('/login?next=/register', BASE).href);
  await page.fill('#username', 'rut.registrar');
  await page.fill('#password', PW);
  await page.click('form.signin button[type="submit"]');
  await page.waitForLoadState('load');
  check(path(page) === '/register', 'the registrar lands on the list of forms');
  await axe(page, 'register');
  await page.click('a[href="/register/self_harm"]');
  await page.waitForLoadState('load');
  check(path(page) === '/register/self_harm', 'the self-harm form');
  check((await page.locator('h1').count()) === 1, 'one h1');
  await axe(page, 'self-harm form');
  await page.screenshot({ path: `${ART}/register.png`, fullPage: true });

  // A cause code that is no self-harm: the error summary and the field.
  await page.fill('#f-source_id', 'browser-act-1');
  await page.fill('#f-pnr', PNR);
  await page.fill('#f-time', '2024-05-06 07:45');
  await page.fill('#f-cause_code', 'X99');
  await page.click('form.register button[type="submit"]');
  await page.waitForLoadState('load');
  const focused = await page.waitForFunction(() => document.activeElement &&
    document.activeElement.classList.contains('error-summary'), null, { timeout: 5000 })
    .then(() => true, () => false);
  check(focused, 'the error summary has focus');
  check(/^(Fel|Error)/.test(await page.title()), 'the title starts with Error', await page.title());
  check((await page.locator('#f-cause_code-error').count()) === 1 &&
        (await page.getAttribute('#f-cause_code', 'aria-invalid')) === 'true',
        'the error is at the cause code');
  check(await page.inputValue('#f-time') === '2024-05-06 07:45', 'the values are kept');
  check(await page.inputValue('#f-pnr') === '' && await noNumber(page),
        'the personnummer is not written back');
  await axe(page, 'self-harm form with an error');
  await page.screenshot({ path: `${ART}/register-error.png`, fullPage: true });
  await page.click('.error-summary a[href="#f-cause_code"]');
  check(await page.evaluate(() => document.activeElement.id === 'f-cause_code'),
        "the summary's link moves focus to the field");

  // Then correctly: stored, the pseudonym shown.
  await page.fill('#f-cause_code', 'X78');
  await page.fill('#f-pnr', PNR);
  await page.click('form.register button[type="submit"]');
  await page.waitForLoadState('load');
  const link = page.locator('[role="status"] a[href^="/persons/"]');
  check((await link.count()) === 1, 'stored: the notice links to the person by pseudonym');
  check(await noNumber(page), 'the personnummer is not on the page');
  await axe(page, 'self-harm form, stored');
  const href = (await link.count()) ? await link.getAttribute('href') : '/';
  await link.first().click();
  await page.waitForLoadState('load');
  check((await page.locator('input[name="purpose"]').count()) > 0, 'the person page asks the purpose');
  await page.click('form[action="/purpose"] button[type="submit"]');
  await page.waitForLoadState('load');
  check(path(page) === href, 'then shows the person');
  const main = await page.textContent('main');
  check(main.includes('2024-05-06T07:45:00') && main.includes('self_harm_act'),
        'the act is on the person page');
  await axe(page, 'person page');
  await page.screenshot({ path: `${ART}/register-person.png`, fullPage: true });

  // The next results generation counts the act: one person more in ref-a.
  const gen = await nextGeneration(gen0);
  const after = await refA();
  check(gen > gen0 && after === before + 1,
        `the indicator counts the act after the next refresh (ref-a 2024: ${before} -> ${after})`);

  // A first contact of the adult pathway: the assessment is due on the worklist.
  await page.goto(new URL('/register/pathway_steps', BASE).href);
  await setField('f-source_id', 'browser-step-1');
  await setField('f-pnr', PNR);
  await setField('f-pathway', 'adult');
  await setField('f-step', '1_first_contact');
  await setField('f-time', '2024-05-06 08:00');
  await page.click('form.register button[type="submit"]');
  await page.waitForLoadState('load');
  check((await page.locator('[role="status"] a[href="' + href + '"]').count()) === 1,
        'the first contact is stored for the same person');
  // The worklist reads the snapshot of the current results: the next one.
  await nextGeneration(gen);
  await page.goto(new URL('/worklist?as_of=2024-05-16', BASE).href);
  // its clocks, the most overdue first: the assessment (7 days)
  const due = page.locator('tbody tr', { has: page.locator('a[href="' + href + '"]') });
  const dueText = (await due.count()) ? await due.first().textContent() : '';
  check((await due.count()) >= 1 && dueText.includes('2024-05-06') && dueText.includes('2024-05-13'),
        'the person is on the worklist: first contact 2024-05-06, assessment due 2024-05-13', dueText);
  await axe(page, 'worklist with the person');
  await page.goto(new URL(href, BASE).href);
  await page.waitForLoadState('load');

  // Its correction and deletion pages.
  const row = page.locator('tr', { hasText: '2024-05-06T07:45:00' });
  await row.locator('a[href*="/correct?"]').click();
  await page.waitForLoadState('load');
  check(await page.inputValue('#f-cause_code') === 'X78', 'the correction form holds the values');
  await axe(page, 'correction form');
  await page.goBack();
  await page.waitForLoadState('load');
  await page.locator('tr', { hasText: '2024-05-06T07:45:00' }).locator('a[href*="/delete?"]').click();
  await page.waitForLoadState('load');
  check((await page.locator('textarea#reason').count()) === 1, 'the deletion page asks a reason');
  await axe(page, 'deletion page');
  await page.click('form button[type="submit"]');
  await page.waitForLoadState('load');
  check((await page.locator('.error-summary a[href="#reason"]').count()) === 1,
        'no reason: the error summary');
  await axe(page, 'deletion page with an error');
  check(errors.length === 0, 'no script errors', errors.join('\n'));
} catch (e) {
  check(false, 'the flow ran to its end', e.stack);
}
await browser.close();
server.stop();
done();

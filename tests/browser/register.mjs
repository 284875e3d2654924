// tests/browser/register.mjs: registering care in a real Chromium.
//
// usage: KNOD=... KNOD_DIR=STORE KNOD_PW=... KNOD_PNR=... node register.mjs
// (run_register.sh makes the store; lib.mjs serves it)
//
// A registrar signs in, opens the self-harm form, sends it with a field
// error (the GOV.UK pattern: the summary takes focus, its link moves focus
// to the field, the personnummer is not written back), then correctly; the
// act is on the person page (after the purpose of use); the correction and
// deletion pages. axe-core's WCAG 2.1 A and AA rules on every page (0
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

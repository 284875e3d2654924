// tests/browser/survey.mjs: answering a survey and its results in a real
// Chromium.
//
// usage: KNOD=... KNOD_DIR=STORE KNOD_PW=... KNOD_TOKENS=a,b node survey.mjs
// (run_survey.sh makes the store; lib.mjs serves it)
//
// The answer form at /s/{token} (Swedish and English), with axe-core's WCAG
// 2.1 A and AA rules (0 violations); an empty form sent: the error summary
// takes focus and its links move focus to the questions, with axe again;
// the form filled in by keyboard and mouse and sent; the thank-you page;
// the same form without JavaScript; then the results page signed in as a
// coordinator (charts and tables), with axe. Screenshots go to ARTEFACTS.
// Prints TAP.
import { tap, serve, launch, desktop, axeCheck, ART } from './lib.mjs';

const PW = process.env.KNOD_PW;
const TOKENS = (process.env.KNOD_TOKENS || '').split(',');
const { check, done } = tap();
const axe = axeCheck(check);
const server = await serve();
const BASE = server.base;
const browser = await launch();
const ctx = await desktop(browser);
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

const form = new URL(`/s/${TOKENS[0]}`, BASE).href;
let r = await page.goto(form);
check(r.status() === 200, 'the answer form opens', r.status());
check((await page.locator('h1').count()) === 1, 'one h1');
check((await page.locator('form.survey fieldset legend').count()) === 11,
      'a legend for each choice question');
await axe(page, 'the answer form');
await page.screenshot({ path: `${ART}/survey-answer.png`, fullPage: true });
await page.goto(`${form}?lang=en`);
check(await page.locator('html').getAttribute('lang') === 'en', 'English: <html lang="en">');
await axe(page, 'the answer form in English');
await page.goto(`${form}?lang=sv`);

// Sent empty: the summary has focus and leads to the questions.
await page.click('form.survey button[type="submit"]');
await page.waitForLoadState('load');
const focused = await page.waitForFunction(() => document.activeElement &&
  document.activeElement.classList.contains('error-summary'), null, { timeout: 5000 })
  .then(() => true, () => false);
check(focused, 'sent empty: the error summary has focus');
check((await page.locator('.error-summary li a').count()) === 5,
      'the summary lists the five required questions');
check(/^(Fel|Error)/.test(await page.title()), 'the title starts with Error', await page.title());
await axe(page, 'the answer form with errors');
await page.screenshot({ path: `${ART}/survey-errors.png`, fullPage: true });
await page.click('.error-summary a[href="#q-region-0"]');
check(await page.evaluate(() => document.activeElement.id === 'q-region-0'),
      "the summary's link moves focus to the question's first answer");

// Filled in: a radio by keyboard (arrows move within the group), the rest by clicks.
await page.keyboard.press('ArrowDown');
check(await page.isChecked('#q-region-1'), 'arrow keys choose within a radio group');
for (const id of ['q-verksamhet-0', 'q-bemotande-deltagit-0', 'q-bemotande-trygghet-3',
                  'q-nhv-kannedom-1', 'q-lagesbild-teman-0', 'q-lagesbild-teman-2']) {
  await page.click(`label[for="${id}"]`);
}
await page.fill('#q-ovrigt', 'Tack för utbildningen.');
await page.click('form.survey button[type="submit"]');
await page.waitForLoadState('load');
check(/Tack för ditt svar/.test(await page.content()), 'sent: the thank-you page');
await axe(page, 'the thank-you page');

// Without JavaScript the form is the same form and sends.
const noJs = await browser.newContext({ javaScriptEnabled: false });
const p2 = await noJs.newPage();
await p2.goto(new URL(`/s/${TOKENS[1]}`, BASE).href);
for (const id of ['q-verksamhet-1', 'q-region-0', 'q-bemotande-deltagit-2',
                  'q-bemotande-trygghet-2', 'q-nhv-kannedom-2']) {
  await p2.click(`label[for="${id}"]`);
}
await p2.click('form.survey button[type="submit"]');
await p2.waitForLoadState('load');
check(/Tack för ditt svar|Thank you for your answer/.test(await p2.content()), 'without JavaScript: sent');

// The results, as a coordinator.
await page.goto(new URL('/login?next=/surveys/1', BASE).href);
await page.fill('#username', 'anna.coord');
await page.fill('#password', PW);
await page.click('form.signin button[type="submit"]');
await page.waitForLoadState('load');
check(new URL(page.url()).pathname === '/surveys/1', 'signed in: the results page', page.url());
check((await page.locator('figure svg[role="img"]').count()) > 0 &&
      (await page.locator('section.survey-question table').count()) > 0,
      'charts with their tables');
await axe(page, 'the results page');
await page.screenshot({ path: `${ART}/survey-results.png`, fullPage: true });
await page.goto(new URL('/surveys', BASE).href);
await axe(page, 'the list of surveys');
check(errors.length === 0, 'no script errors', errors.join('\n'));
await browser.close();
server.stop();
done();

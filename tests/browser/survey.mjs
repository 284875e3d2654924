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
// coordinator (charts and tables), with axe; a survey built, sent and
// closed through the portal's forms, with axe on each of their pages.
// Screenshots go to ARTEFACTS.
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

// A survey built, sent and closed in the portal (web_survey_edit.h), by
// its forms, with axe on each page.
const go = async (path) => page.goto(new URL(path, BASE).href);
const submit = async () => {
  await Promise.all([page.waitForLoadState('load'), page.click('main form.register button[type="submit"]')]);
};
await go('/surveys/new');
await axe(page, 'a new survey: the form');
await submit();
check((await page.locator('.error-summary a[href="#f-survey-code"]').count()) === 1,
      'a new survey sent empty: the error summary links the code');
await axe(page, 'a new survey: the form with errors');
await page.fill('#f-survey-code', 'webbkurs');
await page.fill('#f-survey-title-sv', 'Webbkurs');
await page.fill('#f-survey-title-en', 'Web course');
await submit();
const edit = new URL(page.url()).pathname;
check(/^\/surveys\/\d+\/edit$/.test(edit), 'made: its page', page.url());
await axe(page, "a new survey's page, no questions");
await go(edit.replace('/edit', '/questions/new'));
await axe(page, 'the question form');
await page.selectOption('#f-q-kind', 'scale');
await page.fill('#f-q-text-sv', 'Hur nyttigt?');
await page.fill('#f-q-text-en', 'How useful?');
await page.fill('#f-q-min', '7');
await submit();
check((await page.locator('#f-q-min-error').count()) === 1, 'a bad scale: the error at min');
await axe(page, 'the question form with errors');
await page.fill('#f-q-min', '1');
await page.fill('#f-q-max', '5');
for (const [f, v] of [['sv', 'Inte alls'], ['en', 'Not at all']]) await page.fill(`#f-q-min-label-${f}`, v);
for (const [f, v] of [['sv', 'Mycket'], ['en', 'Very']]) await page.fill(`#f-q-max-label-${f}`, v);
await submit();
check(new URL(page.url()).pathname === edit, 'the question added: back on its page', page.url());
await axe(page, "the survey's page with a question");
await go(edit.replace('/edit', '/preview'));
check((await page.locator('form.survey fieldset legend').count()) === 1, 'the preview: the form');
await axe(page, 'the preview');
await go(edit.replace('/edit', '/send'));
await axe(page, 'the send form');
await page.selectOption('#f-send-region', '12');
await page.fill('#f-send-count', '2');
await submit();
check((await page.locator('textarea#links[readonly]').count()) === 1, 'sent: the links to copy');
await axe(page, 'the links, shown once');
await go(edit.replace('/edit', '/close'));
await axe(page, 'the close form');
await go(edit.replace('/edit', '/link'));
await axe(page, 'the form of the survey before');
await go('/surveys/new/file');
await axe(page, 'a new survey from a file');
await go('/surveys/new/example');
await axe(page, 'a new survey from an example');
check(errors.length === 0, 'no script errors', errors.join('\n'));
await browser.close();
server.stop();
done();

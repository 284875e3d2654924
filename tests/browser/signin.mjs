// tests/browser/signin.mjs: signing in and the signed-in pages in a real
// Chromium.
//
// usage: KNOD=... KNOD_DIR=STORE KNOD_PW=... KNOD_OWN=... KNOD_FOREIGN=... node signin.mjs
// (run_signin.sh makes the store; lib.mjs serves it)
//
// The sign-in form with axe-core's WCAG 2.1 A and AA rules (0 violations)
// before and after an error; the GOV.UK error pattern (the summary takes
// focus, its links move focus to the field); a sign-in by keyboard alone;
// the account page with a yearly review's reminder, and recording the review;
// sign-out; and the same sign-in without JavaScript.
// Screenshots go to ARTEFACTS. Prints TAP.
import { tap, serve, launch, desktop, axeCheck, pathOf as path, ART } from './lib.mjs';

const PW = process.env.KNOD_PW;
const { check, done } = tap();
const axe = axeCheck(check);
const server = await serve(['--id', 'ref-a']);
const BASE = server.base;
const browser = await launch();
const ctx = await desktop(browser);
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

// The form, from the link in every page's header.
await page.goto(new URL('/', BASE).href);
await page.click('header a[href="/login"]');
check(path(page) === '/login', 'the header links to the sign-in page');
check((await page.locator('h1').count()) === 1, 'login: one h1');
await axe(page, 'login');
await page.screenshot({ path: `${ART}/login.png`, fullPage: true });

// Both fields empty: the summary at the top has focus and names both.
await page.click('form.signin button[type="submit"]');
check(path(page) === '/login', 'an empty form stays on the sign-in page');
// The summary takes focus by autofocus when the answer has loaded: wait for it (a
// focus that never comes still fails after 5 s).
await page.waitForLoadState('load');
const focused = await page.waitForFunction(() => document.activeElement &&
  document.activeElement.classList.contains('error-summary'), null, { timeout: 5000 })
  .then(() => true, () => false);
check(focused, 'the error summary has focus');
check((await page.locator('.error-summary li a').count()) === 2, 'the summary lists both fields');
check(/^(Fel|Error)/.test(await page.title()), 'the title starts with Error', await page.title());
await axe(page, 'login with errors');
await page.screenshot({ path: `${ART}/login-errors.png`, fullPage: true });
await page.click('.error-summary a[href="#password"]');
check(await page.evaluate(() => document.activeElement.id === 'password'),
      "the summary's link moves focus to the field");

// A wrong password: one error, the same words as for an unknown user.
await page.fill('#username', 'anna.coord');
await page.fill('#password', 'fel-lösenord-123');
await page.click('form.signin button[type="submit"]');
await page.waitForLoadState('load');
const wrong = await page.textContent('.error-summary');
await page.fill('#username', 'ingen.alls');
await page.fill('#password', 'fel-lösenord-123');
await page.click('form.signin button[type="submit"]');
await page.waitForLoadState('load');
check(wrong && wrong === await page.textContent('.error-summary'),
      'unknown user and wrong password read the same');
check(await page.inputValue('#password') === '', 'the password is not filled in again');

// By keyboard alone: tab to the fields, type, Enter.
await page.goto(new URL('/login', BASE).href);
await page.focus('#username');
await page.keyboard.type('anna.coord');
await page.keyboard.press('Tab');
check(await page.evaluate(() => document.activeElement.id === 'password'),
      'Tab goes from the user name to the password');
await page.keyboard.type(PW);
await page.keyboard.press('Enter');
await page.waitForURL('**/account');
check(path(page) === '/account', 'a good sign-in by keyboard lands on the account page');
check((await page.textContent('main')).includes('anna.coord'), 'the account page names the user');
await axe(page, 'account with a yearly review due');
await page.screenshot({ path: `${ART}/account.png`, fullPage: true });
// The yearly review's reminder (docs/hub.md): the document, its due date, and
// the form that records a review without need to revise.
const rem = page.locator('#reviews li');
check(/^(Dokument att granska|Documents due for review)$/.test(
        await page.locator('#reviews h2').textContent()) &&
      (await rem.count()) === 1 && /2026-09-15/.test(await rem.first().textContent()),
      'the account page reminds the owner of the overdue review',
      await page.locator('main').innerHTML());
await page.fill('#note-bemotande-akut', 'Fortfarande aktuell.');
await rem.first().locator('button').press('Enter');
await page.waitForURL('**/account#reviews');
check((await page.locator('#reviews').count()) === 0, 'recording the review removes the reminder');

// The document workflow (docs/hub.md, The workflow in the portal): the
// workspace from the navigation, a draft's workflow page, a refused text.
await page.click('nav a[href="/documents/work"]');
await page.waitForLoadState('load');
check((await page.locator('main a[href="/documents/stod-till-narstaende/work"]').count()) === 1,
      'the workspace lists the draft with a link to its workflow page');
await axe(page, 'documents in process');
await page.click('main a[href="/documents/stod-till-narstaende/work"]');
await page.waitForLoadState('load');
check((await page.locator('form[action$="/work/step"]').count()) === 2,
      "the owner's two steps from draft are forms (review, archived)");
await axe(page, "a draft's workflow page");
await page.fill('#f-reviewer_user', 'admin.demo');
await page.click('form[aria-labelledby="reviewer-form-h"] button[type="submit"]');
await page.waitForLoadState('load');
check((await page.locator('section[aria-labelledby="f-reviewer"] li').count()) === 1 &&
      (await page.locator('form.row-action button').count()) === 1,
      'a reviewer named on the workflow page: listed, with a button to remove');
await axe(page, 'the workflow page with a named reviewer');
await page.fill('#f-version_text', '---\nid: stod-till-narstaende\n---\n');
await page.click('form[action$="/work/version"] button[type="submit"]');
await page.waitForLoadState('load');
check((await page.locator('.error-summary a[href="#f-version_text"]').count()) >= 1,
      'a refused text: the summary links the field');
await axe(page, 'the workflow page with an error');
await page.screenshot({ path: `${ART}/hub-work.png`, fullPage: true });
await page.goto(new URL('/account', BASE).href);
const cookies = await ctx.cookies();
const sc = cookies.find((c) => c.name === 'knod_session');
check(sc && sc.httpOnly && sc.sameSite === 'Lax', 'the session cookie is HttpOnly, SameSite=Lax',
      JSON.stringify(sc));
check(!(await page.evaluate(() => document.cookie)).includes('knod_session'),
      'script cannot read the session cookie');

// Sign out: back to the start page, signed out.
await page.click('form[action="/logout"] button');
check(path(page) === '/', 'sign-out lands on the start page');
check((await page.locator('header a[href="/login"]').count()) === 1, 'and the header offers sign-in');
await page.goto(new URL('/account', BASE).href);
check(path(page) === '/login', 'after sign-out /account asks to sign in');

// Without JavaScript: the form works the same (no script needed).
const noJs = await browser.newContext({ javaScriptEnabled: false });
const p2 = await noJs.newPage();
await p2.goto(new URL('/login?next=/account', BASE).href);
await p2.fill('#username', 'admin.demo');
await p2.fill('#password', PW);
await p2.click('form.signin button[type="submit"]');
check(path(p2) === '/account', 'sign-in works without JavaScript');
await noJs.close();

// The administrator's pages.
await page.goto(new URL('/login?next=/admin/users', BASE).href);
await page.fill('#username', 'admin.demo');
await page.fill('#password', PW);
await page.click('form.signin button[type="submit"]');
check(path(page) === '/admin/users', 'the administrator lands on the user list');
await axe(page, 'admin users');
await page.screenshot({ path: `${ART}/admin-users.png`, fullPage: true });
await page.goto(new URL('/admin/audit', BASE).href);
check((await page.locator('table caption').count()) === 1, 'the audit page has a captioned table');
await axe(page, 'admin audit');
await page.click('form[action="/logout"] button').catch(() => {});
await ctx.clearCookies();

// The coordinator: purpose of use, a person, emergency access, the review.
const OWN = process.env.KNOD_OWN, FOREIGN = process.env.KNOD_FOREIGN;
await page.goto(new URL(`/login?next=/persons/${OWN}`, BASE).href);
await page.fill('#username', 'anna.coord');
await page.fill('#password', PW);
await page.click('form.signin button[type="submit"]');
check(path(page) === `/persons/${OWN}` && (await page.locator('input[name="purpose"]').count()) === 3,
      'the first person page asks for the purpose of use');
await axe(page, 'purpose');
await page.check('#purpose-quality');
// the answer is the same URL: wait for its table rather than the URL (a
// loaded machine otherwise reads the purpose page still showing)
await page.click('main form button[type="submit"]');
await page.locator('table caption').first().waitFor({ timeout: 30000 }).catch(() => {});
check(path(page) === `/persons/${OWN}` && (await page.locator('table caption').count()) === 1,
      'then it shows the person');
await axe(page, 'person');
await page.screenshot({ path: `${ART}/person.png`, fullPage: true });
const resp = await page.goto(new URL(`/persons/${FOREIGN}`, BASE).href);
check(resp.status() === 403, 'a person outside the scope: 403');
await axe(page, 'person outside the scope');
await page.click(`a[href="/persons/${FOREIGN}/emergency"]`);
await axe(page, 'emergency form');
await page.fill('#reason', 'kort');
await page.click('main form button[type="submit"]');
await page.locator('.error-summary').first().waitFor({ timeout: 30000 }).catch(() => {});
check((await page.locator('.error-summary').count()) === 1, 'a short reason: the error summary');
await axe(page, 'emergency form with an error');
await page.fill('#reason', 'Akut omhändertagande, journalen behövs nu');
await page.click('main form button[type="submit"]');
await page.locator('.warning').first().waitFor({ timeout: 30000 }).catch(() => {});
check(path(page) === `/persons/${FOREIGN}` && (await page.locator('.warning').count()) === 1,
      'emergency access opens the person, marked');
await page.goto(new URL('/review/12', BASE).href);
await axe(page, 'review');

check(errors.length === 0, 'no page errors', errors.join('\n'));
await browser.close();
server.stop();
done();

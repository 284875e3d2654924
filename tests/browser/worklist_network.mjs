// tests/browser/worklist_network.mjs: the care-pathway worklist and the
// network's pages in a real Chromium.
//
// usage: KNOD=... KNOD_DIR=STORE KNOD_PW=... node worklist_network.mjs
// (run_worklist_network.sh makes the store; lib.mjs serves it)
//
// Every page loads (200) with axe-core's WCAG 2.1 A and AA rules at 0
// violations. The registrar's worklist: a table whose rows are sorted by
// days overdue, most first (read from the table), and a person link that
// asks for the purpose of use; the coordinator's units table. The network's
// public pages show the objects run_worklist_network.sh made (the node, the
// group and its member, the NHV unit, the training, the activity and its
// funding, the grant divided to the krona, the event and the link to
// /events.ics); the coordinator's consultations list the case of region 12.
// One page again without JavaScript. The coordinator's forms of the
// inventory (a unit's change, with and without errors, and the add form),
// and of the network (a group, a member, a training, its participants).
// The navigation by role (the main menu's link to the network; the
// network's menu linking consultations, surveys and the follow-up report
// only for those who may open them), and the follow-up report in the
// portal's layout, its form and its language switch, in Swedish and English.
// Screenshots go to ARTEFACTS. Prints TAP.
import { tap, serve, launch, desktop, phone, axeCheck, signIn as signInAt, pathOf as path, ART }
  from './lib.mjs';

const PW = process.env.KNOD_PW;
// a day on which region 12 of the synthetic store (seed 7) has open clocks
const AS_OF = '2024-03-31';
const { check, done } = tap();
const axe = axeCheck(check);
const server = await serve(['--id', 'ref-a']);
const BASE = server.base;
const browser = await launch();
const ctx = await desktop(browser);
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

const digits = (s) => String(s || '').replace(/\D/g, '');
const main = async (p) => (await p.textContent('main')) || '';

// Open a page: 200, one h1, axe, a screenshot. Returns the main text.
async function visit(p, url, name) {
  const r = await p.goto(new URL(url, BASE).href);
  check(r && r.status() === 200, `${name}: ${url} answers 200`, r && r.status());
  check((await p.locator('h1').count()) === 1, `${name}: one h1`);
  await axe(p, name);
  await p.screenshot({ path: `${ART}/wlnet-${name.replace(/[^a-z0-9]+/gi, '-')}.png`, fullPage: true });
  return main(p);
}
const signIn = (user, next) => signInAt(page, BASE, user, PW, next);

// The network's public pages, signed out.
let t = await visit(page, '/nodes', 'nodes');
check(t.includes('Kunskapsnod Skåne'), 'nodes: the node is listed');
// Navigation: the main menu links the network; its own menu links only
// the pages the visitor may open (the route table decides).
const subnav = (href) => page.locator(`nav.subnav a[href="${href}"]`).count();
check((await page.locator('header.site nav a[href="/nodes"]').count()) === 1,
      'the main navigation links the network');
check((await subnav('/surveys')) === 0 && (await subnav('/consultations')) === 0 &&
      (await subnav('/report/followup')) === 0,
      "signed out: the network's menu has no surveys, consultations or report");
t = await visit(page, '/groups?as_of=2026-06-01', 'groups');
check((await page.locator('a[href="/groups/nag"]').count()) === 1, 'groups: links the group');
await page.click('a[href="/groups/nag"]');
check(path(page) === '/groups/nag', 'the link opens the group');
t = await visit(page, '/groups/nag?as_of=2026-06-01', 'group');
check(t.includes('Nationella arbetsgruppen') && t.includes('Anna Andersson'),
      'group: its name and its member');
t = await visit(page, '/units', 'units');
check((await page.locator('a[href="/units/nhv-lund"]').count()) >= 1, 'units: the NHV clinic is listed');
t = await visit(page, '/units/nhv-lund', 'unit');
check(t.includes('NHV Lund'), 'unit: its name');
t = await visit(page, '/trainings?from=2025-01-01&to=2025-12-31', 'trainings');
check(t.includes('DBT grundkurs i Skåne'), "trainings: the training's title");
const tr = page.locator('tr', { has: page.locator('th', { hasText: 'DBT grundkurs i Skåne' }) }).first();
const trCells = (await tr.count()) ? await tr.locator('td').allTextContents() : [];
check(trCells.length > 0 && digits(trCells[trCells.length - 1]) === '23',
      'trainings: its 23 participants', trCells.join(' | '));
const reg = page.locator('tr', { has: page.locator('th', { hasText: /^12\b/ }) }).first();
const regCells = (await reg.count()) ? await reg.locator('td').allTextContents() : [];
check(regCells.length === 2 && digits(regCells[1]) === '23', 'trainings: 23 participants of region 12',
      regCells.join(' | '));
t = await visit(page, '/activities?year=2025', 'activities');
const act = page.locator('tr', { has: page.locator('th', { hasText: 'Bemötandeutbildning i Skåne' }) }).first();
const actCells = (await act.count()) ? await act.locator('td').allTextContents() : [];
check(actCells.some((c) => digits(c) === '250000') && actCells.some((c) => digits(c) === '120000'),
      'activities: the activity with 250000 allocated and 120000 spent', actCells.join(' | '));
t = await visit(page, '/funding?grant=10000000&year=2025', 'funding');
const foot = await page.locator('tfoot td').allTextContents();
check(foot.length >= 5 && digits(foot[foot.length - 1]) === '10000000',
      'funding: the parts sum to the grant', foot.join(' | '));
check((await page.locator('tbody tr').count()) === 21, 'funding: a part for each of the 21 regions');
t = await visit(page, '/events', 'events');
check((await page.locator('a[href="/events.ics"]').count()) >= 1, 'events: links /events.ics');
const ev = page.locator('main a[href^="/events/"]', { hasText: 'Bemötande vid självskadebeteende' }).first();
check((await ev.count()) === 1, 'events: the event is listed');
const evHref = (await ev.count()) ? await ev.getAttribute('href') : '/events/1';
t = await visit(page, evHref, 'event');
check(t.includes('Bemötande vid självskadebeteende') && t.includes('Kunskapsnod Skåne'),
      'event: its title and organiser');

// Without JavaScript: the activities page still shows the activity.
const noJs = await browser.newContext({ javaScriptEnabled: false });
const p2 = await noJs.newPage();
const r2 = await p2.goto(new URL('/activities?year=2025', BASE).href);
check(r2.status() === 200 && (await main(p2)).includes('Bemötandeutbildning i Skåne'),
      'activities work without JavaScript');
await noJs.close();

// The registrar's worklist.
await signIn('rut.registrar', `/worklist?as_of=${AS_OF}`);
check(path(page) === '/worklist', 'the registrar lands on the worklist');
t = await visit(page, `/worklist?as_of=${AS_OF}`, 'worklist');
const rows = page.locator('main table tbody tr');
const nrows = await rows.count();
check(nrows >= 2, 'worklist: a table with rows', `${nrows} rows`);
// days overdue: "overdue N days" in <strong>, else "due in N days" (N days left)
const days = await rows.evaluateAll((trs) => trs.map((tr) => {
  const c = tr.cells[5];
  const m = /(\d+)/.exec(c ? c.textContent : '');
  if (!m) return NaN;
  return c.querySelector('strong') ? +m[1] : -m[1];
}));
console.log(`# days overdue, row by row: ${days.join(' ')}`);
const sorted = days.every((d, i) => !Number.isNaN(d) && (i === 0 || days[i - 1] >= d));
check(sorted, 'worklist: sorted by days overdue, most first', days.join(' '));
check(days.some((d) => d > 0), 'worklist: some rows overdue', days.join(' '));
check(!(await page.locator('a[href="/worklist/units?as_of=' + AS_OF + '"]').count()),
      'worklist: no units link for the registrar');
const first = rows.first().locator('a[href^="/persons/"]');
const href = (await first.count()) ? await first.getAttribute('href') : null;
check(href !== null, 'worklist: the first row links a person');
if (href) {
  await first.click();
  await page.waitForLoadState('load');
  check(path(page) === href && (await page.locator('input[name="purpose"]').count()) === 3,
        'the person link asks for the purpose of use', page.url());
  await axe(page, 'purpose from the worklist');
}
await page.goto(new URL('/units', BASE).href);
check((await subnav('/consultations')) === 1 && (await subnav('/surveys')) === 0 &&
      (await subnav('/report/followup')) === 0,
      "registrar: the network's menu links consultations, not surveys or the report");
const r403 = await page.goto(new URL(`/worklist/units?as_of=${AS_OF}`, BASE).href);
check(r403.status() === 403, 'the units summary is not for the registrar', r403.status());

// The coordinator: the units summary, and the consultations.
await signIn('anna.coord', `/worklist?as_of=${AS_OF}`);
check(path(page) === '/worklist', 'the coordinator lands on the worklist');
const ul = page.locator(`main a[href="/worklist/units?as_of=${AS_OF}"]`);
check((await ul.count()) === 1, 'worklist: the coordinator has a link to the units summary');
if (await ul.count()) await ul.click();
check(path(page) === '/worklist/units', 'the link opens the units summary');
t = await visit(page, `/worklist/units?as_of=${AS_OF}`, 'worklist units');
const urows = await page.locator('main table tbody tr').count();
check((await page.locator('main table caption').count()) === 1 && urows >= 1,
      'worklist units: a captioned table with the units', `${urows} rows`);
const ucells = await page.locator('main table tbody tr').first().locator('td').allTextContents();
check(ucells.length === 11 && /\(\S+\)/.test(ucells[0]), 'worklist units: a unit with its code, 11 columns',
      ucells.join(' | '));
t = await visit(page, '/consultations', 'consultations');
const crow = page.locator('main table tbody tr').first();
const ccells = (await crow.count()) ? await crow.locator('td').allTextContents() : [];
check(ccells.includes('12') && ccells.includes('BUP Malmö') && ccells.includes('NHV Lund'),
      'consultations: the case of region 12', ccells.join(' | '));
// The case itself, to its asking party (the coordinator of region 12).
t = await visit(page, '/consultations/1', 'consultation');
check(t.includes('upprepade självskador'), 'consultation: the asking party reads the summary');

// The coordinator keeps the inventory: the change form of a unit of region
// 12, refused with errors (the GOV.UK pattern, axe again), then saved.
t = await visit(page, '/units/nhv-lund', 'unit, coordinator');
const cl = page.locator('main a[href="/units/nhv-lund/change"]');
check((await cl.count()) === 1, 'unit: the coordinator has a link to the change form');
if (await cl.count()) await cl.click();
check(path(page) === '/units/nhv-lund/change', 'the link opens the change form');
t = await visit(page, '/units/nhv-lund/change', 'unit change form');
await page.fill('#f-as-of', '2025-01-01');
await page.fill('#f-trained-dbt', '99');
await page.fill('#f-staff', '5');
await page.click('form.register button[type="submit"]');
await page.waitForLoadState('load');
check((await page.locator('.error-summary a[href="#f-as-of"]').count()) === 1,
      'unit change form: a day before the current version is refused in the summary');
check(await page.evaluate(() => document.activeElement &&
                          document.activeElement.classList.contains('error-summary')),
      'unit change form: the error summary has the focus');
check((await page.locator('#f-as-of[aria-invalid="true"]').count()) === 1,
      'unit change form: the day is marked invalid');
await axe(page, 'unit change form with errors');
await page.screenshot({ path: `${ART}/wlnet-unit-change-errors.png`, fullPage: true });
await page.click('.error-summary a[href="#f-as-of"]');
check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'f-as-of'),
      'the summary link moves to the field');
await page.fill('#f-as-of', '2025-09-01');
await page.fill('#f-trained-dbt', '2');
await page.fill('#f-waiting-days', '14');
await page.check('#f-offers');
await page.click('form.register button[type="submit"]');
await page.waitForLoadState('load');
check(path(page) === '/units/nhv-lund' && (await main(page)).includes('2025-09-01'),
      'unit change form: saved, the history shows the new version', page.url());
await axe(page, 'unit after a change');
t = await visit(page, '/units/new', 'unit add form');
check((await page.locator('#f-region option[value="12"]').count()) === 1,
      'unit add form: the own region offered');
await page.click('form.register button[type="submit"]');
await page.waitForLoadState('load');
check((await page.locator('.error-summary a').count()) >= 1, 'unit add form: an empty form is refused');
await axe(page, 'unit add form with errors');

// The programme's forms (src/web/network/web_net_pedit_*.c): the activity
// of region 12 changed (refused, then saved), its funding recorded, an
// empty activity refused, an event added and its registrations, with axe.
const submit = async () => {
  await page.click('form.register button[type="submit"]');
  await page.waitForLoadState('load');
};
t = await visit(page, '/activities/1', 'activity, coordinator');
check((await page.locator('main a[href="/activities/1/change"]').count()) === 1 &&
      (await page.locator('main a[href="/activities/1/funding"]').count()) === 1,
      'activity: the coordinator has links to the change and funding forms');
t = await visit(page, '/activities/1/change', 'activity change form');
await page.fill('#f-end', '2024-01-01');
await submit();
check((await page.locator('.error-summary a[href="#f-end"]').count()) === 1 &&
      (await page.locator('#f-end[aria-invalid="true"]').count()) === 1,
      'activity change form: an end before the start is refused at the end');
await axe(page, 'activity change form with errors');
await page.fill('#f-end', '2025-11-30');
await submit();
check(path(page) === '/activities/1' && (await main(page)).includes('2025-11-30'),
      'activity change form: saved', page.url());
t = await visit(page, '/activities/1/funding', 'activity funding form');
await page.selectOption('#f-source', 'region');
await page.fill('#f-year', '2025');
await page.fill('#f-allocated', '75000');
await page.fill('#f-spent', '5000');
await submit();
check(path(page) === '/activities/1' && (await main(page)).includes('75000'),
      'activity funding form: saved, the activity shows it', page.url());
t = await visit(page, '/activities/new', 'activity add form');
await submit();
check((await page.locator('.error-summary a').count()) >= 1, 'activity add form: an empty form is refused');
await axe(page, 'activity add form with errors');
t = await visit(page, '/events/new', 'event add form');
await page.selectOption('#f-kind', 'network-meeting');
await page.fill('#f-title', 'Nätverksträff Syd');
await page.fill('#f-start', '2030-05-06T10:00');
await page.fill('#f-end', '2030-05-06T12:00');
await page.fill('#f-organiser', 'Kunskapsnod Skåne');
await page.selectOption('#f-mode', 'on-site');
await page.fill('#f-theme', 'Bemötande');
await submit();
check((await page.locator('.error-summary a[href="#f-place"]').count()) === 1,
      'event add form: on site without a place is refused at the place');
await axe(page, 'event add form with errors');
await page.fill('#f-place', 'Lund');
await submit();
check(path(page) === '/events/2', 'event add form: saved, the event page', page.url());
const rl = page.locator('main a[href="/events/2/registrations"]');
check((await rl.count()) === 1, 'event: its organiser has a link to the registrations');
t = await visit(page, '/events/2/registrations', 'event registrations');
t = await visit(page, '/events/2/change', 'event change form');

// The network's editing forms (web_net_edit_*.c): the coordinator of the
// node's host region changes its network and adds a member; trainings and
// their participants; axe on each, and on a refused form.
t = await visit(page, '/groups/ksp', 'group, coordinator');
check((await page.locator('main a[href="/groups/ksp/change"]').count()) === 1 &&
      (await page.locator('main a[href="/groups/ksp/members/new"]').count()) === 1,
      "group: the node's coordinator has links to the group's forms");
await visit(page, '/groups/ksp/change', 'group change form');
await visit(page, '/groups/ksp/members/new', 'member add form');
await visit(page, '/trainings/1/change', 'training change form');
await visit(page, '/trainings/1/participants', 'participants form');
check((await page.locator('main input[type="file"]#f-file').count()) === 1,
      'participants form: a file field');
await visit(page, '/trainings/new', 'training add form');
await page.click('form.register button[type="submit"]');
await page.waitForLoadState('load');
check((await page.locator('.error-summary a[href="#f-start"]').count()) === 1 &&
      (await page.locator('#f-start[aria-invalid="true"]').count()) === 1,
      'training add form: an empty form is refused, the first day named and marked');
await axe(page, 'training add form with errors');

// The coordinator's network menu: surveys and the follow-up report too.
await page.goto(new URL('/nodes', BASE).href);
check((await subnav('/consultations')) === 1 && (await subnav('/surveys')) === 1 &&
      (await subnav('/report/followup')) === 1,
      "coordinator: the network's menu links consultations, surveys and the report");
await page.click('nav.subnav a[href="/surveys"]');
await page.waitForLoadState('load');
check(path(page) === '/surveys', 'the surveys link opens the surveys');
await axe(page, 'surveys from the menu');
await page.goto(new URL('/nodes', BASE).href);
await page.click('nav.subnav a[href="/report/followup"]');
await page.waitForLoadState('load');
check(path(page) === '/report/followup', "the report link opens the report");

// The follow-up report in the portal's layout, in Swedish and English.
t = await visit(page, '/report/followup?year=2025&lang=sv', 'followup report sv');
check((await page.getAttribute('html', 'lang')) === 'sv' &&
      (await page.locator('header.site a.lang').count()) === 1 &&
      (await page.locator('footer.site').count()) === 1,
      'followup report: the layout with the language switch and the footer');
check((await page.locator('main form select#year option[selected]').textContent()) === '2025' &&
      (await page.locator('main form select#region option[value="12"]').count()) === 1 &&
      (await page.locator('main form select#region option[value="03"]').count()) === 0,
      "followup report: the form, the coordinator's region only");
check((await page.locator('main a[href^="/report/followup.html?year=2025"]').count()) === 1,
      'followup report: links the file');
await page.selectOption('#region', '12');
await page.click('main form.filters button[type="submit"]');
await page.waitForLoadState('load');
check(new URL(page.url()).searchParams.get('region') === '12' &&
      (await page.locator('h1').textContent()).includes('Region Skåne') &&
      (await page.getAttribute('html', 'lang')) === 'sv',
      "followup report: the form shows the region's report");
await page.click('header.site a.lang');
await page.waitForLoadState('load');
check((await page.getAttribute('html', 'lang')) === 'en' &&
      (await page.locator('h1').textContent()).includes('Follow-up report'),
      'followup report: the language switch gives it in English', page.url());
await axe(page, 'followup report en');
await page.screenshot({ path: `${ART}/wlnet-followup-en.png`, fullPage: true });
await page.goto(new URL('/nodes?lang=sv', BASE).href);

// The newsletter's preview (coordinators): the training of the period and
// the three downloads.
t = await visit(page, '/newsletter?since=2025-09-01&until=2025-09-30', 'newsletter');
check(t.includes('DBT grundkurs i Skåne'), 'newsletter: the training of the period');
check((await page.locator('main a[href*="format=eml"]').count()) === 1,
      'newsletter: a link to download the message');

// On a phone, signed in, in Swedish: the header's account and language
// links wrap below the site's name instead of widening every page.
{
  const ph = await phone(browser);
  const pp = await ph.newPage();
  await signInAt(pp, BASE, 'anna.coord', PW, '/units?lang=sv');
  await pp.goto(new URL('/units?lang=sv', BASE).href);
  const over = await pp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(over <= 1, 'units on a 375 px phone, signed in, in Swedish: no wider than the screen',
        `${over} px too wide`);
  await pp.screenshot({ path: `${ART}/wlnet-units-phone-sv.png`, fullPage: false });
  await ph.close();
}

check(errors.length === 0, 'no page errors', errors.join('\n'));
await browser.close();
server.stop();
done();

// tests/browser/flows.mjs: the main path of the public portal, as a person
// would walk it, by mouse and by keyboard alone. Called by portal.mjs.
export async function run({ page, BASE, ART, ok, notOk, check, axe }) {
  // The start page: the goal and the two sub-goals, the help banner.
  await page.goto(new URL('/', BASE).href);
  check((await page.locator('h1').count()) === 1, 'start: one h1');
  check((await page.locator('main').count()) === 1, 'start: a main landmark');

  // To the catalogue and an indicator page, by clicking.
  await page.click('a[href="/indicators"]');
  check(new URL(page.url()).pathname === '/indicators', 'the catalogue opens from the start page');
  const first = page.locator('main a[href^="/indicators/"]').first();
  const target = await first.getAttribute('href');
  await first.click();
  check(new URL(page.url()).pathname === target, `an indicator page opens (${target})`);
  check((await page.locator('table caption').count()) > 0, 'indicator: tables have captions');
  check((await page.locator('svg[role="img"] title').count()) > 0,
        'indicator: charts are images with a title');

  // Another region by the form (works without JavaScript: a GET form).
  const select = page.locator('select[name="region"]').first();
  if ((await select.count()) === 0) {
    notOk('indicator: a region chooser (select name=region)');
  } else {
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    const choice = values.find((v) => v && v !== '12') || values[values.length - 1];
    await select.selectOption(choice);
    await Promise.all([page.waitForNavigation(), page.locator('form:has(select[name="region"]) [type="submit"]').first().click()]);
    check(new URL(page.url()).searchParams.get('region') === choice,
          `indicator: the region chooser shows region ${choice}`);
    const v = await axe(page);
    check(v.length === 0, 'indicator with a region: axe 0 violations', v.join('\n'));
  }

  // Another measure by its chooser (a GET form too), the other choices
  // kept; a definition with several measures names them in words.
  await page.goto(new URL('/indicators/sh-young-rate?region=12&level=99.8', BASE).href);
  const measure = page.locator('select#measure');
  if ((await measure.count()) !== 1) {
    notOk('indicator: a measure chooser (select#measure) on sh-young-rate');
  } else {
    check(await page.locator('label[for="measure"]').isVisible(), 'indicator: the measure chooser has a visible label');
    const opts = await measure.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    check(opts.length > 1 && opts.every(([v, t]) => t && t !== v), 'indicator: each measure named in words',
          JSON.stringify(opts));
    const other = opts.find(([v]) => v !== 'rate')[0];
    await measure.selectOption(other);
    await Promise.all([page.waitForNavigation(), page.locator('form.choose [type="submit"]').click()]);
    const q = new URL(page.url()).searchParams;
    check(q.get('measure') === other && q.get('region') === '12' && q.get('level') === '99.8',
          `indicator: the measure chooser shows ${other}, region and level kept`, page.url());
    const v = await axe(page);
    check(v.length === 0, 'indicator with the measure chooser: axe 0 violations', v.join('\n'));
    await page.screenshot({ path: `${ART}/flow-measure.png`, fullPage: false });
  }

  // English by the visible switch.
  const en = page.locator('a[hreflang="en"]').first();
  if ((await en.count()) === 0) {
    notOk('a language switch link (a[hreflang=en])');
  } else {
    await en.click();
    check((await page.getAttribute('html', 'lang')) === 'en', 'the switch gives English');
    const sv = page.locator('a[hreflang="sv"]').first();
    check((await sv.count()) === 1, 'and a switch back to Swedish');
    await sv.click();
    check((await page.getAttribute('html', 'lang')) === 'sv', 'and back to Swedish');
  }

  // A CSV download of the view.
  const csvLink = page.locator('a[href*="format=csv"], a[href$=".csv"]').first();
  if ((await csvLink.count()) === 0) {
    notOk('indicator: a CSV download link');
  } else {
    const href = new URL(await csvLink.getAttribute('href'), page.url()).href;
    const resp = await page.request.get(href);
    const body = await resp.text();
    check(resp.status() === 200 && /text\/csv/.test(resp.headers()['content-type'] || ''),
          'the CSV download is text/csv', `${resp.status()} ${resp.headers()['content-type']}`);
    check(body.split('\n').length > 2 && /,/.test(body.split('\n')[0]), 'the CSV has a header and rows');
  }

  // A region profile and the overview.
  await page.goto(new URL('/regions', BASE).href);
  const region = page.locator('main a[href^="/regions/"]').first();
  await region.click();
  check(/^\/regions\/\d\d$/.test(new URL(page.url()).pathname), 'a region profile opens');
  check((await page.locator('table').count()) > 0, 'the region profile has its table');
  await page.screenshot({ path: `${ART}/flow-region.png`, fullPage: true });
  await page.goto(new URL('/overview', BASE).href);
  check((await page.locator('table').count()) > 0, 'the overview has its table');

  // Keyboard only: the first Tab reaches the skip link, Enter moves focus
  // to the main content, and Tab and Enter alone reach an indicator page.
  await page.goto(new URL('/', BASE).href);
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    return a && a.tagName === 'A' ? a.getAttribute('href') : null;
  });
  check(skip && skip.startsWith('#'), 'keyboard: the first Tab reaches the skip link', `focus on ${skip}`);
  await page.keyboard.press('Enter');
  let reached = null;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => {
      const a = document.activeElement;
      const h = a && a.getAttribute && a.getAttribute('href');
      return h && /^\/indicators(\/|$)/.test(h) ? h : null;
    });
  }
  check(reached, 'keyboard: Tab reaches a link to the indicators');
  if (reached) {
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    check(new URL(page.url()).pathname.startsWith('/indicators'), 'keyboard: Enter follows it');
  }
  // On along the main path by keyboard alone: the region chooser (arrow
  // keys pick a region, Tab to the button, Enter shows it), the language
  // switch and a download link are all reached by Tab and used by Enter.
  const tabTo = async (test, max = 120) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(test)) return true;
    }
    return false;
  };
  if (reached && (await page.locator('select#region').count()) === 1) {
    const atSelect = await tabTo(() => document.activeElement && document.activeElement.id === 'region');
    check(atSelect, 'keyboard: Tab reaches the region chooser');
    if (atSelect) {
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const chosen = await page.evaluate(() => document.activeElement.value);
      const atButton = await tabTo(() => {
        const a = document.activeElement;
        return a && a.tagName === 'BUTTON' && a.type === 'submit' && a.form &&
          a.form.querySelector('#region') !== null;
      }, 10);
      check(atButton, 'keyboard: Tab reaches the chooser\'s button');
      if (atButton) {
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        check(chosen && new URL(page.url()).searchParams.get('region') === chosen,
              `keyboard: the chooser shows the region picked by arrow keys (${chosen})`,
              page.url());
      }
    }
    const atSwitch = await tabTo(() => {
      const a = document.activeElement;
      return a && a.getAttribute && a.getAttribute('hreflang') === 'en';
    });
    check(atSwitch, 'keyboard: Tab reaches the language switch');
    if (atSwitch) {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      check((await page.getAttribute('html', 'lang')) === 'en', 'keyboard: Enter on it gives English');
      check(new URL(page.url()).searchParams.get('region') !== null,
            'keyboard: the English page keeps the chosen region', page.url());
    }
    const atCsv = await tabTo(() => {
      const a = document.activeElement;
      const h = a && a.getAttribute && a.getAttribute('href');
      return h && /format=csv/.test(h);
    }, 400);
    check(atCsv, 'keyboard: Tab reaches the CSV download');
  } else {
    notOk('keyboard: an indicator page with a region chooser reached');
  }
  // The measure chooser by keyboard alone: Tab to it, an arrow key picks
  // another measure, Tab to the button and Enter shows it.
  await page.goto(new URL('/indicators/sh-young-rate?region=12', BASE).href);
  const atMeasure = await tabTo(() => document.activeElement && document.activeElement.id === 'measure');
  check(atMeasure, 'keyboard: Tab reaches the measure chooser');
  if (atMeasure) {
    await page.keyboard.press('ArrowDown');
    const picked = await page.evaluate(() => document.activeElement.value);
    const atButton = await tabTo(() => {
      const a = document.activeElement;
      return a && a.tagName === 'BUTTON' && a.form && a.form.querySelector('#measure') !== null;
    }, 10);
    if (atButton) await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const q = new URL(page.url()).searchParams;
    check(atButton && picked !== 'rate' && q.get('measure') === picked && q.get('region') === '12',
          `keyboard: the measure chooser shows the measure picked by an arrow key (${picked})`, page.url());
  }
  // In print the choosers, the menu and the switches are left out; the
  // help banner and the figures stay.
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    form: getComputedStyle(document.querySelector('form.choose')).display,
    nav: getComputedStyle(document.querySelector('header.site nav')).display,
    tools: getComputedStyle(document.querySelector('header.site .tools')).display,
    help: getComputedStyle(document.querySelector('aside.help')).display,
  }));
  await page.emulateMedia({ media: 'screen' });
  check(printed.form === 'none' && printed.nav === 'none' && printed.tools === 'none' &&
        printed.help !== 'none', 'print: no chooser, menu or switches; the help banner stays',
        JSON.stringify(printed));
  const outline = await page.evaluate(() => {
    const a = document.querySelector('main a');
    if (!a) return null;
    a.focus();
    const s = getComputedStyle(a);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  });
  check(outline, 'keyboard: focus is visible (an outline on a focused link)');
}

#!/usr/bin/env python3
"""tests/http/http_measure.py: the measure chooser of the indicator page
over real HTTP (TAP).

A small synthetic store, one `knod serve`. Checks: the chooser of a
definition with several measures lists exactly the measures `knod
indicators show` names, each in words of the page's language (not its
code), and the /api/v1 model of the page has the same options; submitting
the page's GET form as a browser without JavaScript would (every select's
chosen option and every hidden field, the measure changed) shows the
chosen measure with the region, period, level and language kept, and its
numbers equal `knod indicators run` for that measure; a definition with one
measure has no chooser; every shipped definition's measures have distinct
words in both languages; a bogus measure gets 400 naming the parameter.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import html.parser
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod = kh.ok, kh.knod
IND = 'sh-young-rate'   # three measures: rate, persons, acts
ONE = 'ref-a'           # one measure


class Form(html.parser.HTMLParser):
    """The fields of the page's form.choose as a browser would submit them:
    each select's selected option (else its first) and each hidden input;
    also each select's options as (value, text)."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self.options = None, {}, {}
        self.inform, self.select, self.opt = False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'form' and 'choose' in (a.get('class') or '').split():
            self.inform, self.action = True, a.get('action')
        elif not self.inform:
            return
        elif tag == 'select':
            self.select = a['name']
            self.options[self.select] = []
        elif tag == 'option' and self.select:
            self.opt = [a.get('value'), '', 'selected' in a]
        elif tag == 'input' and a.get('type') == 'hidden':
            self.fields[a['name']] = a.get('value', '')

    def handle_data(self, data):
        if self.opt is not None:
            self.opt[1] += data

    def handle_endtag(self, tag):
        if tag == 'option' and self.opt is not None:
            value, text, sel = self.opt
            value = text if value is None else value
            self.options[self.select].append((value, text.strip()))
            if sel or self.select not in self.fields:
                self.fields[self.select] = value
            self.opt = None
        elif tag == 'select':
            self.select = None
        elif tag == 'form' and self.inform:
            self.inform = False


def form_of(text):
    f = Form()
    f.feed(text)
    return f


def shown_measures(ind):
    """The measure names `knod indicators show ID` lists."""
    out = knod('indicators', 'show', ind).stdout.decode()
    line = re.search(r'^measures\s+(.*)$', out, re.M).group(1)
    return [m.split(' ')[0] for m in re.split(r',\s+(?=\w+ \()', line)]


def main():
    tmp = tempfile.mkdtemp(prefix='knod-http-measure-')
    try:
        d = kh.store(tmp, persons=1500, seed=3)
        want = shown_measures(IND)
        ok(len(want) > 1, '%s has several measures (%s)' % (IND, ', '.join(want)))
        with kh.Server(d, tmp) as s:
            s.wait_ready()
            b = kh.Browser(s.port)
            page = b.get('/indicators/%s?lang=sv' % IND)
            f = form_of(page.text())
            opts = f.options.get('measure', [])
            ok([v for v, _ in opts] == want,
               'the chooser lists the measures of knod indicators show', opts)
            ok(all(t and t != v and not t.startswith('mw_') for v, t in opts)
               and len({t for _, t in opts}) == len(opts),
               'each measure is named in words of its own, not by its code', opts)
            ok(re.search(r'<label for="measure">[^<]+</label>\s*<select id="measure"',
                         page.text()) is not None, 'the chooser has a visible label')
            api = b.get('/api/v1/indicators/%s?lang=sv' % IND).json()
            ok([(m['name'], m['label']) for m in api['indicator']['measures']] == opts,
               'the API model has the same options as the page', api['indicator']['measures'])

            # Choose a region, a level and English first, then another
            # measure through the form, as a browser without JavaScript.
            page = b.get('/indicators/%s?region=12&level=99.8&lang=en' % IND)
            f = form_of(page.text())
            period = f.fields.get('period')
            ok(f.fields.get('region') == '12' and f.fields.get('level') == '99.8'
               and f.fields.get('lang') == 'en' and f.fields.get('measure') == want[0],
               'the form carries the choices made', f.fields)
            fields = dict(f.fields, measure='acts')
            url = '%s?%s' % (f.action, urllib.parse.urlencode(fields))
            page = kh.Browser(s.port).get(url)  # no cookie: the form alone
            g = form_of(page.text())
            ok(page.status == 200 and g.fields.get('measure') == 'acts'
               and g.fields.get('region') == '12' and g.fields.get('level') == '99.8'
               and g.fields.get('period') == period and g.fields.get('lang') == 'en'
               and '<html lang="en">' in page.text(),
               'the chosen measure is shown with region, period, level and language kept',
               (url, page.status, g.fields))
            label = dict(g.options['measure'])['acts']
            ok('<dd>%s</dd>' % label in page.text() and label.startswith('Number of'),
               'the definition names the chosen measure in English', label)

            api = b.get('/api/v1/indicators/%s?measure=acts&period=%s&level=99.8'
                        % (IND, period)).json()
            out = knod('indicators', 'run', '--dir', d, '--id', IND, '--format',
                       'json').stdout.decode()
            cli = {r['geo']: r for r in map(json.loads, out.splitlines())
                   if r['measure'] == 'acts' and r['period'] == period and r['sex'] == 'T'
                   and r['band'] == 'all' and r['geo_level'] == 'region'}
            rows = api['compare']['rows']
            same = len(rows) == len(cli) > 0 and all(
                r['cell']['value'] == cli[r['code']]['value']
                and r['cell']['suppressed'] == cli[r['code']]['suppressed'] for r in rows)
            ok(api['measure'] == 'acts' and same,
               'the chosen measure\'s numbers equal knod indicators run (%d regions)' % len(cli),
               [(r['code'], r['cell']['value'], cli.get(r['code'], {}).get('value'))
                for r in rows][:5])
            html_sv = b.get('/indicators/%s?measure=acts&period=%s&level=99.8&lang=sv'
                            % (IND, period)).text()
            api_sv = b.get('/api/v1/indicators/%s?measure=acts&period=%s&level=99.8&lang=sv'
                           % (IND, period)).json()
            texts = [r['cell']['value_text'] for r in api_sv['compare']['rows']
                     if r['cell']['value_text']]
            ok(texts and all('<span class="num">%s</span>' % t in html_sv for t in texts),
               'the page shows the numbers of the model', texts[:5])

            one = b.get('/indicators/%s' % ONE).text()
            ok('id="measure"' not in one and
               '<input type="hidden" name="measure" value="%s">' % shown_measures(ONE)[0]
               in one, 'a definition with one measure has no chooser')

            for lang in ('sv', 'en'):
                bad = []
                cat = b.get('/api/v1/indicators?lang=%s' % lang).json()
                ids = sorted({x['id'] for g in cat['groups'] for x in g['indicators']})
                for ind in ids:
                    ms = b.get('/api/v1/indicators/%s?lang=%s' % (ind, lang)).json()
                    ms = ms['indicator']['measures']
                    labels = [m['label'] for m in ms]
                    if len(set(labels)) != len(labels) or \
                            any(not t or t.startswith('mw_') or t == m['name']
                                for t, m in zip(labels, ms)):
                        bad.append((ind, labels))
                ok(len(ids) > 20 and not bad,
                   'every shipped definition\'s measures have words of their own (%s, %d)'
                   % (lang, len(ids)), bad)

            r = b.get('/indicators/%s?measure=nope' % IND)
            ok(r.status == 400, 'a bogus measure on the page is 400', r.status)
            r = b.get('/api/v1/indicators/%s?measure=nope' % IND)
            ok(r.status == 400 and r.json()['error'].get('parameter') == 'measure',
               'a bogus measure in the API is 400 naming the parameter', r.text()[:200])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()

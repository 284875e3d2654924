#!/usr/bin/env python3
"""tests/http/http_pages.py: the indicator page's funnel plot and places,
the downloads, against `knod indicators run` (TAP).

Makes a small synthetic store, starts `knod serve` on a free loopback port
(the helpers of http_portal.py) and checks:
 - the funnel model of /api/v1/indicators/{id}: the centre is the nation's
   value, each region's limits are the CLI's funnel columns, the curves
   follow the normal approximations to the binomial (proportions) and the
   Poisson (rates) computed here independently, hidden regions are null
   (never the hidden number) and their limits null when the denominator is
   hidden; the chart and its table in the HTML;
 - the trend in every region (small multiples): the CLI's cells, a gap in
   the chart and no number in the table where hidden;
 - the municipalities of a region (indicator page and region profile)
   equal the CLI's municipality cells; counts are not compared with the
   nation;
 - ?format=xlsx of /api/v1/results: the sheet (read with zipfile and the
   XML parser) has the CSV's rows, typed, and no hidden value;
 - the FHIR download uses knod.ini's [fhir] canonical_base, as the CLI;
 - the start page, the region profile, the overview and the indicator page
   link their numbers as CSV, XLSX, JSON and FHIR, and the links answer.

Environment: KNOD (the binary), SRCDIR (the source tree), KNOD_RELEASE
(optional: the release knod for the whole catalogue's CLI rows, as in
http_portal.py).
"""
import csv
import io
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import knod_store  # noqa: E402  (the stores suites start from)
import http_portal as hp  # noqa: E402  (ok, get, knod, cli_rows, sv_number)

KNOD = hp.KNOD
Z95, Z998 = 1.959963984540054, 3.090232306167813
ok, get, knod = hp.ok, hp.get, hp.knod


def near(a, b, tol=1e-9):
    return a is not None and b is not None and abs(a - b) <= tol * max(1.0, abs(b))


def cli_index(rows):
    return {(x['indicator'], x['measure'], x['period'], x['geo'], x['sex'], x['band']): x
            for x in rows}


SS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
CANONICAL = 'https://fhir.example.org/knod'


def xlsx_rows(body):
    """The first sheet as a list of rows of cells: str, float or None."""
    z = zipfile.ZipFile(io.BytesIO(body))
    shared = []
    if 'xl/sharedStrings.xml' in z.namelist():
        for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(SS + 'si'):
            shared.append(''.join(t.text or '' for t in si.iter(SS + 't')))
    rows = []
    for row in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter(SS + 'row'):
        cells = {}
        for c in row.iter(SS + 'c'):
            ref, kind = c.get('r'), c.get('t')
            col = 0
            for ch in re.match(r'[A-Z]+', ref).group(0):
                col = col * 26 + ord(ch) - 64
            if kind == 'inlineStr':
                val = ''.join(t.text or '' for t in c.iter(SS + 't'))
            elif kind == 's':
                val = shared[int(c.find(SS + 'v').text)]
            elif kind in ('str', 'e') or c.find(SS + 'f') is not None:
                val = ('FORMULA', c.find(SS + 'f') is not None)
            else:
                v = c.find(SS + 'v')
                val = float(v.text) if v is not None else None
            cells[col - 1] = val
        n = max(cells) + 1 if cells else 0
        rows.append([cells.get(i) for i in range(n)])
    return rows


def check_xlsx(cli, raw):
    ind = 'sh-young-rate'
    r = get('/api/v1/results?indicator=%s&format=xlsx' % ind)
    ok(r.status == 200 and (r.h('Content-Type') or '').startswith(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') and
       'knod-results.xlsx' in (r.h('Content-Disposition') or ''),
       '?format=xlsx: an XLSX attachment', (r.status, r.h('Content-Type')))
    hp.security_ok(r, '?format=xlsx')
    rows = xlsx_rows(r.body)
    header = rows[0]
    csv = get('/api/v1/results?indicator=%s&format=csv' % ind).text().splitlines()
    ok(header == csv[0].split(','), 'the sheet has the CSV\'s columns', header)
    want = [x for x in cli.values() if x['indicator'] == ind]
    ok(len(rows) - 1 == len(csv) - 1 == len(want),
       'the sheet has a row per result row (%d)' % (len(rows) - 1))
    col = {name: i for i, name in enumerate(header)}
    formulas = [c for row in rows for c in row if isinstance(c, tuple)]
    ok(not formulas, 'no formula cell')
    wrong, leaks, hidden = [], [], 0
    for row in rows[1:]:
        row = row + [None] * (len(header) - len(row))
        key = (row[col['indicator']], row[col['measure']], row[col['period']], row[col['geo']],
               row[col['sex']], row[col['band']])
        w, u = cli.get(key), raw.get(key)
        if w is None:
            wrong.append(key)
            continue
        for name in ('numerator', 'denominator', 'value', 'lower_95', 'upper_95',
                     'funnel_lower_95'):
            got = row[col[name]]
            if (w[name] is None) != (got is None) or \
               (got is not None and not near(got, w[name], 1e-12)):
                wrong.append((key, name, got, w[name]))
        if row[col['suppressed']] != (1.0 if w['suppressed'] else 0.0):
            wrong.append((key, 'suppressed', row[col['suppressed']]))
        if w['suppressed']:
            hidden += 1
            shown = {row[col[name]] for name in header[col['numerator']:col['funnel']]
                     if isinstance(row[col[name]], float)}
            for name in ('numerator', 'denominator', 'value'):
                if w[name] is None and u[name] is not None and u[name] != 0 and \
                   any(near(u[name], c, 1e-12) for c in shown):
                    leaks.append((key, name, u[name]))
    ok(not wrong, 'every cell of the sheet is the CLI\'s', wrong[:3])
    ok(hidden > 0 and not leaks, 'no hidden value in the XLSX (%d hidden rows)' % hidden,
       leaks[:3])
    html = get('/indicators/' + ind).text()
    ok('href="/api/v1/results?indicator=%s&amp;measure=rate&amp;format=xlsx"' % ind in html,
       'the indicator page links the XLSX')
    html = get('/downloads').text()
    ok('href="/api/v1/results?indicator=%s&amp;format=xlsx"' % ind in html and
       'href="/api/v1/results?format=xlsx"' in html, 'the downloads page links the XLSX')
    r = get('/api/v1/results?indicator=ref-e&format=xlsx&limit=3&offset=2')
    ok(r.status == 200 and len(xlsx_rows(r.body)) == 4, 'XLSX takes limit and offset')


def check_fhir(d):
    r = get('/api/v1/results?indicator=ref-e&format=fhir')
    b = r.json()
    measures = sorted({e['resource']['measure'] for e in b['entry']})
    out = knod('indicators', 'run', '--dir', d, '--id', 'ref-e', '--format', 'fhir').stdout
    cli = sorted({e['resource']['measure'] for e in __import__('json').loads(out)['entry']})
    ok(measures and all(m.startswith(CANONICAL + '/Measure/') for m in measures) and
       measures == cli, 'the FHIR download\'s Measure URLs are under canonical_base, as the '
       'CLI\'s', (measures[:2], cli[:2]))
    ok(all(e['fullUrl'].startswith(CANONICAL + '/') for e in b['entry']),
       'the FHIR entries\' fullUrls are under canonical_base')
    ok(all(re.match(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', e['resource'].get('date', ''))
           for e in b['entry']), 'each MeasureReport has the date of the computation')


def check_funnel(ind, method, cli, raw):
    model = get('/api/v1/indicators/' + ind).json()
    f = model.get('funnel')
    if not ok(f is not None and f['method'] == method, '%s: a funnel model (%s)' % (ind, method),
              model.keys()):
        return
    meas, period = model['measure'], f['period']
    nation = cli[(ind, meas, period, 'SE', 'T', 'all')]
    ok(near(f['centre'], nation['value']), '%s: the centre is the nation\'s value' % ind)
    # The curves, independently: p0 +- z sqrt(p0 (1 - p0) / n) for a
    # proportion in per cent; (E +- z sqrt(E)) / n per `per` for a rate.
    bad = []
    for lim in f['limits']:
        n = lim['n']
        for z, lo_k, hi_k in ((Z95, 'lo95', 'hi95'), (Z998, 'lo998', 'hi998')):
            if method == 'proportion':
                p0 = f['centre'] / 100
                h = z * math.sqrt(p0 * (1 - p0) / n)
                want = (100 * max(0, p0 - h), 100 * min(1, p0 + h))
            else:
                per = nation['value'] / (nation['numerator'] / nation['denominator'])
                e = f['centre'] / per * n
                want = (max(0, e - z * math.sqrt(e)) / n * per, (e + z * math.sqrt(e)) / n * per)
            if not (near(lim[lo_k], want[0], 1e-7) and near(lim[hi_k], want[1], 1e-7)):
                bad.append((n, lo_k, lim[lo_k], want))
    ns = [lim['n'] for lim in f['limits']]
    ok(len(ns) > 10 and ns == sorted(ns) and not bad,
       '%s: the limit curves are the %s limits (%d points)' % (ind, method, len(ns)), bad[:3])
    shown_n = [r['cell']['denominator'] for r in f['rows']
               if r['cell']['denominator'] is not None]
    ok(shown_n and abs(max(ns) - max(shown_n)) < 1e-6 * max(shown_n),
       '%s: the curves reach the largest shown denominator' % ind)
    # Each region against the CLI's cell of the same period.
    wrong, leaks, checked = [], [], 0
    for row in f['rows']:
        key = (ind, meas, period, row['code'], 'T', 'all')
        want, hidden = cli[key], raw[key]
        c = row['cell']
        checked += 1
        if c['value'] != want['value'] or c['denominator'] != want['denominator']:
            wrong.append((row['code'], c['value'], want['value']))
        if want['suppressed'] and want['value'] is None and \
           (c['value'] is not None or not c['suppressed'] or row['sig'] != 'suppressed'):
            leaks.append((row['code'], c))
        lim = row['limits']
        if want['denominator'] is None:
            if lim is not None:
                leaks.append((row['code'], 'limits of a hidden denominator', lim))
        elif want['funnel_lower_95'] is not None:
            if lim is None or not (near(lim['lo95'], want['funnel_lower_95']) and
                                   near(lim['hi95'], want['funnel_upper_95']) and
                                   near(lim['lo998'], want['funnel_lower_99_8']) and
                                   near(lim['hi998'], want['funnel_upper_99_8'])):
                wrong.append((row['code'], lim, want['funnel_lower_95']))
        if hidden['value'] is not None and want['value'] is None:
            text = get('/indicators/' + ind).text()
            sec = text[text.index('id="funnel-h"'):]
            sec = sec[:sec.index('</section>')]
            tr = re.search(r'<tr><th scope="row"><a href="/regions/%s">.*?</tr>' % row['code'],
                           sec, re.S)
            if not tr or 'class="sup"' not in tr.group(0) or \
               hp.sv_number(hidden['value'], 1) in tr.group(0):
                leaks.append((row['code'], 'HTML', tr.group(0) if tr else None))
    ok(checked == 21 and not wrong, '%s: every region\'s value, denominator and limits are the '
       'CLI\'s (%d regions)' % (ind, checked), wrong[:3])
    ok(any(r['cell']['suppressed'] for r in f['rows']) and not leaks,
       '%s: hidden regions are null in the model and a reason in the table' % ind, leaks[:3])
    sig_wrong = []
    lower_better = model['indicator']['direction'] == 'lower'
    for row in f['rows']:
        want = cli[(ind, meas, period, row['code'], 'T', 'all')]
        pos = want['funnel']
        exp = {'above_99_8': 1, 'above_95': 1, 'below_99_8': -1, 'below_95': -1}.get(pos, 0)
        if row['sig'] in ('better', 'worse', 'similar') and pos:
            d = 0 if row['sig'] == 'similar' else \
                (1 if (row['sig'] == 'worse') == lower_better else -1)
            if d != exp:
                sig_wrong.append((row['code'], row['sig'], pos))
    ok(not sig_wrong, '%s: the significance follows the CLI\'s funnel position' % ind, sig_wrong)
    html = get('/indicators/%s?lang=en' % ind).text()
    ok('id="funnel-h"' in html and 'aria-labelledby="funnel-title funnel-desc"' in html and
       html.count('<polyline') >= 4, '%s: the funnel chart with its four limit curves' % ind)
    ok('Funnel limits 95 %' in html, '%s: the funnel table beside the chart' % ind)


ZERO = re.compile(r'^\s*0(?:[.,]0+)?\s*%?\s*$')


def cell_texts(html, pattern):
    """The text of the first <td> after each match of pattern (tags dropped)."""
    return [re.sub(r'<[^>]*>', '', m.group(1)).strip()
            for m in re.finditer(pattern + r'\s*<td>(.*?)</td>', html, re.S)]


def check_gaps(inds):
    hidden_rows = hidden_years = 0
    for ind in inds:
        model = get('/api/v1/indicators/%s?lang=en' % ind).json()
        html = get('/indicators/%s?lang=en' % ind).text()
        charts = model.get('charts', {})
        # the comparison: the model, the bar chart model, the SVG, the table
        rows = model.get('compare', {}).get('rows', [])
        bars = {b['label']: b for b in charts.get('compare', {}).get('model', {}).get('bars', [])}
        gaps = [r for r in rows if r['cell']['value'] is None]
        hidden_rows += len(gaps)
        ok(all(r['name'] in bars and bars[r['name']]['value'] is None for r in gaps),
           '%s: every hidden region is a gap in the bar chart model (%d)' % (ind, len(gaps)))
        svg = re.search(r'<svg[^>]*aria-labelledby="compare-title[^"]*".*?</svg>', html, re.S)
        stubs = svg.group(0).count('url(#compare-hatch)') if svg else 0
        ok(not gaps or stubs >= len(gaps),
           '%s: the compare chart draws a hatched gap for each (%d, %d)' % (ind, stubs, len(gaps)))
        # the comparison's own table (the funnel's table below lists the
        # regions too, with their denominators, which may be a real 0)
        sec = re.search(r'<section aria-labelledby="cmp-h">.*?</section>', html, re.S)
        sec = sec.group(0) if sec else ''
        texts = []
        for r in gaps:
            texts += cell_texts(sec, r'<th scope="row"><a href="[^"]*">%s</a></th>'
                                % re.escape(r['name']))
        ok(len(texts) == len(gaps) and not any(ZERO.match(t) or re.search(r'\d', t)
                                               for t in texts),
           '%s: no number in the table for a hidden region' % ind, texts)
        # the trend: a period without a national value
        trend = model.get('trend', [])
        missing = [t for t in trend if (t.get('nation') or {}).get('value') is None]
        hidden_years += len(missing)
        line = charts.get('trend', {}).get('model', {})
        values = (line.get('series') or [{}])[0].get('values', [])
        idx = {p: i for i, p in enumerate(line.get('x', []))}
        ok(all(t['period'] in idx and values[idx[t['period']]] is None for t in missing),
           '%s: every period without a value is a gap in the trend model (%d)'
           % (ind, len(missing)))
        texts = []
        for t in missing:
            texts += cell_texts(html, r'<th scope="row">%s(?: <span[^<]*</span>)?</th>'
                                % re.escape(t['period']))
        ok(not any(re.search(r'\d', x) for x in texts),
           '%s: no number in the trend table for a period without a value' % ind, texts)
    ok(hidden_rows > 0, 'hidden regions were checked (%d)' % hidden_rows)
    return hidden_years


def check_multiples(cli, ind, comparable):
    """The trend in every region (small multiples): the CLI's cells, the
    chart's panels with gaps where hidden, the table without numbers there."""
    model = get('/api/v1/indicators/%s?lang=en' % ind).json()
    html = get('/indicators/%s?lang=en' % ind).text()
    rt = model.get('regions_trend') or {'periods': [], 'rows': []}
    periods = [t['period'] for t in model.get('trend', [])]
    ok(rt['periods'] == periods and len(periods) >= 2 and len(rt['rows']) == 21,
       '%s: every region over every period of the trend (%d x %d)'
       % (ind, len(rt['rows']), len(rt['periods'])))
    meas = model['measure']
    bad = [(r['code'], p, c['value']) for r in rt['rows'] for p, c in zip(periods, r['cells'])
           if c['value'] != cli[(ind, meas, p, r['code'], 'T', 'all')]['value']]
    ok(rt['rows'] and not bad, '%s: each region\'s trend is the CLI\'s cells' % ind, bad[:3])
    sigs = {r['code']: r['sig'] for r in model['compare']['rows']}
    ok(all(r['sig'] == sigs.get(r['code']) for r in rt['rows']),
       '%s: each region\'s class is the comparison\'s in the chosen period' % ind)
    chart = model.get('charts', {}).get('multiples', {})
    cm = chart.get('model', {})
    panels = cm.get('panels', [])
    ok(chart.get('kind') == 'multiples' and len(panels) == len(rt['rows']) and
       all(p['label'] == r['name'] and p['values'] == [c['value'] for c in r['cells']]
           for p, r in zip(panels, rt['rows'])),
       '%s: a small multiple per region with its values, null where hidden' % ind)
    ok(('reference' in cm) == comparable,
       '%s: the nation behind each panel only where comparable (%s)' % (ind, comparable))
    fig = re.search(r'<figure class="multiples">(.*?)</figure>', html, re.S)
    svgs = re.findall(r'<svg .*?</svg>', fig.group(1), re.S) if fig else []
    ok(len(svgs) == 1 + len(panels) and all('role="img"' in x for x in svgs),
       '%s: the key and one image per region in the page' % ind, len(svgs))
    gaps = sum(p['values'].count(None) for p in panels)
    short = [k for k, (x, p) in enumerate(zip(svgs[1:], panels))
             if x.count('url(#multiples-p%d-hatch)' % (k + 1)) < p['values'].count(None)]
    ok(gaps > 0 and not short,
       '%s: every hidden value (%d) is a hatched gap in its panel' % (ind, gaps), short[:3])
    sec = re.search(r'<section aria-labelledby="mult-h">.*?</section>', html, re.S)
    sec = sec.group(0) if sec else ''
    hidden_texts = []
    for r in rt['rows']:
        row = re.search(r'<tr><th scope="row"><a href="/regions/%s">.*?</tr>' % r['code'], sec,
                        re.S)
        tds = re.findall(r'<td>(.*?)</td>', row.group(0), re.S) if row else []
        for c, td in zip(r['cells'], tds):
            if c['value'] is None:
                hidden_texts.append(re.sub(r'<[^>]*>', '', td))
    ok(hidden_texts and len(hidden_texts) == gaps and
       not any(re.search(r'\d', t) for t in hidden_texts),
       '%s: no number in the table for a hidden value (%d)' % (ind, len(hidden_texts)),
       hidden_texts[:3])


CONTENT = {'csv': 'text/csv', 'xlsx': 'spreadsheetml', 'json': 'application/json',
           'fhir': 'application/fhir+json', 'kolada': 'application/json'}
FORMATS = ('csv', 'xlsx', 'json', 'fhir')


def check_downloads(cli):
    """Every result view links its numbers as CSV, XLSX, JSON and FHIR; the
    links answer, and a region's CSV is the CLI's rows of that region."""
    for path, want in (('/', 3 * 4), ('/regions/01', 4), ('/overview', 4),
                       ('/indicators/sh-young-rate', 5)):
        html = get(path).text()
        links = [h.replace('&amp;', '&') for h in
                 re.findall(r'<a href="(/api/v1/results[^"]*)"', html)]
        ok(len(links) == want and all(any(('format=%s' % f in h) == (f != 'json') or
                                           (f == 'json' and 'format=' not in h)
                                           for h in links) for f in FORMATS),
           '%s: CSV, XLSX, JSON and FHIR downloads (%d links)' % (path, len(links)), links)
        # the answers of one indicator or one region (the whole catalogue's
        # FHIR and every region's XLSX cost minutes under the sanitizers;
        # the same code answers them)
        for h in [x for x in links if 'indicator=' in x or 'code=' in x]:
            f = re.search(r'format=(\w+)', h)
            f = f.group(1) if f else 'json'
            r = get(h)
            ok(r.status == 200 and CONTENT.get(f, '@') in (r.h('Content-Type') or ''),
               '%s: %s answers %s' % (path, h, CONTENT.get(f)), (r.status, r.body[:120]))
    csv_text = get('/api/v1/results?level=region&code=01&format=csv').text()
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    want = {k: x for k, x in cli.items() if x['geo_level'] == 'region' and x['geo'] == '01'}
    got = {(x['indicator'], x['measure'], x['period'], x['geo'], x['sex'], x['band']): x
           for x in rows}
    differ = [k for k in want if k not in got or
              (got[k]['value'] or None) != (None if want[k]['value'] is None
                                            else '%.17g' % want[k]['value'])]
    hidden = [k for k in want if want[k]['suppressed']]
    ok(len(rows) == len(want) > 0 and not differ and hidden and
       all(got[k]['value'] == '' and got[k]['numerator'] == '' for k in hidden),
       'the region profile\'s CSV is the CLI\'s rows of the region (%d, %d hidden)'
       % (len(rows), len(hidden)), differ[:3])


STATUS_SV = {'met': 'Målnivån nådd', 'not_met': 'Målnivån inte nådd', '': 'Ingen bedömning'}


def check_about(cli):
    """About the data: the coverage per region is the CLI's cells of the
    quality indicators in their latest period, hidden ones without a number."""
    html = get('/about').text()
    sec = re.search(r'<section aria-labelledby="cov-h">.*?</section>', html, re.S)
    sec = sec.group(0) if sec else ''
    inds = re.findall(r'<th scope="col"><a href="/indicators/([^"]+)">[^<]*</a> (\d{4})', sec)
    ok([i for i, _ in inds] == ['cov-act-linked', 'cov-emergency-act', 'sh-young-undetermined'],
       'about: the coverage indicators with their latest period', inds)
    heads = {i: get('/api/v1/indicators/' + i).json()['measure'] for i, _ in inds}
    trs = re.findall(r'<tr><th scope="row"><a href="/regions/(\d\d)">(.*?)</tr>', sec, re.S)
    ok(len(trs) == 21, 'about: coverage for each of the 21 regions', len(trs))
    bad, shown, hidden = [], 0, 0
    for code, tr in trs:
        tds = re.findall(r'<td>(.*?)</td>', tr, re.S)
        for (ind, period), td in zip(inds, tds):
            x = cli[(ind, heads[ind], period, code, 'T', 'all')]
            text = re.sub(r'<[^>]*>', ' ', td)
            if x['value'] is None:
                hidden += 1
                if re.search(r'\d', text) or STATUS_SV[''] not in text:
                    bad.append((code, ind, text))
            else:
                shown += 1
                if hp.sv_number(x['value'], 1) not in text or \
                        STATUS_SV[x['status'] or ''] not in text:
                    bad.append((code, ind, text, x['value'], x['status']))
    ok(not bad and shown + hidden == 21 * len(inds) and hidden > 0,
       'about: each region\'s coverage is the CLI\'s cell and status (%d shown, %d hidden)'
       % (shown, hidden), bad[:3])


def check_map():
    """The overview's tile map: the chosen indicator's column of the table,
    21 tiles, a hidden value a dash, never a number; a bad choice a 400."""
    m = get('/api/v1/overview?indicator=ref-e&lang=en').json()
    j = [c['id'] for c in m['indicators']].index('ref-e')
    tiles = m.get('charts', {}).get('tiles', {}).get('model', {}).get('tiles', [])
    col = [(r['code'], r['cells'][j]) for r in m['rows']]
    ok(m.get('map', {}).get('indicator') == 'ref-e' and len(tiles) == 21 and
       all(t['code'] == code and t['sig'] == (c['sig'] if c['sig'] in
                                              ('better', 'similar', 'worse', 'suppressed')
                                              else 'none') and
           t['text'] == (c['value_text'] or '–') for t, (code, c) in zip(tiles, col)),
       'overview?indicator=ref-e: a tile per region from the table\'s column')
    hidden = [t for t, (_, c) in zip(tiles, col) if c['value'] is None]
    ok(hidden and all(not re.search(r'\d', t['text']) for t in hidden),
       'overview: a hidden region\'s tile has no number (%d)' % len(hidden))
    dflt = get('/api/v1/overview').json().get('map', {})
    ok(dflt.get('indicator') == 'sh-young-rate' and
       [c['id'] for c in dflt.get('choices', []) if c['selected']] == ['sh-young-rate'],
       'overview: the map shows sh-young-rate unless asked, and the chooser says so')
    html = get('/overview?indicator=ref-e&lang=en').text()
    ok('id="map-h"' in html and 'aria-labelledby="tiles-title tiles-desc"' in html and
       '<option value="ref-e" selected>' in html, 'overview: the tile map and its chooser')
    for q in ('nope', ''):
        r = get('/api/v1/overview?indicator=' + q)
        ok(r.status == 400 and r.json()['error']['parameter'] == 'indicator',
           'overview?indicator=%s: 400 naming the parameter' % q, r.body[:200])


def main():
    tmp = tempfile.mkdtemp(prefix='knod-pages-')
    server = None
    try:
        d = os.path.join(tmp, 'site')
        knod_store.copy(KNOD, d, 1500, 3, os.path.join(tmp, 'synth'))
        ini = os.path.join(d, 'knod.ini')
        with open(ini) as f:
            text = f.read()
        with open(ini, 'w') as f:
            f.write(re.sub(r'(?m)^canonical_base = .*$', 'canonical_base = ' + CANONICAL, text))
        log = open(os.path.join(tmp, 'serve.log'), 'w+')
        server = subprocess.Popen([KNOD, 'serve', '--dir', d, '--listen', '127.0.0.1:0'],
                                  stdout=subprocess.PIPE, stderr=log)
        line = server.stdout.readline().decode()
        m = re.search(r'serving (http://127\.0\.0\.1:(\d+))/', line)
        if not ok(m is not None, 'serve prints the loopback URL it listens on', line):
            return
        hp.BASE, hp.PORT = m.group(1), int(m.group(2))
        deadline = time.time() + 300
        while time.time() < deadline and not get('/api/v1/status').json()['ready']:
            time.sleep(0.2)
        ok(get('/api/v1/status').json()['ready'], 'results computed')
        cli = cli_index(hp.cli_rows(d, None))
        raw = cli_index(hp.cli_rows(d, None, suppress=False))
        # Those two runs of the whole catalogue are the release knod's under
        # make check (tests/http/http_portal.py says why); the sanitized knod
        # runs the same code on one indicator without disclosure control
        # here, and with it in check_fhir.
        alone = hp.cli_rows(d, ['ref-e'], suppress=False)
        ok(len(alone) > 100 and cli_index(alone) ==
           {k: v for k, v in raw.items() if k[0] == 'ref-e'},
           'knod indicators run --id ref-e --no-suppress (sanitized) has the whole run\'s '
           'cells of ref-e (%d)' % len(alone))

        # 1. The funnel plot: a proportion and a crude rate.
        check_funnel('ref-e', 'proportion', cli, raw)
        check_funnel('sh-young-rate', 'rate', cli, raw)
        for ind in ('sh-young-municipality', 'ref-f', 'sh-young-rate-std'):
            model = get('/api/v1/indicators/' + ind).json()
            ok('funnel' not in model and 'funnel' not in model.get('charts', {}),
               '%s: no funnel for a count, a median or a standardised rate' % ind)
        # Counts are not compared with the nation (a region's count is
        # always below the nation's).
        model = get('/api/v1/indicators/sh-young-municipality').json()
        ok(all(r['sig'] in ('none', 'suppressed') for r in model['compare']['rows']),
           'a count is not compared with the nation',
           [r['sig'] for r in model['compare']['rows']])

        # The compare chart: a rate is drawn against the nation's line; a
        # count has none (a region's count is always below the nation's, and
        # the line squashed the regions' bars), and its description says so.
        rate = get('/api/v1/indicators/sh-young-rate?lang=en').json()['charts']['compare']
        count = get('/api/v1/indicators/sh-young-municipality?lang=en').json()
        count = count['charts']['compare']
        ok(rate['kind'] == 'bar' and 'reference' in rate['model'],
           'the compare chart of a rate has the nation as its reference line')
        ok(count['kind'] == 'bar' and 'reference' not in count['model'] and
           'no line for Sweden' in count['model']['desc'],
           'the compare chart of a count has no national line and says so',
           count['model'].get('reference'))
        html = get('/indicators/sh-young-municipality?lang=en').text()
        ok('no line for Sweden' in html, 'the page\'s chart describes the missing line')

        # Gaps, never zero: every hidden or missing value of the trend and
        # the comparison is a gap in the charts and no number in the tables.
        check_gaps(('sh-young-rate', 'sh-young-municipality', 'ref-e', 'ref-f'))
        # The trend in every region, as small multiples: a rate against the
        # nation's line, a count without it.
        check_multiples(cli, 'sh-young-rate', True)
        check_multiples(cli, 'sh-young-municipality', False)

        # 2. Municipalities of a region: the indicator page and the profile.
        ind, region = 'sh-young-municipality', '01'
        model = get('/api/v1/indicators/%s?region=%s' % (ind, region)).json()
        fine = model.get('fine')
        want = [x for x in cli.values() if x['indicator'] == ind and
                x['measure'] == model['measure'] and x['period'] == model['period'] and
                x['geo_level'] == 'municipality' and x['geo'].startswith(region) and
                x['sex'] == 'T']
        got = fine['rows'] if fine else []
        ok(fine is not None and fine['geo_level'] == 'municipality' and
           fine['region']['code'] == region, '%s?region=%s: a municipality model' % (ind, region))
        ok(len(got) == len(want) == 26 and
           all(cli[(ind, model['measure'], model['period'], r['code'], 'T', 'all')]['value'] ==
               r['cell']['value'] and r['code'].startswith(region) for r in got),
           'the municipalities of Stockholm are the CLI\'s cells (%d)' % len(got))
        hidden = [r for r in got if r['cell']['suppressed']]
        ok(hidden and all(r['cell']['value'] is None and r['cell']['numerator'] is None
                          for r in hidden),
           'a hidden municipality is null in the model (%d hidden)' % len(hidden))
        ok('fine' in model.get('charts', {}), 'the municipalities as a bar chart model')
        html = get('/indicators/%s?region=%s' % (ind, region)).text()
        ok('id="fine-h"' in html and 'aria-labelledby="fine-title fine-desc"' in html and
           '>Danderyd</th>' in html, 'the indicator page shows the municipalities and a chart')
        html = get('/indicators/' + ind).text()
        ok('id="fine-h"' in html and 'fine-title' not in html,
           'without a region the page asks for one')
        model = get('/api/v1/regions/' + region).json()
        secs = model.get('fine') or []
        ok(len(secs) == 1 and secs[0]['indicator']['id'] == ind and
           len(secs[0]['rows']) == 26 and 'fine' in model.get('charts', {}),
           'the region profile lists its municipalities for %s' % ind)
        html = get('/regions/' + region).text()
        ok('id="fine-h-%s"' % ind in html and 'aria-labelledby="fine-title fine-desc"' in html,
           'the region profile shows the municipalities and a chart')
        r = get('/api/v1/results?indicator=%s&level=municipality&limit=100000' % ind).json()
        ok(r['total'] > 0 and all(x['geo_level'] == 'municipality' for x in r['results']),
           '/api/v1/results?level=municipality: municipality cells only')

        # 3. XLSX; 4. FHIR with the configured canonical base; 5. the
        # downloads of every result view.
        check_xlsx(cli, raw)
        check_downloads(cli)
        check_about(cli)
        check_map()
        check_fhir(d)

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server = None
        log.seek(0)
        text = log.read()
        ok('ERROR: AddressSanitizer' not in text and 'runtime error' not in text,
           'no sanitizer report', text[-2000:])
    finally:
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        if hp.n == 0:
            print('not ok 1 - no checks ran')
        print('1..%d' % max(hp.n, 1))


if __name__ == '__main__':
    main()
    sys.exit(0)

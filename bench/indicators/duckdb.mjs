// bench/indicators/duckdb.mjs: the DuckDB anchor of the indicator benchmark.
//
// usage: node duckdb.mjs --db KNOD.DB [--runs N] [--out FILE] [--ids ref-a,...]
//                        [--threads N] [--work DIR]
//
// 1. Exports the columns the six queries read from the knod store (SQLite) to
//    CSV with the sqlite3 CLI (DuckDB's sqlite extension cannot be downloaded
//    here), into --work (default: a fresh temporary directory, removed after).
// 2. Loads them into an in-memory DuckDB database with explicit column types.
//    Steps 1 and 2 are not timed (their times are printed for information).
// 3. Runs each duckdb/<id>.sql N times (default 5), each run reading the whole
//    result; prints "duckdb <id> median_ms=<ms> runs=<N> rows=<rows>" per query
//    and "duckdb total median_ms=<sum of medians>".
// 4. Writes the result of the last run of every query, in the contract format
//    (see README.md), to --out (default: duckdb.csv).
import { DuckDBInstance } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HEADER = 'indicator,measure,period,region,sex,band,numerator,denominator,value';

// table -> [column, DuckDB type]; only what the queries read.
const TABLES = {
    region: [['code', 'VARCHAR']],
    population: [['year', 'INTEGER'], ['region_code', 'VARCHAR'], ['sex', 'VARCHAR'],
                 ['age', 'INTEGER'], ['population', 'BIGINT']],
    care_unit: [['id', 'BIGINT'], ['region_code', 'VARCHAR']],
    person: [['id', 'BIGINT'], ['birth_year', 'INTEGER'], ['sex', 'VARCHAR'],
             ['region_code', 'VARCHAR']],
    contact: [['id', 'BIGINT'], ['person_id', 'BIGINT'], ['unit_id', 'BIGINT'],
              ['contact_type', 'VARCHAR'], ['start_time', 'BIGINT'], ['end_time', 'BIGINT']],
    self_harm_act: [['id', 'BIGINT'], ['person_id', 'BIGINT'], ['act_time', 'BIGINT']],
    coercive_measure: [['id', 'BIGINT'], ['person_id', 'BIGINT'], ['start_time', 'BIGINT'],
                       ['end_time', 'BIGINT']],
    assessment: [['id', 'BIGINT'], ['person_id', 'BIGINT'], ['assessment_time', 'BIGINT']],
    follow_up: [['id', 'BIGINT'], ['person_id', 'BIGINT'], ['follow_up_time', 'BIGINT']],
};

function parseArgs(argv) {
    const a = { runs: 5, out: 'duckdb.csv', ids: 'ref-a,ref-b,ref-c,ref-d,ref-e,ref-f',
                threads: os.availableParallelism ? os.availableParallelism() : os.cpus().length };
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i];
        const v = argv[i + 1];
        if (k === '--db') { a.db = v; i++; }
        else if (k === '--runs') { a.runs = parseInt(v, 10); i++; }
        else if (k === '--out') { a.out = v; i++; }
        else if (k === '--ids') { a.ids = v; i++; }
        else if (k === '--threads') { a.threads = parseInt(v, 10); i++; }
        else if (k === '--work') { a.work = v; i++; }
        else { console.error(`duckdb.mjs: unknown argument ${k}`); process.exit(2); }
    }
    if (!a.db || !(a.runs >= 1)) {
        console.error('usage: node duckdb.mjs --db KNOD.DB [--runs N] [--out FILE] [--ids LIST] [--threads N] [--work DIR]');
        process.exit(2);
    }
    return a;
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => {
    const s = [...xs].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const csvField = (v) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};

const args = parseArgs(process.argv.slice(2));
const ownWork = !args.work;
const work = args.work ?? fs.mkdtempSync(path.join(os.tmpdir(), 'knod-duckdb-'));
fs.mkdirSync(work, { recursive: true });

try {
    // 1. export (untimed)
    let t0 = process.hrtime.bigint();
    for (const [table, cols] of Object.entries(TABLES)) {
        const file = path.join(work, `${table}.csv`);
        const sql = `SELECT ${cols.map((c) => c[0]).join(', ')} FROM ${table};`;
        const fd = fs.openSync(file, 'w');
        try {
            execFileSync('sqlite3', ['-csv', '-header', args.db, sql],
                         { stdio: ['ignore', fd, 'inherit'] });
        } finally {
            fs.closeSync(fd);
        }
    }
    console.log(`duckdb export_ms=${ms(t0).toFixed(1)} (sqlite3 -csv, not timed)`);

    // 2. load (untimed)
    t0 = process.hrtime.bigint();
    const instance = await DuckDBInstance.create(':memory:', { threads: String(args.threads) });
    const conn = await instance.connect();
    for (const [table, cols] of Object.entries(TABLES)) {
        const file = path.join(work, `${table}.csv`).replace(/'/g, "''");
        const colSpec = cols.map(([c, t]) => `'${c}': '${t}'`).join(', ');
        await conn.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv('${file}', header = true, ` +
                       `delim = ',', quote = '"', nullstr = '', columns = {${colSpec}})`);
    }
    const counts = [];
    for (const table of Object.keys(TABLES)) {
        const r = await conn.runAndReadAll(`SELECT count(*) FROM ${table}`);
        counts.push(`${table}=${r.getRows()[0][0]}`);
    }
    const th = (await conn.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
    console.log(`duckdb load_ms=${ms(t0).toFixed(1)} threads=${th} (not timed) ${counts.join(' ')}`);

    // 3. queries (timed: issue, execute, read every row)
    const out = [HEADER];
    let total = 0;
    for (const id of args.ids.split(',')) {
        const sql = fs.readFileSync(path.join(HERE, 'duckdb', `${id}.sql`), 'utf8');
        const times = [];
        let rows = null;
        for (let i = 0; i < args.runs; i++) {
            const t = process.hrtime.bigint();
            const reader = await conn.runAndReadAll(sql);
            rows = reader.getRows();
            times.push(ms(t));
        }
        const med = median(times);
        total += med;
        console.log(`duckdb ${id} median_ms=${med.toFixed(2)} runs=${args.runs} rows=${rows.length} ` +
                    `all_ms=${times.map((x) => x.toFixed(1)).join('/')}`);
        for (const r of rows) out.push(r.map(csvField).join(','));
    }
    console.log(`duckdb total median_ms=${total.toFixed(2)}`);
    fs.writeFileSync(args.out, out.join('\n') + '\n');
    conn.closeSync?.();
} finally {
    if (ownWork) fs.rmSync(work, { recursive: true, force: true });
}

/* src/cli/cli_rows.c: a network list as a table, JSON or CSV
 * (cli_rows.h). */
#include "cli/cli_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/csv_write.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "cli/cli.h"

const char *const cli_rows_formats[] = {"table", "json", "csv", NULL};

static int print_json(const struct net_rows *t)
{
    json_t *arr = net_rows_json(t);
    char *text = arr ? json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(arr);
    if (!text)
        return EXIT_RUNTIME;
    puts(text);
    free(text);
    return 0;
}

static int print_csv(const struct net_rows *t)
{
    struct strbuf sb;
    sb_init(&sb);
    int rc = 0;
    for (size_t c = 0; c < t->ncols && rc == 0; c++)
        rc = csvw_field(&sb, t->cols[c].name, strlen(t->cols[c].name), c == 0);
    if (rc == 0)
        rc = csvw_end(&sb);
    for (size_t r = 0; r < t->nrows && rc == 0; r++) {
        for (size_t c = 0; c < t->ncols && rc == 0; c++) {
            const char *v = net_cell(t, r, c);
            rc = t->cols[c].kind == NET_TEXT
                     ? csvw_text(&sb, v ? v : "", v ? strlen(v) : 0, c == 0)
                     : csvw_field(&sb, v ? v : "", v ? strlen(v) : 0, c == 0);
        }
        if (rc == 0)
            rc = csvw_end(&sb);
    }
    if (rc == 0)
        fwrite(sb.buf, 1, sb.len, stdout);
    sb_release(&sb);
    return rc == 0 ? 0 : EXIT_RUNTIME;
}

/* A cell as the table shows it: "-" for one not given (NULL or empty). */
static const char *shown(const char *s)
{
    return s && *s ? s : "-";
}

static int width_of(const char *s)
{
    return (int)utf8_length(s, strlen(s));
}

static void print_table(const struct net_rows *t)
{
    int w[64] = {0};
    size_t nc = t->ncols < 64 ? t->ncols : 64;
    for (size_t c = 0; c < nc; c++)
        w[c] = width_of(t->cols[c].name);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < nc; c++) {
            int x = width_of(shown(net_cell(t, r, c)));
            w[c] = x > w[c] ? (x > 40 ? 40 : x) : w[c];
        }
    for (size_t c = 0; c < nc; c++) {
        cli_pad(t->cols[c].name, c + 1 < nc ? w[c] : 0);
        fputs(c + 1 < nc ? "  " : "\n", stdout);
    }
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < nc; c++) {
            cli_pad(shown(net_cell(t, r, c)), c + 1 < nc ? w[c] : 0);
            fputs(c + 1 < nc ? "  " : "\n", stdout);
        }
}

int cli_rows_print(const struct net_rows *t, enum cli_rows_format f)
{
    if (f == CLI_ROWS_JSON)
        return print_json(t);
    if (f == CLI_ROWS_CSV)
        return print_csv(t);
    print_table(t);
    return 0;
}

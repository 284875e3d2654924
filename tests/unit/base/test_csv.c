/* tests/unit/base/test_csv.c: src/base/csv.c
 *
 * Records are turned into a dump string, one line per record:
 *   LINE#RECNO:[field][field]@FLINE...
 * where @FLINE follows a field that starts on another line than its record,
 * and a LF or CR inside a field shows as \n or \r. The oracle test checks
 * the reader against ref_parse(), a naive byte-at-a-time parser, and the
 * fd path (random chunk sizes) against the memory path.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/csv.h"
#include "base/strbuf.h"
#include "base/utf8.h"

/* ---- helpers ---- */

static void dump_field(struct strbuf *out, const char *s, size_t len)
{
    sb_addch(out, '[');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            sb_addstr(out, "\\n");
        else if (s[i] == '\r')
            sb_addstr(out, "\\r");
        else
            sb_addch(out, s[i]);
    }
    sb_addch(out, ']');
}

static void dump_record(struct strbuf *out, const struct csv_record *rec)
{
    sb_addf(out, "%zu#%zu:", rec->line, rec->recno);
    for (size_t k = 0; k < rec->n; k++) {
        dump_field(out, rec->f[k].s, rec->f[k].len);
        if (rec->f[k].line != rec->line)
            sb_addf(out, "@%zu", rec->f[k].line);
    }
    sb_addch(out, '\n');
}

/* Read every record of r into out; returns the final csv_next() result
 * (0 or an error code, with err filled). Checks the record invariants. */
static int dump_all(struct csv_reader *r, struct strbuf *out, struct kn_error *err)
{
    struct csv_record rec;
    size_t recno = 0, line = 0;
    int rc;
    kn_error_clear(err);
    while ((rc = csv_next(r, &rec, err)) == 1) {
        assert_int_equal(rec.recno, ++recno);
        assert_true(rec.line > line);
        assert_true(rec.n >= 1);
        line = rec.line;
        for (size_t k = 0; k < rec.n; k++) {
            assert_int_equal(strlen(rec.f[k].s), rec.f[k].len);
            assert_true(utf8_valid(rec.f[k].s, rec.f[k].len, NULL));
            assert_true(rec.f[k].line >= (k ? rec.f[k - 1].line : rec.line));
        }
        dump_record(out, &rec);
    }
    return rc;
}

/* Parse len bytes at in from memory into a dump; returns the final result
 * and fills err. */
static int parse_mem(const char *in, size_t len, const struct csv_options *opt,
                     struct strbuf *out, struct kn_error *err)
{
    struct csv_reader *r;
    assert_int_equal(csv_open_mem(&r, in, len, "t.csv", opt, err), 0);
    int rc = dump_all(r, out, err);
    csv_free(r);
    return rc;
}

/* Parse the string in with the default options, plus chunk sizes 1, 2, 3
 * and 7: all must give want (dump) and end with code and msg. */
static void check_opt(const char *in, size_t len, const struct csv_options *o,
                      const char *want, int code, const char *msg)
{
    static const size_t chunks[] = {0, 1, 2, 3, 7};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        struct csv_options opt = o ? *o : (struct csv_options){0};
        opt.chunk = chunks[c];
        struct strbuf out = STRBUF_INIT;
        struct kn_error err = KN_ERROR_INIT;
        int rc = parse_mem(in, len, &opt, &out, &err);
        assert_string_equal(out.buf, want);
        assert_int_equal(rc, code);
        assert_string_equal(err.msg, msg);
        sb_release(&out);
    }
}

static void check(const char *in, const char *want)
{
    check_opt(in, strlen(in), NULL, want, 0, "");
}

static void check_err(const char *in, const struct csv_options *o, const char *want,
                      const char *msg)
{
    check_opt(in, strlen(in), o, want, KN_EINPUT, msg);
}

/* ---- records ---- */

static void test_simple(void **state)
{
    (void)state;
    check("id,name,town\n1,Åsa,Umeå\n2,Östen,Luleå\n",
          "1#1:[id][name][town]\n2#2:[1][Åsa][Umeå]\n3#3:[2][Östen][Luleå]\n");
    check("", "");
    check("x", "1#1:[x]\n");
    /* No data at all. */
    struct csv_reader *r;
    struct csv_record rec;
    assert_int_equal(csv_open_mem(&r, NULL, 0, "empty.csv", NULL, NULL), 0);
    assert_int_equal(csv_next(r, &rec, NULL), 0);
    csv_free(r);
}

static void test_quoted(void **state)
{
    (void)state;
    check("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1#1:[a,b][say \"hi\"][]\n");
    check("\"\"\"\"\n", "1#1:[\"]\n");
    check("\"\"\"\"\"\",x\n", "1#1:[\"\"][x]\n");
    check("\"a\"\"\",\"\"\"b\"\n", "1#1:[a\"][\"b]\n");
    check("\"\"\n", "1#1:[]\n"); /* the only way to write one empty field */
    check("\"x\"\r\n\"y\"\n", "1#1:[x]\n2#2:[y]\n");
}

static void test_embedded_newlines(void **state)
{
    (void)state;
    check("a,\"l1\nl2\nl3\",b\nnext,1\n", "1#1:[a][l1\\nl2\\nl3][b]@3\n4#2:[next][1]\n");
    /* CRLF inside quotes is kept as it is and counts as one line. */
    check("\"a\r\nb\",c\r\nd,\"\r\n\"\r\ne,f\r\n",
          "1#1:[a\\r\\nb][c]@2\n3#2:[d][\\r\\n]\n5#3:[e][f]\n");
    check("\"\n\n\"\n", "1#1:[\\n\\n]\n");
    check("\"a\rb\"\n", "1#1:[a\\rb]\n"); /* a lone CR inside quotes too */
}

static void test_crlf_and_final_line(void **state)
{
    (void)state;
    check("a,b\r\nc,d\r\n", "1#1:[a][b]\n2#2:[c][d]\n");
    check("a,b\nc,d", "1#1:[a][b]\n2#2:[c][d]\n");
    check("a,b\r\nc,\"d\"", "1#1:[a][b]\n2#2:[c][d]\n");
    check("a,b\r\nc,d\r", "1#1:[a][b]\n2#2:[c][d]\n"); /* lone final CR */
    check("a\r\n\r", "1#1:[a]\n");
    check("a\n\"b\"\r", "1#1:[a]\n2#2:[b]\n");
}

static void test_empty_and_trailing(void **state)
{
    (void)state;
    check(",,\n", "1#1:[][][]\n");
    check("a,,b\n,x,\n", "1#1:[a][][b]\n2#2:[][x][]\n");
    check("a,b,\n", "1#1:[a][b][]\n");
    check("a,b,", "1#1:[a][b][]\n");
    check("a,b,\r\n", "1#1:[a][b][]\n");
    check("\"a\",", "1#1:[a][]\n");
    check(",", "1#1:[][]\n");
}

static void test_bom(void **state)
{
    (void)state;
    check("\xEF\xBB\xBFid,name\n1,x\n", "1#1:[id][name]\n2#2:[1][x]\n");
    check("\xEF\xBB\xBF", "");
    check("\xEF\xBB\xBF\"q\"\n", "1#1:[q]\n");
    /* Only at the start: later it is a field holding U+FEFF. */
    check("a\n\xEF\xBB\xBF\n", "1#1:[a]\n2#2:[\xEF\xBB\xBF]\n");
}

static void test_blank_lines(void **state)
{
    (void)state;
    check("\n\na,b\n\r\n\nc,d\n\n", "3#1:[a][b]\n6#2:[c][d]\n");
    check("\n\r\n\n", "");
    check("\xEF\xBB\xBF\n\nx\n", "3#1:[x]\n");
}

static void test_semicolon(void **state)
{
    (void)state;
    struct csv_options o = {.delim = ';'};
    const char *in = "namn;ort;vikt\n\"Ström; Åsa\";Göteborg;1,5\n"
                     "a,b;\"c;d\";\n";
    check_opt(in, strlen(in), &o,
              "1#1:[namn][ort][vikt]\n2#2:[Ström; Åsa][Göteborg][1,5]\n"
              "3#3:[a,b][c;d][]\n",
              0, "");
    struct csv_options tab = {.delim = '\t'};
    check_opt("a\tb,c\n", 6, &tab, "1#1:[a][b,c]\n", 0, "");
}

static void test_long_record_tiny_chunk(void **state)
{
    (void)state;
    /* 3000-byte fields, unquoted and quoted with escapes and newlines,
     * through a 4-byte first buffer. */
    struct strbuf in = STRBUF_INIT, want = STRBUF_INIT;
    sb_addstr(&in, "h\n");
    sb_addstr(&want, "1#1:[h]\n2#2:[");
    for (int i = 0; i < 3000; i++) {
        sb_addch(&in, (char)('a' + i % 26));
        sb_addch(&want, (char)('a' + i % 26));
    }
    sb_addstr(&in, ",\"");
    sb_addstr(&want, "][");
    for (int i = 0; i < 1000; i++) {
        sb_addstr(&in, i % 10 == 9 ? "\n" : "x\"\"");
        sb_addstr(&want, i % 10 == 9 ? "\\n" : "x\"");
    }
    sb_addstr(&in, "\"\nend\n");
    sb_addstr(&want, "]\n103#3:[end]\n"); /* 2 + 100 LF + 1 */
    struct csv_options o = {.chunk = 4};
    struct strbuf out = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(parse_mem(in.buf, in.len, &o, &out, &err), 0);
    assert_string_equal(out.buf, want.buf);
    sb_release(&in);
    sb_release(&want);
    sb_release(&out);
}

static void test_find(void **state)
{
    (void)state;
    const char *in = "id;namn;ort;namn;\n";
    struct csv_options o = {.delim = ';'};
    struct csv_reader *r;
    struct csv_record hdr;
    assert_int_equal(csv_open_mem(&r, in, strlen(in), "h.csv", &o, NULL), 0);
    assert_int_equal(csv_next(r, &hdr, NULL), 1);
    assert_int_equal(hdr.n, 5);
    assert_int_equal(csv_find(&hdr, "id"), 0);
    assert_int_equal(csv_find(&hdr, "ort"), 2);
    assert_int_equal(csv_find(&hdr, "namn"), 1);
    assert_int_equal(csv_find(&hdr, ""), 4);
    assert_int_equal(csv_find(&hdr, "Ort"), -1);
    assert_int_equal(csv_find(&hdr, "or"), -1);
    assert_int_equal(csv_next(r, &hdr, NULL), 0);
    assert_int_equal(csv_next(r, &hdr, NULL), 0);
    csv_free(r);
    csv_free(NULL);
}

static void test_bad_options(void **state)
{
    (void)state;
    static const char bad[] = {'"', '\n', '\r', (char)0xC3};
    for (size_t i = 0; i < sizeof bad; i++) {
        struct csv_options o = {.delim = bad[i]};
        struct csv_reader *r = (void *)&o;
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(csv_open_mem(&r, "a", 1, "x", &o, &err), KN_EINPUT);
        assert_null(r);
        assert_string_equal(err.msg, "CSV delimiter must be an ASCII character"
                                     " other than quote, CR and LF");
    }
    struct csv_reader *r;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(csv_open_fd(&r, -1, "x.csv", NULL, &err), KN_EINPUT);
    assert_null(r);
    assert_string_equal(err.msg, "x.csv: no file to read");
}

/* ---- errors ---- */

static void test_err_unterminated(void **state)
{
    (void)state;
    check_err("a,b\nc,\"xx\nyy\n", NULL, "1#1:[a][b]\n",
              "t.csv:2:2: unterminated quoted field");
    check_err("\"", NULL, "", "t.csv:1:1: unterminated quoted field");
    check_err("a\n\n\"x\"\"", NULL, "1#1:[a]\n", "t.csv:3:1: unterminated quoted field");
}

static void test_err_quote_in_unquoted(void **state)
{
    (void)state;
    check_err("a,b\nc,d\"e\n", NULL, "1#1:[a][b]\n",
              "t.csv:2:2: quote inside an unquoted field");
    check_err("x, \"y\"\n", NULL, "", "t.csv:1:2: quote inside an unquoted field");
    check_err("\"a\nb\",c\"\n", NULL, "", "t.csv:2:2: quote inside an unquoted field");
}

static void test_err_after_closing_quote(void **state)
{
    (void)state;
    check_err("a\n\"x\"y,z\n", NULL, "1#1:[a]\n",
              "t.csv:2:1: characters after a closing quote");
    check_err("a,\"x\ny\" \n", NULL, "", "t.csv:2:2: characters after a closing quote");
}

static void test_err_utf8(void **state)
{
    (void)state;
    /* Latin-1 'ö' from an Excel export. */
    check_err("ort\nG\xF6teborg\n", NULL, "1#1:[ort]\n",
              "t.csv:2:1: invalid UTF-8 (byte 0xF6; save the file as UTF-8)");
    /* The line of the bad byte, inside a quoted field. */
    check_err("a,b\nc,\"x\n\n\xC3(\"\n", NULL, "1#1:[a][b]\n",
              "t.csv:4:2: invalid UTF-8 (byte 0xC3; save the file as UTF-8)");
    /* A truncated sequence at the very end. */
    check_err("a,\xC3", NULL, "",
              "t.csv:1:2: invalid UTF-8 (byte 0xC3; save the file as UTF-8)");
    check_opt("a,b\0c\n", 6, NULL, "", KN_EINPUT,
              "t.csv:1:2: NUL byte (is this a binary or UTF-16 file?)");
    /* A UTF-16 file with its BOM. */
    check_opt("\xFF\xFEi\0d\0", 6, NULL, "", KN_EINPUT,
              "t.csv:1:1: invalid UTF-8 (byte 0xFF; save the file as UTF-8)");
}

static void test_err_limits(void **state)
{
    (void)state;
    struct csv_options f4 = {.max_field = 4};
    check_opt("abcd,\"ab\"\"c\"\n", 13, &f4, "1#1:[abcd][ab\"c]\n", 0, "");
    check_err("abcd,abcde\n", &f4, "", "t.csv:1:2: field longer than 4 bytes");
    check_err("ab\nabcde", &f4, "1#1:[ab]\n", "t.csv:2:1: field longer than 4 bytes");
    /* Decided at the fifth byte, before the quote further on. */
    check_err("abcdef\"\n", &f4, "", "t.csv:1:1: field longer than 4 bytes");
    check_err("x,\"ab\ncde\"\n", &f4, "",
              "t.csv:1:2: quoted field longer than 4 bytes"
              " (is a closing quote missing?)");
    check_err("\"abcd\"\"\"\n", &f4, "",
              "t.csv:1:1: quoted field longer than 4 bytes"
              " (is a closing quote missing?)");
    check_opt("\"abc\n\"\n", 7, &f4, "1#1:[abc\\n]\n", 0, "");
    check_err("\"abcd\n\"\n", &f4, "",
              "t.csv:1:1: quoted field longer than 4 bytes"
              " (is a closing quote missing?)");
    /* An unterminated quote fails at the limit, naming its line. */
    check_err("a\n\"unterminated\n", &f4, "1#1:[a]\n",
              "t.csv:2:1: quoted field longer than 4 bytes"
              " (is a closing quote missing?)");

    struct csv_options n3 = {.max_fields = 3};
    check_err("a,b,c\nd,e,f,g\n", &n3, "1#1:[a][b][c]\n",
              "t.csv:2:4: more than 3 fields");
    check_err("a,b,c,\n", &n3, "", "t.csv:1:4: more than 3 fields");
    check_err("a,b,c,", &n3, "", "t.csv:1:4: more than 3 fields");
    check_err("a,b,\"c\n\",\"d\"\n", &n3, "", "t.csv:2:4: more than 3 fields");
    struct csv_options n1 = {.max_fields = 1};
    check_err("a\nb,\n", &n1, "1#1:[a]\n", "t.csv:2:2: more than 1 fields");

    struct csv_options r10 = {.max_record = 10};
    check_err("a,b\n0123,4567,89\n", &r10, "1#1:[a][b]\n",
              "t.csv:2:3: record longer than 10 bytes");
    check_opt("\"012\",4567\r\n", 12, &r10, "1#1:[012][4567]\n", 0, "");
    check_err("\"0123\",45678\n", &r10, "", "t.csv:1:2: record longer than 10 bytes");
    /* Blank lines before a record are not part of it. */
    const char *blank = "\r\n\n0123,45678\r\n\n\r\n0123,45678";
    check_opt(blank, strlen(blank), &r10, "3#1:[0123][45678]\n6#2:[0123][45678]\n", 0,
              "");
}

static void test_err_bare_cr(void **state)
{
    (void)state;
    check_err("a,b\rc\n", NULL, "",
              "t.csv:1:2: carriage return not followed by a line feed");
    check_err("a\n\rx\n", NULL, "1#1:[a]\n",
              "t.csv:2:1: carriage return not followed by a line feed");
    check_err("\"a\"\r\"b\"\n", NULL, "",
              "t.csv:1:1: carriage return not followed by a line feed");
}

static void test_error_is_sticky(void **state)
{
    (void)state;
    const char *in = "a\nb\"\nc\n";
    struct csv_reader *r;
    struct csv_record rec;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(csv_open_mem(&r, in, strlen(in), "s.csv", NULL, &err), 0);
    assert_int_equal(csv_next(r, &rec, &err), 1);
    assert_string_equal(rec.f[0].s, "a");
    for (int i = 0; i < 3; i++) {
        kn_error_clear(&err);
        assert_int_equal(csv_next(r, &rec, &err), KN_EINPUT);
        assert_int_equal(err.code, KN_EINPUT);
        assert_string_equal(err.msg, "s.csv:2:1: quote inside an unquoted field");
    }
    assert_int_equal(csv_next(r, &rec, NULL), KN_EINPUT);
    csv_free(r);
}

/* ---- file descriptors ---- */

static int temp_fd(const void *data, size_t len)
{
    char path[] = "/tmp/knod-test-csv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    if (len > 0)
        assert_int_equal(write(fd, data, len), (ssize_t)len);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return fd;
}

/* A field of 1.5 MiB: n bytes of text with a "" or a line end now and then. */
static void big_field(struct strbuf *raw, struct strbuf *val, size_t n)
{
    sb_addch(raw, '"');
    for (size_t i = 0; i < n; i++) {
        char c = (char)('a' + i % 23);
        if (i % 1000 == 999)
            c = '"';
        else if (i % 4096 == 4095)
            c = '\n';
        if (c == '"')
            sb_addch(raw, '"');
        sb_addch(raw, c);
        sb_addch(val, c);
    }
    sb_addch(raw, '"');
}

static void test_fd_big_field(void **state)
{
    (void)state;
    const size_t n = 3u << 19; /* 1.5 MiB */
    struct strbuf raw = STRBUF_INIT, val = STRBUF_INIT;
    sb_addstr(&raw, "h1,h2\n");
    big_field(&raw, &val, n);
    sb_addstr(&raw, ",x\r\nlast,1");
    size_t nl = 0;
    for (size_t i = 0; i < val.len; i++)
        nl += val.buf[i] == '\n';

    /* A larger limit: the whole field through the default 1 MiB chunks. */
    int fd = temp_fd(raw.buf, raw.len);
    struct csv_options o = {.max_field = 2u << 20};
    struct csv_reader *r;
    struct csv_record rec;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(csv_open_fd(&r, fd, "big.csv", &o, &err), 0);
    assert_int_equal(csv_next(r, &rec, &err), 1);
    assert_int_equal(rec.n, 2);
    assert_int_equal(csv_next(r, &rec, &err), 1);
    assert_int_equal(rec.n, 2);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.f[0].len, n);
    assert_memory_equal(rec.f[0].s, val.buf, n);
    assert_string_equal(rec.f[1].s, "x");
    assert_int_equal(rec.f[1].line, 2 + nl);
    assert_int_equal(csv_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 3 + nl);
    assert_int_equal(rec.recno, 3);
    assert_string_equal(rec.f[0].s, "last");
    assert_int_equal(csv_next(r, &rec, &err), 0);
    csv_free(r);

    /* The default limit: an error naming the line where it starts. */
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    assert_int_equal(csv_open_fd(&r, fd, "big.csv", NULL, &err), 0);
    assert_int_equal(csv_next(r, &rec, &err), 1);
    assert_int_equal(csv_next(r, &rec, &err), KN_EINPUT);
    assert_string_equal(err.msg, "big.csv:2:1: quoted field longer than"
                                 " 1048576 bytes (is a closing quote missing?)");
    csv_free(r);
    close(fd);
    sb_release(&raw);
    sb_release(&val);
}

static void test_pipe_short_reads(void **state)
{
    (void)state;
    /* A child writes 20000 records of varied shapes into a pipe, so reads
     * come back short and records straddle them. */
    struct strbuf in = STRBUF_INIT;
    for (int i = 0; i < 20000; i++) {
        if (i % 3 == 0)
            sb_addf(&in, "%d,\"q,%d\"\"\",x\r\n", i, i * 7);
        else if (i % 3 == 1)
            sb_addf(&in, "%d,\"two\nlines\",\n", i);
        else
            sb_addf(&in, "%d,%0*d,Åä\n", i, i % 200, 0);
    }
    struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(parse_mem(in.buf, in.len, NULL, &want, &err), 0);

    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        size_t off = 0;
        while (off < in.len) {
            size_t n = in.len - off < 777 ? in.len - off : 777;
            ssize_t w = write(p[1], in.buf + off, n);
            if (w <= 0)
                _exit(1);
            off += (size_t)w;
        }
        _exit(0);
    }
    close(p[1]);
    struct csv_options o = {.chunk = 65536};
    struct csv_reader *r;
    assert_int_equal(csv_open_fd(&r, p[0], "pipe", &o, &err), 0);
    assert_int_equal(dump_all(r, &got, &err), 0);
    csv_free(r);
    close(p[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_string_equal(got.buf, want.buf);
    assert_true(got.len > 20000 * 8);
    sb_release(&in);
    sb_release(&want);
    sb_release(&got);
}

static void test_read_error(void **state)
{
    (void)state;
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    struct csv_reader *r;
    struct csv_record rec;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(csv_open_fd(&r, fd, "dir", NULL, &err), 0);
    for (int i = 0; i < 2; i++) {
        kn_error_clear(&err);
        assert_int_equal(csv_next(r, &rec, &err), KN_EIO);
        assert_string_equal(err.msg, "dir:1: read failed: Is a directory");
    }
    csv_free(r);
    close(fd);
}

/* ---- the oracle ---- */

struct ref {
    const unsigned char *s;
    size_t n, i, line;
    unsigned char delim;
    size_t max_field, max_fields, max_record;
    struct strbuf *out;
    char msg[256];
};

static int ref_fail(struct ref *p, size_t line, size_t field, const char *why)
{
    snprintf(p->msg, sizeof p->msg, "t.csv:%zu:%zu: %s", line, field, why);
    return KN_EINPUT;
}

/* One field at p->i into val; 0 or an error. */
static int ref_field(struct ref *p, size_t fno, struct strbuf *val)
{
    const unsigned char *s = p->s;
    size_t fline = p->line;
    char why[128];
    if (p->i < p->n && s[p->i] == '"') {
        p->i++;
        for (;;) {
            if (p->i == p->n)
                return ref_fail(p, fline, fno, "unterminated quoted field");
            unsigned char c = s[p->i];
            if (c == '"' && (p->i + 1 == p->n || s[p->i + 1] != '"')) {
                p->i++;
                break;
            }
            if (val->len == p->max_field) {
                snprintf(why, sizeof why,
                         "quoted field longer than %zu bytes"
                         " (is a closing quote missing?)",
                         p->max_field);
                return ref_fail(p, fline, fno, why);
            }
            sb_addch(val, (char)c);
            p->i += c == '"' ? 2 : 1;
            if (c == '\n')
                p->line++;
        }
        if (p->i < p->n && s[p->i] != p->delim && s[p->i] != '\n' && s[p->i] != '\r')
            return ref_fail(p, p->line, fno, "characters after a closing quote");
    } else {
        while (p->i < p->n && s[p->i] != p->delim && s[p->i] != '\n' && s[p->i] != '\r' &&
               s[p->i] != '"') {
            if (val->len == p->max_field) {
                snprintf(why, sizeof why, "field longer than %zu bytes", p->max_field);
                return ref_fail(p, fline, fno, why);
            }
            sb_addch(val, (char)s[p->i++]);
        }
        if (p->i < p->n && s[p->i] == '"')
            return ref_fail(p, p->line, fno, "quote inside an unquoted field");
    }
    size_t bad;
    if (!utf8_valid(val->buf, val->len, &bad)) {
        unsigned char c = (unsigned char)val->buf[bad];
        size_t line = fline;
        for (size_t m = 0; m < bad; m++)
            line += val->buf[m] == '\n';
        if (c == 0)
            return ref_fail(p, line, fno, "NUL byte (is this a binary or UTF-16 file?)");
        snprintf(why, sizeof why, "invalid UTF-8 (byte 0x%02X; save the file as UTF-8)",
                 c);
        return ref_fail(p, line, fno, why);
    }
    return 0;
}

/* Parse the whole input into p->out as dump_all() would; 0 or an error
 * with p->msg. */
static int ref_parse(struct ref *p)
{
    const unsigned char *s = p->s;
    size_t recno = 0;
    p->i = 0;
    p->line = 1;
    if (p->n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        p->i = 3;
    for (;;) {
        /* Blank lines. */
        while (p->i < p->n && (s[p->i] == '\n' || s[p->i] == '\r')) {
            if (s[p->i] == '\r' && p->i + 1 < p->n && s[p->i + 1] != '\n')
                return ref_fail(p, p->line, 1,
                                "carriage return not followed by a line feed");
            if (s[p->i] == '\n')
                p->line++;
            p->i++;
        }
        if (p->i == p->n)
            return 0;
        size_t rec_line = p->line, rec_start = p->i;
        struct strbuf rec = STRBUF_INIT;
        sb_addf(&rec, "%zu#%zu:", rec_line, ++recno);
        for (size_t fno = 1;; fno++) {
            if (fno > p->max_fields) {
                char why[64];
                snprintf(why, sizeof why, "more than %zu fields", p->max_fields);
                sb_release(&rec);
                return ref_fail(p, p->line, fno, why);
            }
            size_t fline = p->line;
            struct strbuf val = STRBUF_INIT;
            int rc = ref_field(p, fno, &val);
            if (rc == 0 && p->i - rec_start > p->max_record) {
                char why[64];
                snprintf(why, sizeof why, "record longer than %zu bytes", p->max_record);
                rc = ref_fail(p, rec_line, fno, why);
            }
            if (rc != 0) {
                sb_release(&val);
                sb_release(&rec);
                return rc;
            }
            dump_field(&rec, val.buf, val.len);
            if (fline != rec_line)
                sb_addf(&rec, "@%zu", fline);
            sb_release(&val);
            if (p->i == p->n)
                break;
            unsigned char c = s[p->i++];
            if (c == p->delim)
                continue;
            if (c == '\n') {
                p->line++;
                break;
            }
            /* CR */
            if (p->i == p->n)
                break;
            if (s[p->i] != '\n') {
                sb_release(&rec);
                return ref_fail(p, p->line, fno,
                                "carriage return not followed by a line feed");
            }
            p->i++;
            p->line++;
            break;
        }
        sb_add(p->out, rec.buf, rec.len);
        sb_addch(p->out, '\n');
        sb_release(&rec);
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32) % n;
}

static void test_oracle(void **state)
{
    (void)state;
    static const char *const atoms[] = {
        "a",  "b",          "xyz", ",",        ";",    "\"",           "\"\"",
        "\n", "\r\n",       "\r",  "\xC3\xA5", "\xC3", "\xEF\xBB\xBF", " ",
        "\t", "1234567890",
    };
    const size_t natoms = sizeof atoms / sizeof atoms[0];
    int fd = temp_fd(NULL, 0);
    size_t ok_records = 0, errors = 0, records = 0;
    for (int iter = 0; iter < 6000; iter++) {
        struct strbuf in = STRBUF_INIT;
        struct csv_options o = {0};
        o.delim = rnd(2) ? ',' : ';';
        if (iter % 2 == 0) {
            /* Random atoms: mostly errors. */
            size_t len = rnd(60);
            for (size_t k = 0; k < len; k++)
                sb_addstr(&in, atoms[rnd((uint32_t)natoms)]);
            if (rnd(50) == 0)
                sb_add(&in, "\0", 1);
        } else {
            /* Well-formed records, now and then with one atom spliced in. */
            size_t nrec = rnd(6);
            for (size_t k = 0; k < nrec; k++) {
                size_t nf = 1 + rnd(5);
                for (size_t f = 0; f < nf; f++) {
                    if (f > 0)
                        sb_addch(&in, o.delim);
                    size_t flen = rnd(6);
                    bool quoted = rnd(3) == 0;
                    if (quoted)
                        sb_addch(&in, '"');
                    for (size_t c = 0; c < flen; c++) {
                        const char *a = atoms[rnd((uint32_t)natoms)];
                        if (strchr("\r\n,;\"", a[0]) != NULL && !quoted)
                            a = "x";
                        if (strcmp(a, "\"") == 0 || strcmp(a, "\r") == 0 ||
                            strcmp(a, "\xC3") == 0)
                            a = "\"\"";
                        sb_addstr(&in, a);
                    }
                    if (quoted)
                        sb_addch(&in, '"');
                }
                static const char *const ends[] = {
                    "\n", "\n", "\r\n", "\n\n", "\r\n\n", "\n\r\n",
                };
                if (k + 1 < nrec || rnd(2))
                    sb_addstr(&in, ends[rnd(6)]);
            }
            if (rnd(8) == 0 && in.len > 0) {
                const char *a = atoms[rnd((uint32_t)natoms)];
                size_t at = rnd((uint32_t)in.len + 1);
                struct strbuf t = STRBUF_INIT;
                sb_add(&t, in.buf, at);
                sb_addstr(&t, a);
                sb_add(&t, in.buf + at, in.len - at);
                sb_release(&in);
                in = t;
            }
        }
        if (rnd(3) == 0)
            o.max_field = 1 + rnd(12);
        if (rnd(3) == 0)
            o.max_fields = 1 + rnd(6);
        if (rnd(4) == 0)
            o.max_record = 1 + rnd(30);

        /* The naive reference. */
        struct strbuf want = STRBUF_INIT;
        struct ref p = {
            .s = (const unsigned char *)in.buf,
            .n = in.len,
            .delim = (unsigned char)o.delim,
            .out = &want,
            .max_field = o.max_field ? o.max_field : CSV_MAX_FIELD_DEFAULT,
            .max_fields = o.max_fields ? o.max_fields : CSV_MAX_FIELDS_DEFAULT,
            .max_record = o.max_record ? o.max_record : CSV_MAX_RECORD_DEFAULT,
        };
        int want_rc = ref_parse(&p);

        /* Memory, in one chunk. */
        struct strbuf got = STRBUF_INIT;
        struct kn_error err = KN_ERROR_INIT;
        o.chunk = in.len + 1;
        int rc = parse_mem(in.buf, in.len, &o, &got, &err);
        assert_string_equal(got.buf, want.buf);
        assert_int_equal(rc, want_rc);
        assert_string_equal(err.msg, want_rc ? p.msg : "");

        /* A file in random chunks. */
        struct strbuf got2 = STRBUF_INIT;
        struct kn_error err2 = KN_ERROR_INIT;
        assert_int_equal(ftruncate(fd, 0), 0);
        assert_int_equal(pwrite(fd, in.buf, in.len, 0), (ssize_t)in.len);
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        o.chunk = 1 + rnd(17);
        struct csv_reader *r;
        assert_int_equal(csv_open_fd(&r, fd, "t.csv", &o, &err2), 0);
        int rc2 = dump_all(r, &got2, &err2);
        csv_free(r);
        assert_string_equal(got2.buf, got.buf);
        assert_int_equal(rc2, rc);
        assert_string_equal(err2.msg, err.msg);

        for (size_t k = 0; k < got.len; k++)
            records += got.buf[k] == '\n';
        if (rc == 0)
            ok_records += 1;
        else
            errors++;
        sb_release(&in);
        sb_release(&want);
        sb_release(&got);
        sb_release(&got2);
    }
    close(fd);
    /* Both outcomes are exercised often. */
    assert_true(ok_records > 1000);
    assert_true(errors > 1000);
    assert_true(records > 2500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_crlf_and_final_line),
        cmocka_unit_test(test_empty_and_trailing),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_semicolon),
        cmocka_unit_test(test_long_record_tiny_chunk),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_err_unterminated),
        cmocka_unit_test(test_err_quote_in_unquoted),
        cmocka_unit_test(test_err_after_closing_quote),
        cmocka_unit_test(test_err_utf8),
        cmocka_unit_test(test_err_limits),
        cmocka_unit_test(test_err_bare_cr),
        cmocka_unit_test(test_error_is_sticky),
        cmocka_unit_test(test_fd_big_field),
        cmocka_unit_test(test_pipe_short_reads),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tests/unit/base/test_outfile.c: src/base/outfile.c and the spreadsheet
 * guard of src/base/csv_guard.c, the two rules every written file keeps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/csv_guard.h"
#include "base/csv_write.h"
#include "base/outfile.h"
#include "testutil.h"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Files in tu_dir whose name begins with a dot (temporary files). */
static int hidden_files(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "find %s -name '.*' -type f | wc -l", tu_dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

/* A new name is written whole at commit, not before; mode 0600. */
static void test_new_file(void **state)
{
    (void)state;
    char path[128];
    tu_path(path, sizeof path, "new.txt");
    struct outfile o = OUTFILE_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(outfile_open(&o, path, 0, &err), 0);
    assert_int_equal(outfile_write(&o, "hello\n", 6, &err), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(hidden_files(), 1);
    assert_int_equal(outfile_commit(&o, &err), 0);
    assert_string_equal(read_text(path), "hello\n");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(hidden_files(), 0);
    unlink(path);
}

/* An existing regular file: KN_EEXIST without REPLACE, replaced with it. */
static void test_existing_file(void **state)
{
    (void)state;
    char path[128];
    tu_path(path, sizeof path, "old.txt");
    write_text(path, "old");
    struct outfile o = OUTFILE_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(outfile_open(&o, path, 0, &err), KN_EEXIST);
    assert_non_null(strstr(err.msg, "already exists"));
    assert_int_equal(outfile_open(&o, path, OUTFILE_REPLACE, &err), 0);
    assert_int_equal(outfile_write(&o, "new", 3, &err), 0);
    assert_string_equal(read_text(path), "old");
    assert_int_equal(outfile_commit(&o, &err), 0);
    assert_string_equal(read_text(path), "new");
    /* abort leaves the target as it was and removes the temporary file */
    assert_int_equal(outfile_open(&o, path, OUTFILE_REPLACE, &err), 0);
    assert_int_equal(outfile_write(&o, "lost", 4, &err), 0);
    outfile_abort(&o);
    assert_string_equal(read_text(path), "new");
    assert_int_equal(hidden_files(), 0);
    outfile_abort(&o); /* again: a no-op */
    unlink(path);
}

/* Devices, links, FIFOs and folders are refused, REPLACE or not. */
static void test_not_regular(void **state)
{
    (void)state;
    char link[128], fifo[128], target[128];
    tu_path(target, sizeof target, "target.txt");
    tu_path(link, sizeof link, "link.txt");
    tu_path(fifo, sizeof fifo, "fifo");
    write_text(target, "keep");
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *bad[] = { "/dev/null", "/dev/full", link, fifo, tu_dir };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct outfile o = OUTFILE_INIT;
        struct kn_error err = KN_ERROR_INIT;
        if (access(bad[i], F_OK) != 0)
            continue;
        assert_int_equal(outfile_open(&o, bad[i], OUTFILE_REPLACE, &err), KN_EINPUT);
        assert_non_null(strstr(err.msg, "knod writes only regular files"));
        assert_int_equal(outfile_check(bad[i], 0, &err), KN_EINPUT);
    }
    struct stat sb;
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    assert_string_equal(read_text(target), "keep");
    struct kn_error err = KN_ERROR_INIT;
    char slash[140];
    snprintf(slash, sizeof slash, "%s/sub/", tu_dir);
    assert_int_equal(outfile_check(slash, 0, &err), KN_EINPUT);
    assert_int_equal(outfile_check("-", 0, &err), 0); /* a new file named "-" */
    assert_int_equal(outfile_check("-", OUTFILE_STDOUT, &err), 0);
    unlink(link);
    unlink(fifo);
    unlink(target);
}

/* A target that appears while the file is written is not overwritten. */
static void test_race(void **state)
{
    (void)state;
    char path[128];
    tu_path(path, sizeof path, "race.txt");
    struct outfile o = OUTFILE_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(outfile_open(&o, path, 0, &err), 0);
    assert_int_equal(outfile_write(&o, "mine", 4, &err), 0);
    write_text(path, "theirs");
    assert_int_equal(outfile_commit(&o, &err), KN_EEXIST);
    assert_string_equal(read_text(path), "theirs");
    assert_int_equal(hidden_files(), 0);
    unlink(path);
}

/* What a signal handler calls removes every open temporary file. */
static void test_unlink_temps(void **state)
{
    (void)state;
    char a[128], b[128];
    tu_path(a, sizeof a, "a.txt");
    tu_path(b, sizeof b, "b.txt");
    struct outfile oa = OUTFILE_INIT, ob = OUTFILE_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(outfile_open(&oa, a, 0, &err), 0);
    assert_int_equal(outfile_open(&ob, b, 0, &err), 0);
    assert_int_equal(hidden_files(), 2);
    outfile_unlink_temps();
    assert_int_equal(hidden_files(), 0);
    outfile_abort(&oa);
    outfile_abort(&ob);
    assert_int_equal(access(a, F_OK), -1);
}

/* The guard: export adds a quote exactly where the import takes one off,
 * so that import(export(v)) == v for every v, and no guarded cell begins
 * with a formula character. */
static void test_guard_round_trip(void **state)
{
    (void)state;
    const char *vals[] = { "", "a", "=1+1", "+cmd|' /C calc'!A0", "-5", "@SUM(A1)",
                           "\tx", "\rx", "'", "''", "'=x", "''=x", "'abc", "a=b", "-",
                           "'-", "x'=", "=" };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        const char *v = vals[i];
        size_t len = strlen(v);
        struct strbuf sb = STRBUF_INIT;
        assert_int_equal(csvw_text(&sb, v, len, 1), 0);
        /* unquote the CSV field (the test values need quoting only for CR) */
        char field[64];
        size_t n = 0;
        const char *p = sb.buf;
        bool quoted = *p == '"';
        for (p += quoted; *p && !(quoted && *p == '"' && p[1] != '"'); p++) {
            if (quoted && *p == '"')
                p++;
            field[n++] = *p;
        }
        field[n] = '\0';
        assert_false(field[0] == '=' || field[0] == '+' || field[0] == '-' ||
                     field[0] == '@' || field[0] == '\t' || field[0] == '\r');
        const char *back = field;
        size_t blen = n;
        if (csv_guard_present(back, blen)) {
            back++;
            blen--;
        }
        assert_int_equal(blen, len);
        assert_memory_equal(back, v, len);
        sb_release(&sb);
    }
    assert_false(csv_guard_needed("abc", 3));
    assert_true(csv_guard_needed("''=", 3));
    assert_false(csv_guard_present("=x", 2));
    assert_false(csv_guard_present("'x", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_file),
        cmocka_unit_test(test_existing_file),
        cmocka_unit_test(test_not_regular),
        cmocka_unit_test(test_race),
        cmocka_unit_test(test_unlink_temps),
        cmocka_unit_test(test_guard_round_trip),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}

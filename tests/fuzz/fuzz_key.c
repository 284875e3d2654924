/* tests/fuzz/fuzz_key.c: fuzz target for the pseudonymisation key file
 * (src/domain/pseudo.c, pseudo_key_load()): `knod init --key-file`,
 * `knod key rotate` and every open of a store read it.
 *
 * The bytes are written (mode 0600) to a file in a fresh temporary folder.
 * A key taken has at most PSEUDO_ROT_MAX rotations, and writing it back as
 * hex reads the same key again; a key refused gets KN_EINPUT with a
 * message naming the file and the line at fault (or that it has too many
 * lines), and never any of the file's text: it is a secret.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/pseudo.h"
#include "fuzz.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_key: %s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #x);                                                                 \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static bool put(const char *path, const void *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return false;
    bool ok = write(fd, data, size) == (ssize_t)size;
    close(fd);
    return ok;
}

static void hex_line(FILE *f, const unsigned char *k)
{
    for (int i = 0; i < PSEUDO_KEY_BYTES; i++)
        fprintf(f, "%02x", k[i]);
    fputc('\n', f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s/knod-fuzz-key-XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return 0;
    snprintf(path, sizeof path, "%s/secret.key", dir);
    if (put(path, data, size)) {
        struct pseudo_key k, again;
        struct kn_error err = KN_ERROR_INIT;
        int rc = pseudo_key_load(path, &k, &err);
        if (rc == 0) {
            CHECK(k.nrot <= PSEUDO_ROT_MAX);
            FILE *f = fopen(path, "w");
            CHECK(f != NULL);
            hex_line(f, k.k);
            for (unsigned i = 0; i < k.nrot; i++)
                hex_line(f, k.rot[i]);
            fclose(f);
            CHECK(pseudo_key_load(path, &again, &err) == 0 && again.nrot == k.nrot);
            CHECK(memcmp(again.k, k.k, sizeof k.k) == 0);
            CHECK(memcmp(again.rot, k.rot, sizeof k.rot[0] * k.nrot) == 0);
            pseudo_key_wipe(&again);
            pseudo_key_wipe(&k);
        } else {
            CHECK(rc == KN_EINPUT);
            CHECK(strstr(err.msg, "secret.key") != NULL);
            CHECK(strstr(err.msg, "line ") != NULL || strstr(err.msg, "lines") != NULL);
            /* no run of eight of the file's bytes is in the message */
            for (size_t i = 0; i + 8 <= size; i++) {
                bool all_hex = true;
                for (size_t j = i; j < i + 8; j++)
                    all_hex =
                        all_hex && strchr("0123456789abcdefABCDEF", data[j]) && data[j];
                if (all_hex)
                    CHECK(memmem(err.msg, strlen(err.msg), data + i, 8) == NULL);
            }
        }
    }
    unlink(path);
    rmdir(dir);
    return 0;
}

/* src/domain/pseudo.c: key files and keyed hashing. See pseudo.h.
 *
 * Importers derive one pseudonym per row; a BLAKE2b call on 12 bytes costs
 * well under a microsecond, so there is no cache of numbers here (a cache
 * would keep raw numbers in memory).
 */
#include "domain/pseudo.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

static int ensure_sodium(struct kn_error *err)
{
    if (sodium_init() < 0)
        return kn_fail(err, KN_EIO, "libsodium could not be initialised");
    return 0;
}

int pseudo_key_create(const char *path, struct kn_error *err)
{
    unsigned char key[PSEUDO_KEY_BYTES];
    char hex[2 * PSEUDO_KEY_BYTES + 2];
    int rc = ensure_sodium(err);
    if (rc != 0)
        return rc;

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return kn_fail(err, KN_EEXIST, "key file '%s' already exists", path);
        return kn_fail(err, KN_EIO, "cannot create key file '%s': %s", path,
                       strerror(errno));
    }
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    size_t n = strlen(hex);
    hex[n] = '\n';
    rc = 0;
    if (fchmod(fd, 0600) != 0 || write(fd, hex, n + 1) != (ssize_t)(n + 1)
        || fsync(fd) != 0)
        rc = kn_fail(err, KN_EIO, "cannot write key file '%s': %s", path,
                     strerror(errno));
    if (close(fd) != 0 && rc == 0)
        rc = kn_fail(err, KN_EIO, "cannot write key file '%s': %s", path,
                     strerror(errno));
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    if (rc != 0)
        unlink(path);
    return rc;
}

int pseudo_key_load(const char *path, struct pseudo_key *key,
                    struct kn_error *err)
{
    char buf[2 * PSEUDO_KEY_BYTES + 8];
    struct stat st;
    int rc = ensure_sodium(err);
    if (rc != 0)
        return rc;

    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return kn_fail(err, KN_ENOTFOUND, "key file '%s' does not exist", path);
        return kn_fail(err, KN_EIO, "cannot open key file '%s': %s", path,
                       strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        rc = kn_fail(err, KN_EIO, "cannot stat key file '%s': %s", path,
                     strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = kn_fail(err, KN_EPERM, "key file '%s' is not a regular file", path);
        goto out;
    }
    if ((st.st_mode & 077) != 0) {
        rc = kn_fail(err, KN_EPERM,
                     "key file '%s' may be read or written by others (mode %04o); "
                     "run: chmod 600 '%s'",
                     path, (unsigned)(st.st_mode & 07777), path);
        goto out;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        rc = kn_fail(err, KN_EIO, "cannot read key file '%s': %s", path,
                     strerror(errno));
        goto out;
    }
    size_t len = (size_t)n;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    size_t bin_len = 0;
    if (len != 2 * PSEUDO_KEY_BYTES
        || sodium_hex2bin(key->k, sizeof key->k, buf, len, NULL, &bin_len, NULL) != 0
        || bin_len != PSEUDO_KEY_BYTES) {
        pseudo_key_wipe(key);
        rc = kn_fail(err, KN_EINPUT,
                     "key file '%s' does not hold a key (64 hex characters)", path);
        goto out;
    }
out:
    sodium_memzero(buf, sizeof buf);
    close(fd);
    return rc;
}

void pseudo_key_wipe(struct pseudo_key *key)
{
    sodium_memzero(key, sizeof *key);
}

void pseudo_derive_raw(const struct pseudo_key *key, const struct pnr *p,
                       unsigned char out[PSEUDO_BYTES])
{
    crypto_generichash(out, PSEUDO_BYTES, (const unsigned char *)p->digits, 12,
                       key->k, sizeof key->k);
}

void pseudo_derive(const struct pseudo_key *key, const struct pnr *p,
                   char out[PSEUDO_HEX_LEN + 1])
{
    unsigned char h[PSEUDO_BYTES];
    pseudo_derive_raw(key, p, h);
    pseudo_to_hex(h, out);
}

void pseudo_to_hex(const unsigned char raw[PSEUDO_BYTES], char out[PSEUDO_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < PSEUDO_BYTES; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[PSEUDO_HEX_LEN] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int pseudo_from_hex(const char *hex, size_t len, unsigned char raw[PSEUDO_BYTES])
{
    if (len != PSEUDO_HEX_LEN)
        return KN_EINPUT;
    for (size_t i = 0; i < PSEUDO_BYTES; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return KN_EINPUT;
        raw[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

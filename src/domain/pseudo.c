/* src/domain/pseudo.c: key files and keyed hashing. See pseudo.h.
 *
 * Importers derive one pseudonym per row; a BLAKE2b call on 12 bytes costs
 * well under a microsecond, so there is no cache of numbers here (a cache
 * would keep raw numbers in memory).
 */
#include "domain/pseudo.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
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

/* The key file text of key: one line of 64 hex characters per key of
 * the chain, K0 first. */
static size_t key_text(const struct pseudo_key *key, char *buf, size_t cap)
{
    size_t n = 0;
    for (unsigned i = 0; i <= key->nrot; i++) {
        const unsigned char *k = i == 0 ? key->k : key->rot[i - 1];
        assert(n + 2 * PSEUDO_KEY_BYTES + 2 <= cap);
        sodium_bin2hex(buf + n, cap - n, k, PSEUDO_KEY_BYTES);
        n += 2 * PSEUDO_KEY_BYTES;
        buf[n++] = '\n';
    }
    return n;
}

#define KEY_TEXT_MAX ((PSEUDO_ROT_MAX + 1) * (2 * PSEUDO_KEY_BYTES + 2) + 8)

/* Write key to the new file path (O_EXCL, 0600, synced). */
static int key_write(const struct pseudo_key *key, const char *path, struct kn_error *err)
{
    char text[KEY_TEXT_MAX];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return kn_fail(err, KN_EEXIST, "key file '%s' already exists", path);
        return kn_fail(err, KN_EIO, "cannot create key file '%s': %s", path,
                       strerror(errno));
    }
    size_t n = key_text(key, text, sizeof text);
    int rc = 0;
    if (fchmod(fd, 0600) != 0 || write(fd, text, n) != (ssize_t)n || fsync(fd) != 0)
        rc = kn_fail(err, KN_EIO, "cannot write key file '%s': %s", path,
                     strerror(errno));
    if (close(fd) != 0 && rc == 0)
        rc = kn_fail(err, KN_EIO, "cannot write key file '%s': %s", path,
                     strerror(errno));
    sodium_memzero(text, sizeof text);
    if (rc != 0)
        unlink(path);
    return rc;
}

int pseudo_key_create(const char *path, struct kn_error *err)
{
    struct pseudo_key key;
    int rc = ensure_sodium(err);
    if (rc != 0)
        return rc;
    memset(&key, 0, sizeof key);
    randombytes_buf(key.k, sizeof key.k);
    rc = key_write(&key, path, err);
    pseudo_key_wipe(&key);
    return rc;
}

int pseudo_key_rotate(const struct pseudo_key *key, const char *path,
                      struct pseudo_key *out, struct kn_error *err)
{
    int rc = ensure_sodium(err);
    if (rc != 0)
        return rc;
    if (key->nrot >= PSEUDO_ROT_MAX)
        return kn_fail(err, KN_EINPUT, "the key has been rotated %u times, the most a "
                       "key file holds", key->nrot);
    *out = *key;
    randombytes_buf(out->rot[out->nrot], PSEUDO_KEY_BYTES);
    out->nrot++;
    rc = key_write(out, path, err);
    if (rc != 0)
        pseudo_key_wipe(out);
    return rc;
}

/* Parse the key file text buf[0..len): lines of 64 hex characters. 0, or
 * KN_EINPUT with *bad the line at fault (from 1; 1 for an empty file,
 * 2 + PSEUDO_ROT_MAX for one with too many lines). The message never
 * shows a line's text: it is a secret. */
static int key_parse(const char *buf, size_t len, struct pseudo_key *key, unsigned *bad)
{
    memset(key, 0, sizeof *key);
    unsigned n = 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && buf[e] != '\n')
            e++;
        size_t l = e - i;
        if (l > 0 && buf[i + l - 1] == '\r')
            l--;
        size_t bin_len = 0;
        *bad = n + 1;
        if (n > PSEUDO_ROT_MAX || l != 2 * PSEUDO_KEY_BYTES)
            return KN_EINPUT;
        unsigned char *k = n == 0 ? key->k : key->rot[n - 1];
        if (sodium_hex2bin(k, PSEUDO_KEY_BYTES, buf + i, l, NULL, &bin_len, NULL) != 0 ||
            bin_len != PSEUDO_KEY_BYTES)
            return KN_EINPUT;
        n++;
        i = e + 1;
    }
    *bad = 1;
    if (n == 0)
        return KN_EINPUT;
    key->nrot = n - 1;
    return 0;
}

int pseudo_key_load(const char *path, struct pseudo_key *key,
                    struct kn_error *err)
{
    char buf[KEY_TEXT_MAX];
    struct stat st;
    memset(key, 0, sizeof *key);
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
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = kn_fail(err, KN_EIO, "cannot read key file '%s': %s", path,
                         strerror(errno));
            goto out;
        }
        if (n == 0 || (len += (size_t)n) == sizeof buf - 1)
            break;
    }
    bool too_long = len == sizeof buf - 1; /* more than any key file holds */
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    unsigned bad = 0;
    if (too_long || key_parse(buf, len, key, &bad) != 0) {
        pseudo_key_wipe(key);
        if (too_long)
            rc = kn_fail(err, KN_EINPUT,
                         "key file '%s' does not hold a key: it is longer "
                         "than any key file (at most %d lines of 64 hex characters)",
                         path, 1 + PSEUDO_ROT_MAX);
        else if (bad > 1 + PSEUDO_ROT_MAX)
            rc = kn_fail(err, KN_EINPUT,
                         "key file '%s' does not hold a key: more than %d "
                         "lines (a key and at most %d rotations)",
                         path, 1 + PSEUDO_ROT_MAX, PSEUDO_ROT_MAX);
        else
            rc = kn_fail(err, KN_EINPUT,
                         "key file '%s' does not hold a key: line %u is not "
                         "64 hex characters",
                         path, bad);
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
    for (unsigned i = 0; i < key->nrot; i++)
        crypto_generichash(out, PSEUDO_BYTES, out, PSEUDO_BYTES, key->rot[i],
                           PSEUDO_KEY_BYTES);
}

/* The label of external pseudonyms: not 12 digits, so never the input of
 * a personnummer's pseudonym. */
static const char ext_label[] = "knod external pseudonym v1";

void pseudo_derive_external_raw(const struct pseudo_key *key, const char *source,
                                size_t slen, const char *ext, size_t elen,
                                unsigned char out[PSEUDO_BYTES])
{
    crypto_generichash_state h;
    unsigned char n[8];
    uint64_t l = slen;
    for (int i = 0; i < 8; i++, l >>= 8)
        n[i] = (unsigned char)(l & 0xff);
    crypto_generichash_init(&h, key->k, sizeof key->k, PSEUDO_BYTES);
    crypto_generichash_update(&h, (const unsigned char *)ext_label, sizeof ext_label);
    crypto_generichash_update(&h, n, sizeof n);
    crypto_generichash_update(&h, (const unsigned char *)source, slen);
    crypto_generichash_update(&h, (const unsigned char *)ext, elen);
    crypto_generichash_final(&h, out, PSEUDO_BYTES);
    sodium_memzero(&h, sizeof h);
    for (unsigned i = 0; i < key->nrot; i++)
        crypto_generichash(out, PSEUDO_BYTES, out, PSEUDO_BYTES, key->rot[i],
                           PSEUDO_KEY_BYTES);
}

void pseudo_rotate_raw(const struct pseudo_key *key, unsigned char raw[PSEUDO_BYTES])
{
    assert(key->nrot > 0);
    crypto_generichash(raw, PSEUDO_BYTES, raw, PSEUDO_BYTES, key->rot[key->nrot - 1],
                       PSEUDO_KEY_BYTES);
}

/* A label no 12-digit number can equal, so a fingerprint is never a
 * pseudonym. */
static const char fp_label[] = "knod pseudonym key fingerprint v1";

void pseudo_fingerprint(const struct pseudo_key *key, unsigned layers,
                        char out[PSEUDO_FP_HEX_LEN + 1])
{
    unsigned char h[PSEUDO_FP_BYTES];
    assert(layers >= 1 && layers <= key->nrot + 1);
    crypto_generichash(h, sizeof h, (const unsigned char *)fp_label, sizeof fp_label - 1,
                       key->k, sizeof key->k);
    for (unsigned i = 1; i < layers; i++)
        crypto_generichash(h, sizeof h, h, sizeof h, key->rot[i - 1], PSEUDO_KEY_BYTES);
    sodium_bin2hex(out, PSEUDO_FP_HEX_LEN + 1, h, sizeof h);
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

bool pseudo_hex_is(const char *s)
{
    return s && strlen(s) == PSEUDO_HEX_LEN &&
           strspn(s, "0123456789abcdef") == PSEUDO_HEX_LEN;
}

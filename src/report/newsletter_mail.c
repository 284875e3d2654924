/* src/report/newsletter_mail.c: the newsletter as an HTML e-mail and as a
 * MIME message (newsletter.h).
 *
 * The HTML comes from the auto-escaping templates (newsletter_mail.html);
 * the message is built here: headers in ASCII (the Subject as an RFC 2047
 * encoded word), two parts in base64 (libsodium's encoder) on lines of 76
 * characters, and a boundary that base64 cannot contain ("=_" never stands
 * inside a base64 line). Date and Message-ID come from the data, not the
 * clock: the Date is midnight UTC at the start of the day after the
 * period, the Message-ID the first 8 bytes of a BLAKE2b hash of both
 * parts, at the portal's host.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "report/newsletter.h"
#include "web/web_tmpl.h"

int nl_html(const json_t *model, struct strbuf *out, struct kn_error *err)
{
    struct web_tmpl_set *ts = NULL;
    int rc = web_tmpl_load_embedded(&ts, err);
    if (rc == 0) {
        const json_t *ctx[] = {model};
        rc = web_tmpl_render(ts, "newsletter_mail", ctx, 1, out, err);
    }
    web_tmpl_set_free(ts);
    return rc;
}

/* len bytes at s as base64 in lines of 76 characters, each ended by \n. */
static int base64_lines(struct strbuf *out, const unsigned char *s, size_t len)
{
    char line[80];
    for (size_t at = 0; at < len; at += 57) {
        size_t n = len - at < 57 ? len - at : 57;
        sodium_bin2base64(line, sizeof line, s + at, n, sodium_base64_VARIANT_ORIGINAL);
        if (sb_addstr(out, line) != 0 || sb_add(out, "\n", 1) != 0)
            return -1;
    }
    return 0;
}

/* The Subject as RFC 2047 encoded words of at most 75 characters, split
 * between whole UTF-8 characters, on folded lines. */
static int subject(struct strbuf *out, const char *s)
{
    size_t len = strlen(s), at = 0;
    if (sb_addstr(out, "Subject:") != 0)
        return -1;
    while (at < len) {
        /* 45 bytes give 60 base64 characters: "=?UTF-8?B?" + 60 + "?=" */
        size_t n = len - at < 45 ? len - at : 45;
        while (at + n < len && ((unsigned char)s[at + n] & 0xc0) == 0x80)
            n--;
        char b64[64];
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + at, n,
                          sodium_base64_VARIANT_ORIGINAL);
        if (sb_addf(out, " =?UTF-8?B?%s?=\n", b64) != 0)
            return -1;
        at += n;
    }
    return 0;
}

/* The host of an http(s) URL (into buf), for the Message-ID. */
static void host(const char *url, char *buf, size_t cap)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/:");
    if (n == 0 || n >= cap) {
        snprintf(buf, cap, "knod.invalid");
        return;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
}

static int part(struct strbuf *out, const char *boundary, const char *type,
                const struct strbuf *body)
{
    if (sb_addf(out, "--%s\nContent-Type: %s; charset=utf-8\n"
                     "Content-Transfer-Encoding: base64\n\n", boundary, type) != 0)
        return -1;
    return base64_lines(out, (const unsigned char *)body->buf, body->len);
}

int nl_eml(const json_t *model, const struct strbuf *text, const struct strbuf *html,
           struct strbuf *out, struct kn_error *err)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const char *until_s = json_string_value(json_object_get(model, "until"));
    const char *subj = json_string_value(json_object_get(model, "subject"));
    const char *base = json_string_value(json_object_get(model, "base_url"));
    kn_day until;
    struct kn_error e2 = KN_ERROR_INIT;
    if (!until_s || !subj || !base || date_parse(until_s, strlen(until_s), &until, &e2) != 0)
        return kn_fail(err, KN_EINPUT, "newsletter model: until, subject or base_url missing");
    kn_day day = until + 1;
    struct kn_ymd d = date_to_ymd(day);
    int wd = date_weekday(day); /* 1 = Monday .. 7 = Sunday */
    unsigned char hash[crypto_generichash_BYTES_MIN];
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, sizeof hash);
    crypto_generichash_update(&hs, (const unsigned char *)text->buf, text->len);
    crypto_generichash_update(&hs, (const unsigned char *)html->buf, html->len);
    crypto_generichash_final(&hs, hash, sizeof hash);
    char hex[17], at[128], boundary[64];
    /* 8 bytes of the hash name the message and its boundary: enough to
     * tell newsletters apart, short enough for a 78-column header line */
    sodium_bin2hex(hex, sizeof hex, hash, 8);
    host(base, at, sizeof at);
    snprintf(boundary, sizeof boundary, "=_knod-%s", hex);
    int rc = 0;
    rc |= sb_addstr(out, "MIME-Version: 1.0\n");
    rc |= sb_addf(out, "Date: %s, %02d %s %04d 00:00:00 +0000\n", days[(wd - 1) % 7], d.day,
                  months[d.month - 1], d.year);
    rc |= sb_addf(out, "Message-ID: <newsletter-%s-%s@%s>\n", until_s, hex, at);
    rc |= subject(out, subj);
    rc |= sb_addf(out, "Content-Language: %s\n",
                  json_string_value(json_object_get(model, "lang")));
    rc |= sb_addf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\n\n", boundary);
    rc |= part(out, boundary, "text/plain", text);
    rc |= sb_add(out, "\n", 1);
    rc |= part(out, boundary, "text/html", html);
    rc |= sb_addf(out, "\n--%s--\n", boundary);
    return rc == 0 ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
}

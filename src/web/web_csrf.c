/* src/web/web_csrf.c: making and checking CSRF tokens (web_csrf.h). */
#include "web/web_csrf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "access/access_session.h"
#include "web/web_session.h"

bool web_csrf_needed(const char *method)
{
    return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
           strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

/* The MAC of nonce under the form key, as hex, into out. */
static void anon_mac(const struct web_app *app, const unsigned char nonce[16],
                     char out[65])
{
    unsigned char mac[32];
    crypto_generichash(mac, sizeof mac, nonce, 16, app->form_key, sizeof app->form_key);
    sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* Is token a valid anonymous token of this server? */
static bool anon_valid(const struct web_app *app, const char *token)
{
    unsigned char nonce[16];
    size_t n = 0;
    char mac[65];
    if (!token || strlen(token) != WEB_CSRF_ANON_CHARS ||
        sodium_hex2bin(nonce, sizeof nonce, token, 32, NULL, &n, NULL) != 0 ||
        n != sizeof nonce)
        return false;
    anon_mac(app, nonce, mac);
    return sodium_memcmp(mac, token + 32, 64) == 0;
}

const char *web_csrf_token(struct web_req *rq)
{
    if (rq->session)
        return rq->session->csrf;
    if (anon_valid(rq->app, rq->cookie_csrf))
        return rq->cookie_csrf;
    unsigned char nonce[16];
    char *tok = arena_alloc(rq->arena, WEB_CSRF_ANON_CHARS + 1);
    if (!tok)
        return NULL;
    randombytes_buf(nonce, sizeof nonce);
    sodium_bin2hex(tok, 33, nonce, sizeof nonce);
    anon_mac(rq->app, nonce, tok + 32);
    char v[200];
    snprintf(v, sizeof v, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", WEB_CSRF_COOKIE, tok,
             rq->app->cookie_secure ? "; Secure" : "");
    if (web_set_cookie(rq, v) != 0)
        return NULL;
    rq->cookie_csrf = tok; /* a second form on this answer uses the same */
    return tok;
}

static bool same(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n > 0 && n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

bool web_csrf_ok(const struct web_req *rq)
{
    const char *got = web_form(rq, WEB_CSRF_FIELD);
    if (!got)
        got = rq->header_csrf;
    if (!got)
        return false;
    if (rq->session)
        return same(got, rq->session->csrf);
    return rq->cookie_csrf && same(got, rq->cookie_csrf) && anon_valid(rq->app, got);
}

/* src/access/access_oidc_http.c: GET and POST to the OpenID provider with
 * libcurl, for discovery, the key set and the token endpoint. */
#include "access/access_oidc_http.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "access/access_oidc.h"

struct body {
    char *buf;
    size_t len;
    bool too_big;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
    struct body *b = user;
    size_t add = size * n;
    if (add > OIDC_HTTP_MAX_BYTES - b->len) {
        b->too_big = true;
        return 0;
    }
    char *nb = realloc(b->buf, b->len + add + 1);
    if (nb == NULL)
        return 0;
    memcpy(nb + b->len, p, add);
    b->buf = nb;
    b->len += add;
    b->buf[b->len] = '\0';
    return add;
}

/* A URL fit for a message: cut at the query, which may hold a code. */
static int url_len(const char *url)
{
    size_t n = strcspn(url, "?");
    return (int)(n > 200 ? 200 : n);
}

static int request(const char *url, const char *form, const char *basic, json_t **out,
                   struct kn_error *err)
{
    struct body b = { 0 };
    struct curl_slist *hdrs = NULL;
    long status = 0;
    int rc = 0;

    *out = NULL;
    CURL *c = curl_easy_init();
    if (c == NULL)
        return kn_fail(err, KN_ENOMEM, "cannot start an HTTP request");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)OIDC_HTTP_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)OIDC_HTTP_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE, (long)OIDC_HTTP_MAX_BYTES);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "knod/" KNOD_VERSION);
    hdrs = curl_slist_append(hdrs, "Accept: application/json");
    if (basic != NULL) {
        char line[1024];
        snprintf(line, sizeof line, "Authorization: Basic %s", basic);
        hdrs = curl_slist_append(hdrs, line);
        memset(line, 0, sizeof line);
    }
    if (form != NULL) {
        hdrs = curl_slist_append(hdrs, "Content-Type: application/x-www-form-urlencoded");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);

    CURLcode cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (b.too_big) {
        rc = kn_fail(err, KN_EIO, "the answer from '%.*s' is larger than %d bytes",
                     url_len(url), url, OIDC_HTTP_MAX_BYTES);
        goto out;
    }
    if (cc != CURLE_OK) {
        rc = kn_fail(err, KN_EIO, "cannot reach '%.*s': %s", url_len(url), url,
                     curl_easy_strerror(cc));
        goto out;
    }
    json_t *j = b.buf ? json_loadb(b.buf, b.len, 0, NULL) : NULL;
    if (status != 200) {
        const char *code = json_string_value(json_object_get(j, "error"));
        char safe[48] = "";
        /* The OAuth error code is a short token of printable ASCII. */
        for (size_t i = 0; code && code[i] && i + 1 < sizeof safe; i++)
            safe[i] = code[i] > ' ' && code[i] <= '~' ? code[i] : '?';
        rc = kn_fail(err, KN_EIO, "'%.*s' answered HTTP %ld%s%s", url_len(url), url, status,
                     safe[0] ? ": " : "", safe);
        json_decref(j);
        goto out;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        rc = kn_fail(err, KN_EIO, "the answer from '%.*s' is not a JSON object",
                     url_len(url), url);
        goto out;
    }
    *out = j;
out:
    if (b.buf != NULL) {
        memset(b.buf, 0, b.len);
        free(b.buf);
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return rc;
}

int oidc_http_get_json(const char *url, json_t **out, struct kn_error *err)
{
    return request(url, NULL, NULL, out, err);
}

int oidc_http_post_form(const char *url, const char *body, const char *basic, json_t **out,
                        struct kn_error *err)
{
    return request(url, body, basic, out, err);
}

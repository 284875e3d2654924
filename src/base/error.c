/* src/base/error.c: filling struct kn_error. See error.h. */
#include "base/error.h"

#include <stdio.h>
#include <string.h>

int kn_vfail(struct kn_error *err, int code, const char *fmt, va_list ap)
{
    if (err == NULL)
        return code;
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return code;
}

int kn_fail(struct kn_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kn_vfail(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int kn_error_prefix(struct kn_error *err, const char *fmt, ...)
{
    char head[KN_ERROR_MAX];
    char old[KN_ERROR_MAX];
    va_list ap;

    if (err == NULL)
        return KN_EINPUT;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t hlen = strlen(head);
    size_t olen = strlen(old);
    if (hlen >= sizeof err->msg)
        hlen = sizeof err->msg - 1;
    if (olen > sizeof err->msg - 1 - hlen)
        olen = sizeof err->msg - 1 - hlen;
    memcpy(err->msg, head, hlen);
    memcpy(err->msg + hlen, old, olen);
    err->msg[hlen + olen] = '\0';
    return err->code;
}

void kn_error_clear(struct kn_error *err)
{
    if (err == NULL)
        return;
    err->code = 0;
    err->msg[0] = '\0';
}

const char *kn_code_name(int code)
{
    switch (code) {
    case KN_OK: return "ok";
    case KN_EINPUT: return "invalid input";
    case KN_ENOMEM: return "out of memory";
    case KN_EIO: return "input/output error";
    case KN_ESTORE: return "store error";
    case KN_ENOTFOUND: return "not found";
    case KN_EEXIST: return "already exists";
    case KN_EPERM: return "permission problem";
    case KN_EVERSION: return "version mismatch";
    }
    return "unknown error";
}

/* src/web/web_server.h: the portal's HTTP server (libmicrohttpd).
 *
 * web_server_start() listens on ADDR:PORT (IPv4, or [IPv6]; port 0 picks
 * a free one, see web_server_port()) with libmicrohttpd's internal
 * polling (epoll where the kernel has it) on a pool of cfg->web_threads
 * threads. Each request gets an arena, is answered by web_dispatch(), and
 * leaves one access-log line (method, path, the NAMES of its query
 * arguments but never their values, status, bytes, milliseconds). Limits:
 * a request whose URL and headers or whose body exceed
 * cfg->web_max_request bytes gets 431 / 413; idle connections close after
 * cfg->web_timeout_s. Every answer carries the security headers
 * (Content-Security-Policy without inline script or style,
 * frame-ancestors 'none', X-Content-Type-Options, Referrer-Policy,
 * X-Frame-Options, Cross-Origin-Opener-Policy).
 *
 * web_server_stop() stops accepting, finishes the requests in progress
 * and frees the server (the caller stops the results thread after it).
 */
#ifndef KNOD_WEB_WEB_SERVER_H
#define KNOD_WEB_WEB_SERVER_H

#include "base/error.h"
#include "web/web_req.h"

struct web_server;

/* listen: "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0". app and its
 * members must outlive the server. */
int web_server_start(struct web_server **out, const struct web_app *app, const char *listen,
                     struct kn_error *err);

/* The port listened on (useful after port 0). */
unsigned web_server_port(const struct web_server *s);

void web_server_stop(struct web_server *s);

#endif /* KNOD_WEB_WEB_SERVER_H */

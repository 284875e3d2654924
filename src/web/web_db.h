/* src/web/web_db.h: the store as the portal's request threads use it.
 *
 * A struct store serves one thread at a time (store.h), and the portal
 * answers on a pool of [web] threads. web_db gives each thread that asks
 * its own connection to the store, opened at its first use and kept for
 * the server's life (a pool thread never changes), so that no request
 * waits for another one's connection and argon2id work in one sign-in
 * holds nobody else up. SQLite's busy timeout orders the writers.
 *
 * web_db_open() opens the store once for writing at start, which applies
 * any new migration (the sessions table) and refuses a store the portal
 * cannot write: sign-in needs to write sessions and the audit log.
 * web_db_free() closes every connection; call it after the server has
 * stopped, when no request thread uses one any more.
 */
#ifndef KNOD_WEB_WEB_DB_H
#define KNOD_WEB_WEB_DB_H

#include "base/error.h"
#include "store/store.h"

struct config;
struct web_db;

/* Open for the store of cfg. KN_EPERM if it cannot be written, otherwise
 * store_open()'s errors. */
int web_db_open(struct web_db **out, const struct config *cfg, struct kn_error *err);

/* The calling thread's connection (opened now if it has none). NULL with
 * err filled if it cannot be opened. Never share it with another thread. */
struct store *web_db_store(struct web_db *db, struct kn_error *err);

/* Close every connection and free db (NULL is fine). */
void web_db_free(struct web_db *db);

#endif /* KNOD_WEB_WEB_DB_H */

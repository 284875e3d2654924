/* src/web/web_db.c: one store connection per request thread (web_db.h).
 * A thread-specific key finds the thread's connection; a list under a
 * mutex remembers them all for web_db_free(). A few threads, so a few
 * connections. */
#include "web/web_db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"

struct conn_node {
    struct store *st;
    struct conn_node *next;
};

struct web_db {
    char path[4096];
    int busy_timeout_ms;
    pthread_key_t key;
    pthread_mutex_t mu;
    struct conn_node *all;
};

int web_db_open(struct web_db **out, const struct config *cfg, struct kn_error *err)
{
    *out = NULL;
    struct web_db *db = calloc(1, sizeof *db);
    if (!db)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    snprintf(db->path, sizeof db->path, "%s", cfg->store_path);
    db->busy_timeout_ms = cfg->busy_timeout_ms;
    struct store_options opt = { 0, cfg->busy_timeout_ms };
    struct store *st = NULL;
    int rc = store_open(db->path, &opt, &st, err); /* applies new migrations */
    store_close(st);
    if (rc != 0) {
        free(db);
        return rc;
    }
    if (pthread_key_create(&db->key, NULL) != 0) {
        free(db);
        return kn_fail(err, KN_ENOMEM, "out of thread keys");
    }
    pthread_mutex_init(&db->mu, NULL);
    *out = db;
    return 0;
}

struct store *web_db_store(struct web_db *db, struct kn_error *err)
{
    struct store *st = pthread_getspecific(db->key);
    if (st)
        return st;
    struct conn_node *n = calloc(1, sizeof *n);
    if (!n) {
        kn_fail(err, KN_ENOMEM, "out of memory");
        return NULL;
    }
    struct store_options opt = { 0, db->busy_timeout_ms };
    if (store_open(db->path, &opt, &n->st, err) != 0) {
        free(n);
        return NULL;
    }
    pthread_setspecific(db->key, n->st);
    pthread_mutex_lock(&db->mu);
    n->next = db->all;
    db->all = n;
    pthread_mutex_unlock(&db->mu);
    return n->st;
}

void web_db_free(struct web_db *db)
{
    if (!db)
        return;
    for (struct conn_node *n = db->all, *next; n; n = next) {
        next = n->next;
        store_close(n->st);
        free(n);
    }
    pthread_key_delete(db->key);
    pthread_mutex_destroy(&db->mu);
    free(db);
}

/* src/store/store_ckpt.c: checkpoints on a thread of their own. See
 * store_ckpt.h. */
#include "store/store_ckpt.h"
#include "store/store_impl.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct store_ckpt {
    struct store *writer;
    struct store *conn; /* the thread's own */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned kicks;     /* asked for */
    bool stop;
    int rc;             /* first failure */
    struct kn_error err;
};

static void *run(void *arg)
{
    struct store_ckpt *c = arg;
    unsigned done = 0;
    /* The copying can wait; the writer and its reader should not wait for
     * it (Linux: nice applies to this thread alone). */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (c->kicks == done && !c->stop)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->kicks == done) /* stop, nothing left to do */
            break;
        done = c->kicks; /* one checkpoint covers every commit before it */
        pthread_mutex_unlock(&c->mu);
        struct kn_error err = KN_ERROR_INIT;
        int rc = store_checkpoint(c->conn, &err);
        pthread_mutex_lock(&c->mu);
        if (rc != 0 && c->rc == 0) {
            c->rc = rc;
            c->err = err;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

int store_ckpt_start(struct store *writer, struct store_ckpt **out, struct kn_error *err)
{
    *out = NULL;
    struct store_ckpt *c = calloc(1, sizeof *c);
    if (c == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    c->writer = writer;
    /* The backend's own open: no migrations, which would take the write
     * lock the writer may hold. */
    struct store_options opt = { 0, 0 };
    int rc = store_sqlite_open(store_path(writer), &opt, &c->conn, err);
    if (rc != 0) {
        free(c);
        return rc;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        rc = kn_fail(err, KN_ENOMEM, "cannot start the checkpoint thread");
    } else {
        rc = store_autocheckpoint(writer, false, err);
        if (rc != 0) {
            c->stop = true;
            pthread_join(c->thread, NULL);
        }
    }
    if (rc != 0) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        store_close(c->conn);
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void store_ckpt_kick(struct store_ckpt *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->mu);
    c->kicks++;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

int store_ckpt_stop(struct store_ckpt *c, struct kn_error *err)
{
    if (c == NULL)
        return 0;
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    int rc = c->rc;
    if (rc != 0 && err != NULL)
        *err = c->err;
    struct kn_error e2 = KN_ERROR_INIT;
    int rc2 = store_checkpoint(c->writer, &e2);
    if (rc2 == 0)
        rc2 = store_autocheckpoint(c->writer, true, &e2);
    if (rc == 0 && rc2 != 0) {
        rc = rc2;
        if (err != NULL)
            *err = e2;
    }
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    store_close(c->conn);
    free(c);
    return rc;
}

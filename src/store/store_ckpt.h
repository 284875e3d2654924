/* src/store/store_ckpt.h: checkpoints on a thread of their own.
 *
 * A writer that commits several large transactions in a row (an import of
 * a folder, one transaction per file) would otherwise copy each one from
 * the write-ahead log into the database file inside its commit, while it
 * could already be reading the next file. store_ckpt_start() turns the
 * writer's own checkpoints off and starts a thread with a second
 * connection; store_ckpt_kick() after a commit has that thread copy what
 * is committed so far while the writer goes on; store_ckpt_stop() waits for
 * the thread, copies the rest on the writer's connection and turns its
 * checkpoints on again.
 *
 * Checkpoints never lose data: what is committed is in the log until
 * copied, and SQLite reads it from there. So, as SQLite does with its own
 * automatic checkpoints, a failed checkpoint is not an error of the
 * writer's work; store_ckpt_stop() says whether all went well.
 */
#ifndef KNOD_STORE_STORE_CKPT_H
#define KNOD_STORE_STORE_CKPT_H

#include "base/error.h"
#include "store/store.h"

struct store_ckpt;

/* Start checkpointing for writer, which must stay open until
 * store_ckpt_stop(). On failure (*out NULL) the writer keeps checkpointing
 * itself. */
int store_ckpt_start(struct store *writer, struct store_ckpt **out, struct kn_error *err);

/* A transaction was committed: copy it in the background. Accepts NULL. */
void store_ckpt_kick(struct store_ckpt *c);

/* Wait for the thread, checkpoint the rest on the writer (outside a
 * transaction) and free c. 0, or the first checkpoint error. Accepts NULL. */
int store_ckpt_stop(struct store_ckpt *c, struct kn_error *err);

#endif /* KNOD_STORE_STORE_CKPT_H */

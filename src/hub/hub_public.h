/* src/hub/hub_public.h: the knowledge hub as the public sees it.
 *
 * The portal shows only what has been decided and published: for each
 * document that is not archived, its published versions (hub_version's
 * `published` set), never a draft or a version under review or revision.
 * A document in revision keeps showing its last published version until
 * the next one is published. These are the only reads the public pages
 * make, so that what they may show is decided here, in one place.
 *
 * Sizes: tens to a few hundred documents, a few versions each; lists are
 * read whole into the caller's arena.
 */
#ifndef KNOD_HUB_HUB_PUBLIC_H
#define KNOD_HUB_HUB_PUBLIC_H

#include <stddef.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "hub/hub.h"
#include "store/store.h"

/* Every document with a published version that is not archived, each as
 * its newest published version, by title. Strings live in a. */
int hub_public_list(struct store *st, struct hub_version **out, size_t *n, struct arena *a,
                    struct kn_error *err);

/* The published versions of slug, newest first (at least one), or
 * KN_ENOTFOUND when it has none or is archived (the message names the
 * slug, which is the caller's own input). */
int hub_public_versions(struct store *st, const char *slug, struct hub_version **out,
                        size_t *n, struct arena *a, struct kn_error *err);

#endif /* KNOD_HUB_HUB_PUBLIC_H */

/* src/hub/hub_outline.h: a document's headings, links and images, read
 * with the same CommonMark parser that renders it (cmark-gfm).
 *
 * Headings carry the anchor a section is known by (reviewers comment per
 * section, the 1177 package checks that levels do not skip, pages link to
 * sections): GitHub's rule, lower case, every character that is not a
 * letter, a digit, a space, '-' or '_' dropped, spaces made '-', and a
 * repeated anchor given "-1", "-2", ... ("## Vad är självskada?" ->
 * "vad-är-självskada"). Letters are ASCII and anything outside ASCII
 * (å, ä, ö stay); the Latin-1 capitals (Å, Ä, Ö, É) are lowered like the
 * ASCII ones.
 *
 * Links and images are listed with their URL and text (an image's text is
 * its alt text), with the line of the block they stand in. Strings live in
 * the caller's arena.
 */
#ifndef KNOD_HUB_HUB_OUTLINE_H
#define KNOD_HUB_HUB_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/error.h"

struct hub_heading {
    int level; /* 1-6 */
    int line;  /* from 1, in the Markdown given */
    const char *text, *anchor;
};

struct hub_link {
    bool image;
    int line;
    const char *url, *text; /* text: the link text, or an image's alt text */
};

struct hub_outline {
    struct hub_heading *headings;
    size_t nheadings;
    struct hub_link *links;
    size_t nlinks;
};

/* The outline of markdown[0..len). 0 or KN_ENOMEM. */
int hub_outline(const char *markdown, size_t len, struct hub_outline *out,
                struct arena *a, struct kn_error *err);

/* The heading whose anchor is anchor, or NULL. */
const struct hub_heading *hub_outline_find(const struct hub_outline *o, const char *anchor);

#endif /* KNOD_HUB_HUB_OUTLINE_H */

/* tests/fuzz/fuzz_hub_doc.c: fuzz target for a knowledge-support document
 * as an author posts it: the front matter (src/hub/hub_doc.c), the
 * outline of its Markdown (hub_outline.c) and the HTML it renders to
 * (hub_render.c).
 *
 * A refused document gets KN_EINPUT with a message that begins with the
 * file's name and a line ("doc.md:4: ...") and never shows anything shaped
 * like a personnummer. A parsed one has a slug of a-z, 0-9 and '-', a
 * language sv or en, and no personnummer-shaped text in its title, summary
 * or owner; its outline has headings of levels 1 to 6 with lines inside
 * the body; its HTML has no script, iframe or style tag and no link to a
 * javascript: URL, whatever the Markdown holds.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "domain/pnr_shape.h"
#include "fuzz.h"
#include "hub/hub_doc.h"
#include "hub/hub_outline.h"
#include "hub/hub_render.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_hub_doc: %s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #x);                                                       \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static bool shaped(const char *s)
{
    return s && pnr_find_shaped(s, strlen(s), NULL, NULL);
}

/* Does s hold needle, ignoring case? */
static bool has_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, n) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_doc d;
    int rc = hub_doc_parse((const char *)data, size, "doc.md", &d, &a, &err);
    if (rc != 0) {
        CHECK(rc == KN_EINPUT || rc == KN_ENOMEM);
        CHECK(strncmp(err.msg, "doc.md:", 7) == 0 && isdigit((unsigned char)err.msg[7]));
        CHECK(!shaped(err.msg));
        arena_release(&a);
        return 0;
    }
    CHECK(d.slug && d.slug[0] != '\0');
    for (const char *p = d.slug; *p; p++)
        CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
    CHECK(strcmp(d.language, "sv") == 0 || strcmp(d.language, "en") == 0);
    CHECK(!shaped(d.title) && !shaped(d.summary) && !shaped(d.owner));
    CHECK(d.body != NULL && d.body_line >= 1);

    size_t blen = strlen(d.body);
    struct hub_outline o;
    CHECK(hub_outline(d.body, blen, &o, &a, &err) == 0);
    for (size_t i = 0; i < o.nheadings; i++) {
        CHECK(o.headings[i].level >= 1 && o.headings[i].level <= 6);
        CHECK(o.headings[i].line >= 1 && o.headings[i].anchor != NULL);
    }
    for (size_t i = 0; i < o.nlinks; i++)
        CHECK(o.links[i].url != NULL && o.links[i].line >= 1);

    struct strbuf html = STRBUF_INIT;
    CHECK(hub_render_html(d.body, blen, &html, &err) == 0);
    CHECK(!has_ci(html.buf, "<script") && !has_ci(html.buf, "<iframe") &&
          !has_ci(html.buf, "<style") && !has_ci(html.buf, "href=\"javascript:"));
    sb_release(&html);
    arena_release(&a);
    return 0;
}

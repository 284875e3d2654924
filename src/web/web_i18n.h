/* src/web/web_i18n.h: the portal's message catalogue, Swedish and English.
 *
 * Every word the portal shows comes from the catalogue files data/i18n/{name}.csv
 * (embedded; one file per area of the portal: messages.csv for the public
 * portal, others for sign-in, the hub, the network), one message a line:
 * key,sv,en. A key given in two files fails the load like a key given
 * twice in one. Keys are letters, digits and '_'. A key
 * missing in either language, an empty text or a key given twice fails
 * the load, naming the line: the portal never falls back to the other
 * language or to a key. Templates read the messages as {{t.KEY}}: the
 * renderer gets the table of the request's language as "t".
 *
 * The language of a request: ?lang=sv|en, else the `lang` cookie (set by
 * the switch link), else the first of sv/en in Accept-Language by
 * quality, else Swedish. Read-only after load; thread-safe.
 */
#ifndef KNOD_WEB_WEB_I18N_H
#define KNOD_WEB_WEB_I18N_H

#include <jansson.h>
#include <stdbool.h>

#include "base/error.h"

enum web_lang { WEB_SV = 0, WEB_EN = 1 };

struct web_i18n;

/* Parse a catalogue (the len bytes at text, called name in messages). */
int web_i18n_parse(struct web_i18n **out, const char *name, const char *text, size_t len,
                   struct kn_error *err);

/* Every embedded data/i18n/{name}.csv, merged into one catalogue. */
int web_i18n_load_embedded(struct web_i18n **out, struct kn_error *err);

void web_i18n_free(struct web_i18n *c);

/* The messages of one language as a JSON object key -> text (owned by c). */
const json_t *web_i18n_table(const struct web_i18n *c, enum web_lang lang);

/* The text of key, or NULL if the catalogue has no such key. */
const char *web_i18n_get(const struct web_i18n *c, enum web_lang lang, const char *key);

/* "sv" or "en". */
const char *web_lang_code(enum web_lang lang);

/* Parse "sv" or "en" (exactly); false for anything else. */
bool web_lang_parse(const char *s, enum web_lang *out);

/* The language of a request from its ?lang= value, lang cookie and
 * Accept-Language header (each may be NULL; bad values are ignored). */
enum web_lang web_lang_pick(const char *query, const char *cookie, const char *accept);

#endif /* KNOD_WEB_WEB_I18N_H */

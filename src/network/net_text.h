/* src/network/net_text.h: the checks every network object makes on its
 * fields.
 *
 * The network's objects (nodes, groups, members, units, trainings,
 * surveys, activities) take short texts, codes from a fixed list, region
 * codes, dates and counts from the command line or a file. Each check here
 * names the field (as the caller spells it: "--name", "answers.csv:4:
 * q2") in its KN_EINPUT message and never repeats a text that holds a
 * personnummer-shaped number (domain/pnr_shape.h): free text is screened
 * and refused, since the network keeps no person-level data.
 *
 * Nothing here allocates; all functions are pure but for net_region_check,
 * which reads the store's region table.
 */
#ifndef KNOD_NETWORK_NET_TEXT_H
#define KNOD_NETWORK_NET_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "store/store.h"

#define NET_TEXT_MAX 200  /* one-line texts: names, titles, themes */
#define NET_LONG_MAX 4000 /* several lines: goals, descriptions, answers */

/* Check text v of field: required (NULL or "" refused) or not (NULL and ""
 * pass), at most max bytes, valid UTF-8, no control characters (newline
 * and tab allowed when multiline), nothing shaped like a personnummer. */
int net_text_check(const char *field, const char *v, size_t max, bool required,
                   bool multiline, struct kn_error *err);

/* v is one of allowed (NULL-terminated); the message lists them. A NULL v
 * is "missing". */
int net_enum_check(const char *field, const char *v, const char *const *allowed,
                   struct kn_error *err);

/* Every comma-separated item of list v is one of allowed, none twice, at
 * least one (an empty v is refused when required, passes otherwise). */
int net_list_check(const char *field, const char *v, const char *const *allowed,
                   bool required, struct kn_error *err);

/* Whether a list holds an item: text_list_has() (base/text.h). */

/* v is a whole number in [lo, hi]; *out gets it. */
int net_int_parse(const char *field, const char *v, long lo, long hi, long *out,
                  struct kn_error *err);

/* v is a region code known to the store ("01" .. "25"). */
int net_region_check(struct store *st, const char *field, const char *v,
                     struct kn_error *err);

#endif /* KNOD_NETWORK_NET_TEXT_H */

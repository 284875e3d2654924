/* src/web/network/web_net_form.h: the one form layer of the network's
 * editing pages (issue 15): nodes, groups, members, trainings and their
 * participants (web_net_edit.h), units (web_net_unit_edit.c), activities,
 * their funding and events (web_net_pedit.h), and the forms added on it
 * since.
 *
 * A form is a command's options: every field is named as the option
 * without "--" ("name", "healthcare-region", ...) and posts the value the
 * command takes, the POST calls the same function of src/network as the
 * command, and that function's error names its option ("--share: ..."),
 * which names the form's field. A refused form comes back in the GOV.UK
 * error pattern (a summary linking the fields, each error at its field)
 * with the values posted, anything shaped like a personnummer masked. The
 * change and its audit entry are one transaction (ne_store). Every form
 * renders through the one template network_edit_form.html.
 *
 * Words: a form's messages have a prefix, keys ("ne" unless set): the
 * label of field NAME is "<keys>_f_NAME", its hint "<keys>_h_NAME" (or
 * "<keys>_h_<form>_NAME" when the form has a name), '-' as '_'. A refusal
 * of the library is "label: the library's reason", or with worded set the
 * portal's own words: "<keys>_e_<form>_NAME" if there is such a message,
 * else "<keys>_e_NAME"; "<keys>_e_pnr" when the value holds something
 * shaped like a personnummer; "<keys>_e_other" when the message names no
 * field of the form.
 */
#ifndef KNOD_WEB_NETWORK_WEB_NET_FORM_H
#define KNOD_WEB_NETWORK_WEB_NET_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "web/web_req.h"

/* How a field is shown:
 *   NE_TEXT, NE_AREA   a line, a box of lines;
 *   NE_SELECT          one of choices;
 *   NE_REGION          a select of the regions: every region for an
 *                      administrator, else those in the user's scope; the
 *                      value is the region's code;
 *   NE_CHECKS          a group of boxes, one per choice, posted as
 *                      "NAME.CHOICE" and read as a comma list of choices;
 *   NE_CHECK           one box: "1" when ticked, else "";
 *   NE_YESNO           a select of "yes" and "no" (words net_yes, net_no);
 *   NE_FILE            a file (the form is multipart; not read by ne_read). */
enum ne_kind {
    NE_TEXT,
    NE_AREA,
    NE_SELECT,
    NE_CHECKS,
    NE_FILE,
    NE_CHECK,
    NE_REGION,
    NE_YESNO
};

/* One field: its option name (without "--"), how it is shown, for a select
 * or boxes its choices (NULL-terminated), and whether it is required. */
struct ne_field {
    const char *name;
    enum ne_kind kind;
    const char *const *choices;
    bool required;
};

#define NE_MAX 20

/* A form's state: its fields, values ("" none) and errors, and how it is
 * shown. */
struct ne_form {
    const struct ne_field *fields;
    size_t n;
    const char *v[NE_MAX];
    const char *e[NE_MAX];
    json_t *summary; /* [{field, text}] */
    const char *action, *heading, *intro, *submit, *back;
    const char *keys;         /* the messages' prefix; NULL: "ne" */
    const char *choice_words; /* a choice's words are the message
                               * "<choice_words>CHOICE" ('-' as '_') if there
                               * is one; NULL or none: the choice itself */
    const char *form;         /* the form's name in hint and error keys, or NULL */
    bool worded;              /* refusals in the portal's words (above) */
    const char *hint[NE_MAX]; /* a field's hint instead of its message, or NULL */
    /* For choices that are numbers or codes (a training's number, a unit's
     * code): the words shown for field i's choices[j] are labels[i][j]
     * (a title, a name); NULL: the choice itself or its message
     * (choice_words). The value posted stays the choice. */
    const char *const *labels[NE_MAX];
    const char *heading_id;   /* an id shown after the heading, or NULL */
    const char *back_text;    /* the back link's words; NULL: "<keys>_back" */
    json_t *table;            /* a table shown above the form (borrowed), or
                               * NULL: {caption, cols: [text], rows: [{th,
                               * td: [text]}]} */
};

/* fm with fields f[0..n) and every value "". */
void ne_init(struct ne_form *fm, const struct ne_field *f, size_t n);

/* The posted values into fm->v (a group of boxes as a comma list). */
void ne_read(struct web_req *rq, struct ne_form *fm);

/* The value of field name as the library takes it: NULL when empty. */
const char *ne_get(const struct ne_form *fm, const char *name);

/* The index of field name, or -1. */
int ne_field(const struct ne_form *fm, const char *name);

/* An error at field name (the first one if there is no such field): at
 * the field and in the summary. The first error of a field stays. */
void ne_error(struct web_req *rq, struct ne_form *fm, const char *name, const char *text);

/* The message of fm's words with prefix kind ("f_", "h_", "e_", ...) and
 * name: "<keys>_<kind><name>", '-' as '_'. */
const char *ne_words(struct web_req *rq, const struct ne_form *fm, const char *kind,
                     const char *name);

/* A refusal of the library (KN_EINPUT, KN_EEXIST, KN_ENOTFOUND of a named
 * option): the field its message names ("--share: ..." is field share),
 * the error as the header says (worded or "label: reason"). */
void ne_refused(struct web_req *rq, struct ne_form *fm, const char *msg);

/* Run fn(st, arg, err) and rq's audit entry (action, *subject and *detail
 * as they are once fn has run) in one transaction. 0 when stored; 1 when
 * refused (fm has errors already; fn refused: its message goes to its
 * field by ne_refused; or fn set errors in fm itself and returned 0:
 * nothing stored); 500 on another failure. */
struct store;
struct kn_error;
int ne_store_in(struct web_req *rq, struct ne_form *fm,
                int (*fn)(struct store *, void *, struct kn_error *), void *arg,
                const char *action, const char *const *subject,
                const char *const *detail);

/* ne_store_in with a detail known before fn runs. */
int ne_store(struct web_req *rq, struct ne_form *fm,
             int (*fn)(struct store *, void *, struct kn_error *), void *arg,
             const char *action, const char *const *subject, const char *detail);

/* The fields given (not empty) as "--a, --b": an audit entry's detail. */
const char *ne_given(struct web_req *rq, const struct ne_form *fm);

/* rq's model: the form (template network_edit_form). Returns the
 * status. */
int ne_render(struct web_req *rq, struct ne_form *fm);

/* The answer to a posted form once ne_store (or the like) returned rc:
 * the form again with its errors (1), 500 (another failure), or 303 to
 * location (0: stored). Releases fm's summary either way. */
int ne_done(struct web_req *rq, struct ne_form *fm, int rc, const char *location);

/* A change form's values from the stored row: field i from row's key
 * keys[i] (an absent or null key an empty field), for the first n fields. */
void ne_fill(struct web_req *rq, struct ne_form *fm, const json_t *row,
             const char *const *keys, size_t n);

/* Is a day field given and valid (YYYY-MM-DD)? *out gets it; an empty
 * field gives dflt; a bad one sets the field's error and returns false. */
bool ne_day(struct web_req *rq, struct ne_form *fm, const char *name, kn_day dflt,
            kn_day *out);

/* A table to show above a form (fm->table; a new object, or NULL on
 * failure): caption, the columns' headings (the messages cols, NULL-
 * terminated) and t's rows, each row's first cell its heading. */
struct net_rows;
json_t *ne_table(struct web_req *rq, const char *caption, const char *const *cols,
                 const struct net_rows *t);

/* The path's {id} as a positive number, or 0 when it is none. */
int64_t ne_id(struct web_req *rq);

#endif /* KNOD_WEB_NETWORK_WEB_NET_FORM_H */

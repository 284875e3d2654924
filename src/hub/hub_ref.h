/* src/hub/hub_ref.h: a reference of the evidence register, and its two
 * exchange formats, RIS and CSL-JSON.
 *
 * A reference is a piece of national or international literature: its
 * bibliographic facts, the type of study, the evidence grade, a summary in
 * Swedish, its topics and whether it is public (docs/hub-references.md).
 * Zotero and EndNote libraries come in and go out as RIS (a tag-line
 * format: "TY  - JOUR" ... "ER  - ") or CSL-JSON (an array of CSL items,
 * the citation processors' format); both parsers are written for knod,
 * RIS by hand and CSL-JSON over jansson. The knod fields that neither
 * format has travel in RIS's custom fields C1 (type of study), C2
 * (evidence grade) and C3 ("public" or "internal"), and in CSL-JSON's
 * "custom" object (study_type, evidence_grade, public).
 *
 * Every reference a parser gives is checked (hub_ref_check): a title, known
 * codes, a normalised DOI, a PubMed id of digits, valid UTF-8 text within
 * its limits and nothing shaped like a personnummer. A bad file is refused
 * as a whole with the file, the line (RIS) or the JSON path (CSL-JSON) and
 * the field, and the offending text is never echoed. Libraries hold tens
 * to a few thousand references; a file is read whole (HUB_REF_FILE_MAX).
 *
 * Everything a parser gives lives in the caller's arena.
 */
#ifndef KNOD_HUB_HUB_REF_H
#define KNOD_HUB_HUB_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/strbuf.h"

#define HUB_REF_FILE_MAX (32u << 20) /* bytes of one RIS or CSL-JSON file */
#define HUB_REF_TITLE_MAX 1000
#define HUB_REF_SUMMARY_MAX 8000
#define HUB_REF_FIELD_MAX 500 /* authors, journal, URL, ... each */
#define HUB_REF_TOPIC_MAX 100
#define HUB_REF_LIST_MAX 1000 /* authors or topics of one reference */

/* The codes (NULL-terminated). Publication types: article, report, book,
 * chapter, web, other. Types of study: systematic-review, meta-analysis,
 * rct, cohort, case-control, cross-sectional, qualitative, case-series,
 * guideline, expert-opinion, other. Evidence grades (GRADE, as SBU grades):
 * high, moderate, low, very-low. */
extern const char *const HUB_REF_PUB_TYPES[];
extern const char *const HUB_REF_STUDY_TYPES[];
extern const char *const HUB_REF_GRADES[];

struct hub_ref {
    int64_t id;             /* the store's number, 0 before it is stored */
    const char *pub_type;   /* HUB_REF_PUB_TYPES */
    const char *title;      /* required */
    const char **authors;   /* "Family, Given" or a name as written */
    size_t nauthors;
    int year;               /* 0: not known */
    const char *journal;    /* journal, or the book of a chapter; NULL: none */
    const char *volume, *issue, *pages; /* NULL: none */
    const char *doi;        /* normalised (hub_ref_doi); NULL: none */
    const char *pmid;       /* digits; NULL: none */
    const char *url;        /* NULL: none */
    const char *study_type; /* HUB_REF_STUDY_TYPES; NULL: not stated */
    const char *grade;      /* HUB_REF_GRADES; NULL: not graded */
    const char *summary;    /* in Swedish; NULL: none yet */
    const char **topics;    /* free words, no commas */
    size_t ntopics;
    bool is_public;
    int line; /* where it was read: RIS line of TY, CSL-JSON index; 0 if stored */
};

struct hub_ref_set {
    struct hub_ref *refs;
    size_t n, cap;
};

/* The DOI in s[0..len) normalised into out (cap bytes): surrounding space
 * and a resolver prefix ("https://doi.org/", "http://dx.doi.org/",
 * "doi:") dropped, ASCII lower-cased (DOIs are case-insensitive). It must
 * then start "10.", have a '/' after a registrant of digits and dots, a
 * suffix of printable ASCII without spaces, and fit. 0 or KN_EINPUT. */
int hub_ref_doi(const char *s, size_t len, char *out, size_t cap);

/* Check one line (multiline: newlines and tabs allowed) of text v for
 * field: at most max bytes, UTF-8, no control characters, nothing shaped
 * like a personnummer. NULL passes. KN_EINPUT naming field, never
 * echoing v. */
int hub_ref_text_check(const char *field, const char *v, size_t max, bool multiline,
                       struct kn_error *err);

/* Check r as a whole (above); the message names the field (RIS tag names
 * are the caller's prefix). */
int hub_ref_check(const struct hub_ref *r, struct kn_error *err);

/* Parse a RIS file (text[0..len), name file for messages) and append its
 * references to *out (zeroed by the caller). KN_EINPUT with
 * "file:LINE: TAG: ..." on the first fault; *out is then incomplete. Tags
 * knod does not keep are skipped; a line that is not a tag line continues
 * the field before it. */
int hub_ris_parse(const char *text, size_t len, const char *file, struct hub_ref_set *out,
                  struct arena *a, struct kn_error *err);

/* Parse a CSL-JSON file (an array of items) likewise; KN_EINPUT with
 * "file: [3].DOI: ..." (or the line and column of bad JSON). */
int hub_csl_parse(const char *text, size_t len, const char *file, struct hub_ref_set *out,
                  struct arena *a, struct kn_error *err);

/* Write refs[0..n) as RIS (CRLF lines, as the format asks) or as a
 * CSL-JSON array to out. 0 or KN_ENOMEM. */
int hub_ris_write(const struct hub_ref *refs, size_t n, struct strbuf *out);
int hub_csl_write(const struct hub_ref *refs, size_t n, struct strbuf *out);

/* Room for one more reference in set (zeroed), or NULL if out of memory. */
struct hub_ref *hub_ref_push(struct hub_ref_set *set, struct arena *a);

/* Append s (copied) to the list *v of *n strings (at most HUB_REF_LIST_MAX).
 * 0, KN_EINPUT if the list is full, or KN_ENOMEM. */
int hub_ref_list_add(const char ***v, size_t *n, const char *s, size_t len,
                     struct arena *a);

#endif /* KNOD_HUB_HUB_REF_H */

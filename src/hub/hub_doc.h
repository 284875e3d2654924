/* src/hub/hub_doc.h: a knowledge-support document as written: Markdown
 * with a front matter.
 *
 * The front matter is a block between two lines of "---" at the very top,
 * one "key: value" a line (a small, strict subset of YAML: no nesting, no
 * quotes needed, lists comma-separated):
 *
 *   ---
 *   id: bemotande-akut              (a slug: a-z, 0-9, '-'; stable forever)
 *   title: Bemötande vid självskada
 *   summary: One or two sentences.
 *   audience: patients, relatives   (codes, see hub_audiences)
 *   topics: bemötande, akutpsykiatri
 *   language: sv                    (sv or en)
 *   owner: Nationella arbetsgruppen
 *   status: draft                   (draft, or published for material
 *                                    already decided elsewhere)
 *   decided: 2025-06-01             (with status: published, required)
 *   references: 10.1002/14651858.cd013667.pub2, 4
 *                                   (the evidence register's references,
 *                                    by DOI or number; hub_ref_store.h)
 *   practices: 2, 5                 (local practices by number;
 *                                    hub_practice.h)
 *   indicators: self-harm-readmission-30d
 *                                   (ids of the indicator catalogue)
 *   steps: assessment, followup     (step codes of data/pathways)
 *   ---
 *   # Markdown body ...
 *
 * hub_doc_parse() checks every key and value; an error names the file,
 * the line and the key ("bemotande.md:4: 'audience': unknown code
 * 'teachers' (patients, relatives, ...)"). Unknown keys are errors too, so
 * a misspelt key is never silently dropped. Text values are screened for
 * personnummer-shaped strings and refused without echoing them. Strings
 * point into the arena.
 */
#ifndef KNOD_HUB_HUB_DOC_H
#define KNOD_HUB_HUB_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"

struct hub_doc {
    const char *slug;
    const char *title;
    const char *summary;
    const char *audience; /* normalised: "patients,relatives" */
    const char *topics;   /* normalised: "bemötande,akutpsykiatri" */
    const char *language; /* "sv" or "en" */
    const char *owner;
    const char *references; /* normalised: "10.1/x,4"; "" if none */
    const char *practices;  /* normalised practice numbers: "2,5"; "" if none */
    const char *indicators; /* normalised: "id1,id2"; "" if none */
    const char *steps;      /* normalised step codes: "a,b"; "" if none */
    int indicators_line, steps_line; /* lines of those keys, 0 if absent */
    int references_line, practices_line;
    bool published;   /* status: published */
    kn_day decided;   /* with published */
    const char *body; /* the Markdown after the front matter */
    int body_line;    /* the line of the file the body starts at */
};

/* The audience codes and their Swedish and English names, NULL-ended. */
struct hub_audience {
    const char *code, *sv, *en;
};
extern const struct hub_audience hub_audiences[];

/* Parse text[0..len) (named name in messages) into *d. 0 or KN_EINPUT. */
int hub_doc_parse(const char *text, size_t len, const char *name, struct hub_doc *d,
                  struct arena *a, struct kn_error *err);

/* 1 if s holds anything shaped like a personnummer or samordningsnummer
 * (domain/pnr_shape.h, knod's one scanner), else 0. */
int hub_pnr_shaped(const char *s);

struct ind_catalogue;
struct hub_pathways;

/* Check d's indicators against the catalogue cat and its steps against
 * the pathways ps (a step code of any pathway). 0, or KN_EINPUT
 * "NAME:LINE: 'indicators': unknown indicator 'x' (knod indicators)"
 * (src/hub/hub_doc_links.c). */
int hub_doc_check_links(const struct hub_doc *d, const char *name,
                        const struct ind_catalogue *cat, const struct hub_pathways *ps,
                        struct kn_error *err);

#endif /* KNOD_HUB_HUB_DOC_H */

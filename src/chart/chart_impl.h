/* src/chart/chart_impl.h: what the chart files share (not an API).
 *
 * A chart starts with chart_begin() (the <svg> element, its title, desc
 * and the hatch pattern for gaps) and ends with chart_end(). Model access
 * goes through chart_str()/chart_num()/chart_arr(), which name the key in
 * the error; scales, ticks, colours and the significance marks are here so
 * that every chart draws them alike.
 */
#ifndef KNOD_CHART_CHART_IMPL_H
#define KNOD_CHART_CHART_IMPL_H

#include <stdbool.h>

#include <jansson.h>

#include "base/error.h"
#include "chart/chart.h"
#include "chart/svg.h"

#define CHART_W 640.0
#define CHART_FONT "system-ui, sans-serif"
#define CHART_MAX_TICKS 12

enum chart_sig { SIG_NONE, SIG_BETTER, SIG_SIMILAR, SIG_WORSE, SIG_SUPPRESSED };

struct chart {
    struct svg w;
    struct kn_error *err;
    const json_t *m;
    char id[48];        /* element id prefix */
    char hatch[64];     /* "url(#<id>-hatch)" */
    bool comma;         /* decimal comma */
    double width;       /* the drawing's width: CHART_W unless opened wider */
};

/* A linear scale from [d0, d1] to [r0, r1]. */
struct chart_scale {
    double d0, d1, r0, r1;
};

/* Open the chart: reads "id", "title", "desc", "decimal_comma" of m. */
int chart_begin(struct chart *c, const json_t *m, double height, struct kn_error *err);
/* The same, for a drawing width units wide (a heat map of many columns). */
int chart_begin_wide(struct chart *c, const json_t *m, double width, double height,
                     struct kn_error *err);
/* Close it; the writer's first error or 0. */
int chart_end(struct chart *c);

/* Model access; `what` names the value in messages ("bars[3].value").
 * chart_str: a string (required: error if missing; else "" when missing).
 * chart_num: *ok false for null or missing (a gap); error if not a number.
 * chart_arr: an array (error if missing and required; NULL if absent). */
int chart_str(struct chart *c, const json_t *o, const char *key, bool required,
              const char **out);
int chart_num(struct chart *c, const json_t *o, const char *key, double *out, bool *ok);
int chart_arr(struct chart *c, const json_t *o, const char *key, bool required,
              const json_t **out);
int chart_bad(struct chart *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "better" etc.; an unknown word is an error naming `where`. */
int chart_sig(struct chart *c, const json_t *o, const char *where, enum chart_sig *out);

double chart_map(const struct chart_scale *s, double v);
/* Nice ticks covering [lo, hi] (at most CHART_MAX_TICKS); widens lo/hi to
 * the outer ticks. Returns the count. */
int chart_ticks(double *lo, double *hi, int want, double ticks[CHART_MAX_TICKS]);

/* v formatted for a label (decimal comma if asked; thousands grouped by a
 * no-break space then, else by a comma), into buf. */
const char *chart_fmt(const struct chart *c, double v, char buf[32]);

/* Fill, stroke and text colour of a class. */
const char *chart_fill(enum chart_sig s);
const char *chart_stroke(enum chart_sig s);
const char *chart_ink(enum chart_sig s);

/* The shape cue of a class centred at (x, y), radius r, one shape a class
 * so that the classes are told apart without colour (in greyscale, by a
 * colour-blind reader): a triangle pointing up for BETTER, a circle for
 * SIMILAR, a triangle pointing down for WORSE, a flat dash for NONE (not
 * compared), a hatched square for SUPPRESSED. */
void chart_mark(struct chart *c, enum chart_sig s, double x, double y, double r);
/* The same shape on a shape of the significance's own colour (a tile, a
 * heat map's cell), drawn in the colour of the text on it: in
 * chart_mark's colours it would not be seen, and the shape is the cue
 * that does not depend on colour. */
void chart_mark_on(struct chart *c, enum chart_sig s, double x, double y, double r);

/* Text at (x, y) with anchor ("start", "middle", "end") and size. */
void chart_label(struct chart *c, double x, double y, const char *anchor, double size,
                 const char *text);
/* A line from (x1, y1) to (x2, y2). dash may be NULL. */
void chart_lineseg(struct chart *c, double x1, double y1, double x2, double y2,
                   const char *stroke, double width, const char *dash);
/* A rectangle. */
void chart_rect(struct chart *c, double x, double y, double w, double h, const char *fill,
                const char *stroke);

/* The legend of the significance classes that "legend" names, in one row
 * from (x, y); returns the height used (0 without a legend). */
double chart_legend(struct chart *c, double x, double y);

/* A horizontal value axis at y from scale s with its ticks and grid lines
 * reaching up to y_top. */
void chart_xaxis(struct chart *c, const struct chart_scale *s, const double *ticks, int n,
                 double y, double y_top);

#endif /* KNOD_CHART_CHART_IMPL_H */

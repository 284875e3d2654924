/* src/engine/eng_consult.c: the cube of an indicator `from consultation`,
 * filled from the snapshot's consultations instead of the pass over the
 * person timelines (eng_impl.h, eng_consult_fill). */
#include <string.h>

#include "base/workday.h"
#include "engine/eng_impl.h"

void eng_consult_fill(const struct eng_ind *e, const struct snap *s, struct eng_acc *acc)
{
    const struct ind_def *d = e->d;
    for (size_t m = 0; m < d->nmeasures; m++) {
        memset(acc->num[m], 0, e->ncells * sizeof *acc->num[m]);
        memset(acc->den[m], 0, e->ncells * sizeof *acc->den[m]);
    }
    /* the region's slot of persons without a municipality, else the
     * slot of no known region (snap.h) */
    size_t slot0 = s->geo->nmunicipalities;
    for (size_t i = 0; i < s->nconsults; i++) {
        const struct snap_consult *c = &s->consults[i];
        struct kn_ymd ymd = date_to_ymd(c->asked);
        int month = ymd.year * 12 + ymd.month - 1 - e->first_month;
        if (month < 0 || month >= e->nmonths || e->month_period[month] < 0)
            continue;
        int per = e->month_period[month];
        bool open = c->answered == SNAP_CONSULT_OPEN;
        int days = workday_count(c->asked, open ? s->consult_today : c->answered);
        size_t slot = c->region >= 0 ? slot0 + (size_t)c->region : s->nslots - 1;
        size_t cell = eng_acc_cell(e, per, e->fine_base + slot, 0, 0);
        for (size_t m = 0; m < d->nmeasures; m++) {
            int n = d->measures[m].workdays;
            if (open && days <= n)
                continue; /* may still be answered in time */
            acc->den[m][cell] += 1;
            acc->num[m][cell] += !open && days <= n;
        }
    }
}

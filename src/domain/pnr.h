/* src/domain/pnr.h: Swedish personal identity numbers.
 *
 * A personnummer (or samordningsnummer, coordination number) is parsed and
 * checked here, reduced to what knod may keep (birth date, legal sex) and
 * then handed to pseudo_derive(). The raw digits are never stored, logged,
 * shown, or copied into an error message; call pnr_wipe() when done.
 *
 * Accepted forms, after trimming surrounding ASCII whitespace:
 *   YYMMDD-NNNC  YYMMDD+NNNC  YYMMDDNNNC  YYYYMMDD-NNNC  YYYYMMDDNNNC
 * The 10-digit forms leave out the century; it is the one that puts the
 * birth date on or before the reference date `today` and the person under
 * 100 years old. '+' says the person has turned 100 (one century earlier).
 * '+' in the 12-digit form is an error, as is any other separator.
 *
 * A samordningsnummer has 60 added to the day (61..91). When the birth
 * date is not fully known, the month may be 00 and/or the day 60; then only
 * what is known is derived (birth_month or birth_day is 0).
 *
 * Rules (Skatteverket): the date must exist (29 February only in leap
 * years of the resolved century), the birth number NNN is never 000, the
 * check digit C is the Luhn digit of the ten digits YYMMDDNNN, the birth
 * date may not be after `today`. The next-to-last digit gives legal sex:
 * odd male, even female.
 */
#ifndef KNOD_DOMAIN_PNR_H
#define KNOD_DOMAIN_PNR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/date.h"
#include "base/error.h"

enum pnr_kind { PNR_PERSONNUMMER = 1, PNR_SAMORDNINGSNUMMER = 2 };
enum pnr_sex { PNR_SEX_FEMALE = 1, PNR_SEX_MALE = 2 };

struct pnr {
    char digits[13];    /* normalised YYYYMMDDNNNC + NUL; secret, see pnr_wipe() */
    enum pnr_kind kind;
    enum pnr_sex sex;
    int birth_year;
    int birth_month;    /* 1..12, or 0 if not known (samordningsnummer) */
    int birth_day;      /* 1..31 (without the +60), or 0 if not known */
};

/* Parse the len bytes at s (need not be NUL-terminated). Returns 0 and
 * fills *out, or KN_EINPUT with err saying what is wrong without repeating
 * the digits ("the check digit does not match"); *out is then wiped. */
int pnr_parse(const char *s, size_t len, kn_day today, struct pnr *out,
              struct kn_error *err);

/* True if the full birth date is known; *birth (may be NULL) gets it. */
bool pnr_birth_date(const struct pnr *p, kn_day *birth);

/* The birth date in ISO 8601 form, reduced to what is known: "1990-05-17",
 * "1990-05" or "1990". buf must hold 11 bytes. */
void pnr_format_birth(const struct pnr *p, char buf[11]);

/* "personnummer" or "samordningsnummer". */
const char *pnr_kind_name(enum pnr_kind kind);

/* "F" or "M", the legal-sex codes knod stores. */
const char *pnr_sex_code(enum pnr_sex sex);

/* Overwrite the digits (and everything else); safe on a zeroed pnr. */
void pnr_wipe(struct pnr *p);

#endif /* KNOD_DOMAIN_PNR_H */

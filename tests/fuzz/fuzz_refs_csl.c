/* tests/fuzz/fuzz_refs_csl.c: fuzz target for the CSL-JSON parser
 * (src/hub/hub_ref_csl.c, hub_csl_parse()): each input is one file named
 * "x.json", checked as tests/fuzz/fuzz_refs.h describes (errors name the
 * file; the references pass hub_ref_check(); writing is a fixed point).
 */
#include "fuzz_refs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_refs_one("fuzz_refs_csl", "x.json", hub_csl_parse, hub_csl_write, data, size);
}

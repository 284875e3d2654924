/* tests/fuzz/fuzz_refs_ris.c: fuzz target for the RIS parser
 * (src/hub/hub_ref_ris.c, hub_ris_parse()): each input is one file named
 * "x.ris", checked as tests/fuzz/fuzz_refs.h describes (errors name the
 * file; the references pass hub_ref_check(); writing is a fixed point).
 */
#include "fuzz_refs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_refs_one("fuzz_refs_ris", "x.ris", hub_ris_parse, hub_ris_write, data, size);
}

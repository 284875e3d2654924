/* src/base/hash.h: FNV-1a, a fast non-cryptographic hash of bytes.
 *
 * For in-memory tables of the program's own keys, never where someone
 * could choose colliding input to harm (pseudonyms use keyed BLAKE2b,
 * the import's contact map a keyed SipHash). Start with KN_FNV_SEED and
 * feed pieces in order; hash the result further if its low bits pick a
 * slot.
 */
#ifndef KNOD_BASE_HASH_H
#define KNOD_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define KN_FNV_SEED 0xcbf29ce484222325ull

static inline uint64_t kn_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

#endif /* KNOD_BASE_HASH_H */

/* hash.c - cs_hash64, the one hash of the caches' keys and of the modules
 * validate.c remembers; a file of its own so that what needs only the hash
 * (the fuzzers' validator) links without the caches. */
#include "cache.h"

#include <string.h>

/* splitmix64's finalizer: every input bit reaches every output bit */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

uint64_t cs_hash64(const void *bytes, size_t size, uint64_t seed)
{
    const unsigned char *p = bytes;
    uint64_t h = mix64(seed ^ (size * 0x9e3779b97f4a7c15ull));
    size_t at = 0;
    for (; at + 8 <= size; at += 8) {
        uint64_t word;
        memcpy(&word, p + at, 8);
        h = (h ^ mix64(word + at)) * 0x100000001b3ull;
        h = (h << 29) | (h >> 35);
    }
    uint64_t tail = 0;
    memcpy(&tail, p + at, size - at);
    return mix64(h ^ tail ^ (uint64_t)(size - at) << 56);
}

/* cache_limits.c - how many entries and bytes each kind of cache may keep
 * (cs_cache_set_limits, COMPUSHADY_<KIND>_CACHE_ENTRIES/_BYTES). The caches
 * read them at every insert, so a change applies from the next insert of
 * each cache on; the process-wide caches are trimmed at once. */
#include "cache.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct limit_spec {
    const char *name; /* in messages and in the environment variables */
    uint64_t entries, bytes;
} limit_spec;

/* The defaults; see docs/decisions.md, "Caches". */
static const limit_spec specs[CS_CACHE_KIND_COUNT] = {
    [CS_CACHE_COMPILE] = {"COMPILE", 256, 64ull << 20},
    [CS_CACHE_MODULE] = {"MODULE", 512, 64ull << 20},
    [CS_CACHE_PIPELINE] = {"PIPELINE", 256, 64ull << 20},
    [CS_CACHE_DRIVER] = {"DRIVER", 1024, 64ull << 20},
};

static _Atomic uint64_t limits[CS_CACHE_KIND_COUNT][2];
static cs_pipeline_cache_mode pipeline_cache_mode = CS_PIPELINE_CACHE_AUTO;
static cs_once env_once = CS_ONCE_INIT;
/* the trim of each kind's process-wide cache (cs_cache_on_new_limits) */
typedef void (*trim_fn)(void);
static _Atomic(trim_fn) trims[CS_CACHE_KIND_COUNT];
static cs_status env_status = CS_OK;
static char env_message[512];

/* A count or byte size: digits, optionally followed by K, M or G (binary
 * multiples); at least 1. */
static bool parse_amount(const char *text, uint64_t *out)
{
    if (!text || *text < '0' || *text > '9')
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0)
        return false;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (*end != '\0' || value == 0 || value > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)value << shift;
    return true;
}

static void load_env(void);

static void load_pipeline_cache_mode(void)
{
    static const char *const names[] = {
        [CS_PIPELINE_CACHE_AUTO] = "auto",
        [CS_PIPELINE_CACHE_OWN] = "own",
        [CS_PIPELINE_CACHE_DRIVER] = "driver",
    };
    const char *text = getenv("COMPUSHADY_PIPELINE_CACHE");
    if (!text || !*text)
        return;
    for (int mode = 0; mode < 3; mode++)
        if (strcmp(text, names[mode]) == 0) {
            pipeline_cache_mode = (cs_pipeline_cache_mode)mode;
            return;
        }
    if (env_status == CS_OK) {
        env_status = CS_ERROR_INVALID_ARGUMENT;
        snprintf(env_message, sizeof env_message,
                 "environment variable COMPUSHADY_PIPELINE_CACHE='%.64s' is "
                 "not valid: expected auto, own or driver (auto is used)",
                 text);
    }
}

cs_pipeline_cache_mode cs_pipeline_cache_mode_of(void)
{
    cs_call_once(&env_once, load_env);
    return pipeline_cache_mode;
}

static void load_env(void)
{
    load_pipeline_cache_mode();
    for (int kind = 0; kind < CS_CACHE_KIND_COUNT; kind++) {
        atomic_store(&limits[kind][0], specs[kind].entries);
        atomic_store(&limits[kind][1], specs[kind].bytes);
        static const char *const suffixes[2] = {"ENTRIES", "BYTES"};
        for (int which = 0; which < 2; which++) {
            char variable[64];
            snprintf(variable, sizeof variable, "COMPUSHADY_%s_CACHE_%s",
                     specs[kind].name, suffixes[which]);
            const char *text = getenv(variable);
            if (!text || !*text)
                continue;
            uint64_t value;
            if (parse_amount(text, &value)) {
                atomic_store(&limits[kind][which], value);
            } else if (env_status == CS_OK) {
                env_status = CS_ERROR_INVALID_ARGUMENT;
                snprintf(env_message, sizeof env_message,
                         "environment variable %s='%.64s' is not a valid "
                         "%s: expected a whole number >= 1%s (the default "
                         "%llu is used)",
                         variable, text,
                         which ? "byte size" : "number of entries",
                         which ? ", optionally with K, M or G" : "",
                         (unsigned long long)(which ? specs[kind].bytes
                                                    : specs[kind].entries));
            }
        }
    }
}

cs_status cs_cache_check_environment(void)
{
    return cs_cache_limits_check_env();
}

cs_status cs_cache_limits_check_env(void)
{
    cs_call_once(&env_once, load_env);
    if (env_status != CS_OK)
        return cs_fail(env_status, "%s", env_message);
    return CS_OK;
}

void cs_cache_limits_of(cs_cache_kind kind, size_t *out_entries,
                        size_t *out_bytes)
{
    cs_call_once(&env_once, load_env);
    uint64_t entries = atomic_load(&limits[kind][0]);
    uint64_t bytes = atomic_load(&limits[kind][1]);
    *out_entries = entries > SIZE_MAX ? SIZE_MAX : (size_t)entries;
    *out_bytes = bytes > SIZE_MAX ? SIZE_MAX : (size_t)bytes;
}

cs_status cs_cache_set_limits(cs_cache_kind kind, uint64_t max_entries,
                              uint64_t max_bytes)
{
    if ((unsigned)kind >= CS_CACHE_KIND_COUNT)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "unknown cache kind %d: expected CS_CACHE_COMPILE, "
                       "_MODULE, _PIPELINE or _DRIVER",
                       (int)kind);
    if (max_entries == 0 || max_bytes == 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cache limits must be at least 1 entry and 1 byte, "
                       "got %llu entries and %llu bytes",
                       (unsigned long long)max_entries,
                       (unsigned long long)max_bytes);
    cs_call_once(&env_once, load_env);
    atomic_store(&limits[kind][0], max_entries);
    atomic_store(&limits[kind][1], max_bytes);
    void (*trim)(void) = atomic_load(&trims[kind]);
    if (trim)
        trim();
    return CS_OK;
}

cs_status cs_cache_get_limits(cs_cache_kind kind, uint64_t *out_max_entries,
                              uint64_t *out_max_bytes)
{
    if ((unsigned)kind >= CS_CACHE_KIND_COUNT || !out_max_entries ||
        !out_max_bytes)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_cache_get_limits: unknown kind %d or NULL output",
                       (int)kind);
    cs_call_once(&env_once, load_env);
    *out_max_entries = atomic_load(&limits[kind][0]);
    *out_max_bytes = atomic_load(&limits[kind][1]);
    return CS_OK;
}

void cs_cache_on_new_limits(cs_cache_kind kind, void (*trim)(void))
{
    if ((unsigned)kind < CS_CACHE_KIND_COUNT)
        atomic_store(&trims[kind], trim);
}

/*
 * cache.h - bounded, thread-safe, reference-counted LRU caches keyed by byte
 * strings, and the on-disk cache directory.
 *
 * Used for what depends only on bytes the caller gives again and again:
 * compiled SPIR-V (src/shader/compile_cache.c), the reflection and
 * validation of a module and its storage image format patches
 * (src/shader/module_cache.c), and per device the Vulkan shader module,
 * layouts and pipeline (src/backends/vulkan/vk_pipeline_cache.c).
 *
 * Keys are compared in full (the hash only picks the bucket), so a hash
 * collision can never hand back another shader's value. A value found or
 * inserted is returned as a counted reference: it stays alive, even when
 * evicted, until the caller releases it. Failures are never cached.
 */
#ifndef CS_CACHE_H
#define CS_CACHE_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cs_cache cs_cache;
typedef struct cs_cache_entry cs_cache_entry;

/* destroy(value, context) frees a value once evicted and unreferenced. */
typedef void (*cs_cache_destroy_fn)(void *value, void *context);

/* A cache of at most max_entries values and about max_bytes (the sizes given
 * to insert); NULL when out of memory. */
cs_cache *cs_cache_create(size_t max_entries, size_t max_bytes,
                          cs_cache_destroy_fn destroy, void *context);
/* The same, bounded by the limits of a kind (cs_cache_set_limits), read at
 * every insert. */
cs_cache *cs_cache_create_for(cs_cache_kind kind, cs_cache_destroy_fn destroy,
                              void *context);
/* Evicts down to the limits now (unreferenced values are destroyed). */
void cs_cache_trim(cs_cache *cache);
/* Bytes stored now (the sizes given to insert). */
size_t cs_cache_bytes(cs_cache *cache);

/* >>limits (cache_limits.c) */
/* The current limits of a kind (the environment read on first use). */
void cs_cache_limits_of(cs_cache_kind kind, size_t *out_entries,
                        size_t *out_bytes);
/* CS_OK, or the failure naming a malformed COMPUSHADY_*_CACHE_* variable. */
cs_status cs_cache_limits_check_env(void);
/* Whose cache keeps compiled pipelines across runs
 * (COMPUSHADY_PIPELINE_CACHE): AUTO lets the backend choose (the driver's
 * own disk cache where it keeps one and an application cache would make it
 * skip it), OWN is compushady's pipeline cache file, DRIVER the driver's
 * alone. */
typedef enum cs_pipeline_cache_mode {
    CS_PIPELINE_CACHE_AUTO,
    CS_PIPELINE_CACHE_OWN,
    CS_PIPELINE_CACHE_DRIVER,
} cs_pipeline_cache_mode;
cs_pipeline_cache_mode cs_pipeline_cache_mode_of(void);
/* A process-wide cache of kind registers how to trim it to its limits
 * (compile_cache.c, module_cache.c): cs_cache_set_limits() calls it at
 * once; per-device caches trim at their next insert. One per kind. */
void cs_cache_on_new_limits(cs_cache_kind kind, void (*trim)(void));
/* Destroys every value; no reference may be held any more. */
void cs_cache_destroy(cs_cache *cache);

/* A counted reference to the value stored under key, or NULL. */
cs_cache_entry *cs_cache_find(cs_cache *cache, const void *key,
                              size_t key_size);
/* Stores value (the cache takes it; bytes is its size for the bound) and
 * returns a counted reference. When another thread stored the same key
 * first, value is destroyed and the existing entry returned. NULL when out
 * of memory (value is destroyed then too). */
cs_cache_entry *cs_cache_insert(cs_cache *cache, const void *key,
                                size_t key_size, void *value, size_t bytes);
void *cs_cache_value(const cs_cache_entry *entry);
void cs_cache_release(cs_cache *cache, cs_cache_entry *entry);
/* Drops every entry (values still referenced live on until released). */
void cs_cache_clear(cs_cache *cache);
/* Entries stored now. */
size_t cs_cache_count(cs_cache *cache);

/* 64-bit hash of bytes (not cryptographic); seed picks another function. */
uint64_t cs_hash64(const void *bytes, size_t size, uint64_t seed);

/* Counters of every cache of the process (tests, bench): hits and misses. */
typedef struct cs_cache_counters {
    uint64_t module_hits, module_misses;     /* reflection + validation */
    uint64_t pipeline_hits, pipeline_misses; /* Vulkan pipelines */
    uint64_t compile_hits, compile_misses;   /* cs_shader_compile, memory */
    uint64_t compile_disk_hits;              /* ... found on disk */
    uint64_t compile_disk_rejected;          /* corrupt files ignored */
    uint64_t pipeline_cache_loads;           /* VkPipelineCache data loaded */
    uint64_t pipeline_cache_saves;           /* ... written */
    uint64_t pipeline_cache_rejected;        /* ... files with a bad header */
    uint64_t pipeline_cache_recycled;        /* ... replaced, over its limits */
} cs_cache_counters;
void cs_cache_get_counters(cs_cache_counters *out);
enum cs_cache_counter {
    CS_COUNT_MODULE_HIT,
    CS_COUNT_MODULE_MISS,
    CS_COUNT_PIPELINE_HIT,
    CS_COUNT_PIPELINE_MISS,
    CS_COUNT_COMPILE_HIT,
    CS_COUNT_COMPILE_MISS,
    CS_COUNT_COMPILE_DISK_HIT,
    CS_COUNT_COMPILE_DISK_REJECTED,
    CS_COUNT_PIPELINE_CACHE_LOAD,
    CS_COUNT_PIPELINE_CACHE_SAVE,
    CS_COUNT_PIPELINE_CACHE_REJECTED,
    CS_COUNT_PIPELINE_CACHE_RECYCLED,
    CS_COUNT_MAX
};
void cs_cache_count_event(enum cs_cache_counter counter);

/* Forgets the compile results kept in memory (tests: the next compile
 * reads the disk cache). */
void cs_compile_cache_clear_memory(void);

/* >>disk: the directory of persistent caches, read from the environment on
 * each call: $COMPUSHADY_CACHE_DIR, else $XDG_CACHE_HOME/compushady, else
 * $HOME/.cache/compushady. COMPUSHADY_CACHE_DIR set to "" or "0" turns the
 * disk caches off. Returns false when there is none. */
bool cs_cache_dir(char *out, size_t capacity);

/* Reads the whole file dir/name (malloc'd into *out_bytes); false when it is
 * missing, unreadable or larger than max_size. */
bool cs_cache_read_file(const char *name, size_t max_size, void **out_bytes,
                        size_t *out_size);
/* Writes dir/name atomically (a temporary file renamed over it), creating
 * the directory. Any failure is silent: the caches only skip. */
void cs_cache_write_file(const char *name, const void *head, size_t head_size,
                         const void *body, size_t body_size);

#endif

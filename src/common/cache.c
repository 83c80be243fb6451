/* cache.c - bounded LRU caches keyed by bytes (cache.h), the process-wide
 * hit/miss counters and the on-disk cache directory. */
#include "cache.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cs_cache_entry {
    cs_cache_entry *bucket_next;
    cs_cache_entry *lru_prev, *lru_next; /* most recent first */
    atomic_int refs;                     /* the cache's own + callers' */
    bool stored;                         /* still in the table */
    uint64_t hash;
    size_t key_size, bytes;
    void *value;
    unsigned char key[]; /* key_size bytes */
};

struct cs_cache {
    cs_mutex lock;
    cs_cache_entry **buckets;
    size_t bucket_count; /* a power of two */
    cs_cache_entry *lru_head, *lru_tail;
    size_t count, bytes, max_entries, max_bytes;
    int kind; /* a cs_cache_kind whose limits apply, or -1: the fixed ones */
    cs_cache_destroy_fn destroy;
    void *context;
};

static _Atomic uint64_t counters[CS_COUNT_MAX];

void cs_cache_count_event(enum cs_cache_counter counter)
{
    atomic_fetch_add_explicit(&counters[counter], 1, memory_order_relaxed);
}

void cs_cache_get_counters(cs_cache_counters *out)
{
    uint64_t *fields[CS_COUNT_MAX] = {
        &out->module_hits,
        &out->module_misses,
        &out->pipeline_hits,
        &out->pipeline_misses,
        &out->compile_hits,
        &out->compile_misses,
        &out->compile_disk_hits,
        &out->compile_disk_rejected,
        &out->pipeline_cache_loads,
        &out->pipeline_cache_saves,
        &out->pipeline_cache_rejected,
        &out->pipeline_cache_recycled,
    };
    for (int i = 0; i < CS_COUNT_MAX; i++)
        *fields[i] = atomic_load(&counters[i]);
}

cs_cache *cs_cache_create(size_t max_entries, size_t max_bytes,
                          cs_cache_destroy_fn destroy, void *context)
{
    cs_cache *cache = calloc(1, sizeof *cache);
    if (!cache)
        return NULL;
    cache->bucket_count = 16;
    while (cache->bucket_count < max_entries)
        cache->bucket_count *= 2;
    cache->buckets = calloc(cache->bucket_count, sizeof *cache->buckets);
    if (!cache->buckets || !cs_mutex_init(&cache->lock)) {
        free(cache->buckets);
        free(cache);
        return NULL;
    }
    cache->max_entries = max_entries ? max_entries : 1;
    cache->max_bytes = max_bytes;
    cache->kind = -1;
    cache->destroy = destroy;
    cache->context = context;
    return cache;
}

cs_cache *cs_cache_create_for(cs_cache_kind kind, cs_cache_destroy_fn destroy,
                              void *context)
{
    size_t entries, bytes;
    cs_cache_limits_of(kind, &entries, &bytes);
    cs_cache *cache = cs_cache_create(entries < 4096 ? entries : 4096, bytes,
                                      destroy, context);
    if (cache)
        cache->kind = (int)kind;
    return cache;
}

/* The limits now; under the lock. */
static void current_limits(cs_cache *cache)
{
    if (cache->kind < 0)
        return;
    size_t entries, bytes;
    cs_cache_limits_of((cs_cache_kind)cache->kind, &entries, &bytes);
    cache->max_entries = entries ? entries : 1;
    cache->max_bytes = bytes;
}

static bool over_limits(const cs_cache *cache)
{
    return cache->count > cache->max_entries ||
           (cache->max_bytes && cache->bytes > cache->max_bytes);
}

static void unreference(cs_cache *cache, cs_cache_entry *entry)
{
    if (atomic_fetch_sub(&entry->refs, 1) != 1)
        return;
    if (cache->destroy && entry->value)
        cache->destroy(entry->value, cache->context);
    free(entry);
}

static void lru_unlink(cs_cache *cache, cs_cache_entry *entry)
{
    if (entry->lru_prev)
        entry->lru_prev->lru_next = entry->lru_next;
    else
        cache->lru_head = entry->lru_next;
    if (entry->lru_next)
        entry->lru_next->lru_prev = entry->lru_prev;
    else
        cache->lru_tail = entry->lru_prev;
    entry->lru_prev = entry->lru_next = NULL;
}

static void lru_push_front(cs_cache *cache, cs_cache_entry *entry)
{
    entry->lru_next = cache->lru_head;
    entry->lru_prev = NULL;
    if (cache->lru_head)
        cache->lru_head->lru_prev = entry;
    cache->lru_head = entry;
    if (!cache->lru_tail)
        cache->lru_tail = entry;
}

/* Takes entry out of the table and the list (lock held); returns it so that
 * the caller drops the cache's reference after unlocking. */
static cs_cache_entry *unstore(cs_cache *cache, cs_cache_entry *entry)
{
    cs_cache_entry **link =
        &cache->buckets[entry->hash & (cache->bucket_count - 1)];
    while (*link != entry)
        link = &(*link)->bucket_next;
    *link = entry->bucket_next;
    lru_unlink(cache, entry);
    entry->stored = false;
    cache->count--;
    cache->bytes -= entry->bytes;
    return entry;
}

static cs_cache_entry *lookup(cs_cache *cache, uint64_t hash, const void *key,
                              size_t key_size)
{
    for (cs_cache_entry *entry =
             cache->buckets[hash & (cache->bucket_count - 1)];
         entry; entry = entry->bucket_next) {
        if (entry->hash == hash && entry->key_size == key_size &&
            memcmp(entry->key, key, key_size) == 0)
            return entry;
    }
    return NULL;
}

cs_cache_entry *cs_cache_find(cs_cache *cache, const void *key, size_t key_size)
{
    if (!cache)
        return NULL;
    uint64_t hash = cs_hash64(key, key_size, 0);
    cs_mutex_lock(&cache->lock);
    cs_cache_entry *entry = lookup(cache, hash, key, key_size);
    if (entry) {
        atomic_fetch_add(&entry->refs, 1);
        lru_unlink(cache, entry);
        lru_push_front(cache, entry);
    }
    cs_mutex_unlock(&cache->lock);
    return entry;
}

cs_cache_entry *cs_cache_insert(cs_cache *cache, const void *key,
                                size_t key_size, void *value, size_t bytes)
{
    cs_cache_entry *entry =
        cache ? malloc(sizeof *entry + (key_size ? key_size : 1)) : NULL;
    if (!entry) {
        if (cache && cache->destroy && value)
            cache->destroy(value, cache->context);
        return NULL;
    }
    memset(entry, 0, sizeof *entry);
    entry->hash = cs_hash64(key, key_size, 0);
    entry->key_size = key_size;
    entry->bytes = bytes;
    entry->value = value;
    memcpy(entry->key, key, key_size);
    atomic_init(&entry->refs, 2); /* the cache's and the caller's */

    enum { MAX_EVICT = 64 };
    cs_cache_entry *evicted[MAX_EVICT];
    size_t evicted_count = 0;
    cs_mutex_lock(&cache->lock);
    cs_cache_entry *existing = lookup(cache, entry->hash, key, key_size);
    if (existing) {
        atomic_fetch_add(&existing->refs, 1);
        cs_mutex_unlock(&cache->lock);
        atomic_init(&entry->refs, 1);
        unreference(cache, entry);
        return existing;
    }
    size_t bucket = entry->hash & (cache->bucket_count - 1);
    entry->bucket_next = cache->buckets[bucket];
    cache->buckets[bucket] = entry;
    entry->stored = true;
    lru_push_front(cache, entry);
    cache->count++;
    cache->bytes += bytes;
    current_limits(cache);
    while (evicted_count < MAX_EVICT && cache->lru_tail != entry &&
           over_limits(cache))
        evicted[evicted_count++] = unstore(cache, cache->lru_tail);
    cs_mutex_unlock(&cache->lock);
    for (size_t i = 0; i < evicted_count; i++)
        unreference(cache, evicted[i]);
    return entry;
}

void *cs_cache_value(const cs_cache_entry *entry)
{
    return entry ? entry->value : NULL;
}

void cs_cache_release(cs_cache *cache, cs_cache_entry *entry)
{
    if (cache && entry)
        unreference(cache, entry);
}

size_t cs_cache_count(cs_cache *cache)
{
    cs_mutex_lock(&cache->lock);
    size_t count = cache->count;
    cs_mutex_unlock(&cache->lock);
    return count;
}

size_t cs_cache_bytes(cs_cache *cache)
{
    cs_mutex_lock(&cache->lock);
    size_t bytes = cache->bytes;
    cs_mutex_unlock(&cache->lock);
    return bytes;
}

void cs_cache_trim(cs_cache *cache)
{
    if (!cache)
        return;
    for (;;) {
        cs_mutex_lock(&cache->lock);
        current_limits(cache);
        cs_cache_entry *entry = cache->lru_tail && over_limits(cache)
                                    ? unstore(cache, cache->lru_tail)
                                    : NULL;
        cs_mutex_unlock(&cache->lock);
        if (!entry)
            return;
        unreference(cache, entry);
    }
}

void cs_cache_clear(cs_cache *cache)
{
    for (;;) {
        cs_mutex_lock(&cache->lock);
        cs_cache_entry *entry =
            cache->lru_head ? unstore(cache, cache->lru_head) : NULL;
        cs_mutex_unlock(&cache->lock);
        if (!entry)
            return;
        unreference(cache, entry);
    }
}

void cs_cache_destroy(cs_cache *cache)
{
    if (!cache)
        return;
    while (cache->lru_head)
        unreference(cache, unstore(cache, cache->lru_head));
    cs_mutex_destroy(&cache->lock);
    free(cache->buckets);
    free(cache);
}

/* >>disk */

bool cs_cache_dir(char *out, size_t capacity)
{
    const char *dir = getenv("COMPUSHADY_CACHE_DIR");
    char home[2048];
    int written;
    if (dir) {
        if (!*dir || strcmp(dir, "0") == 0)
            return false;
        written = snprintf(out, capacity, "%s", dir);
    } else if (cs_user_cache_home(home, sizeof home)) {
        written = snprintf(out, capacity, "%s/compushady", home);
    } else {
        return false;
    }
    return written > 0 && (size_t)written < capacity;
}

bool cs_cache_read_file(const char *name, size_t max_size, void **out_bytes,
                        size_t *out_size)
{
    char dir[2048], path[2560];
    if (!cs_cache_dir(dir, sizeof dir))
        return false;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return cs_file_read_all(path, max_size, out_bytes, out_size);
}

void cs_cache_write_file(const char *name, const void *head, size_t head_size,
                         const void *body, size_t body_size)
{
    static atomic_uint sequence;
    char dir[2048], path[2560], temporary[2700];
    if (!cs_cache_dir(dir, sizeof dir) || !cs_dir_make_all(dir))
        return;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(temporary, sizeof temporary, "%s.tmp.%ld.%u", path,
             (long)cs_process_id(), atomic_fetch_add(&sequence, 1));
    cs_file *file = cs_file_create_new(temporary);
    if (file == NULL)
        return;
    bool ok = cs_file_write(file, head, head_size) &&
              cs_file_write(file, body, body_size);
    ok = cs_file_close(file) && ok;
    if (!ok || !cs_file_replace(temporary, path))
        cs_file_remove(temporary);
}

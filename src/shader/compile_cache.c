/* compile_cache.c - results of cs_shader_compile kept in memory (bounded LRU)
 * and on disk (one file per result, named by the hash of its key, in the
 * cache directory of cache.h). A file is used only when its header, the
 * whole key and a hash of the SPIR-V match and cs_shader_reflect accepts
 * the module; anything else is ignored (and overwritten by a fresh
 * compile). */
#include "../common/cache.h"
#include "shader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_FILE_BYTES = 64 << 20,
};

typedef struct compiled {
    size_t size; /* bytes */
    uint32_t words[];
} compiled;

typedef struct file_header {
    char magic[8]; /* "CSSPV01\n" */
    uint64_t key_size, spirv_size, spirv_hash;
} file_header;

static const char file_magic[8] = {'C', 'S', 'S', 'P', 'V', '0', '1', '\n'};

static cs_cache *memory;
static cs_once memory_once = CS_ONCE_INIT;

static void free_compiled(void *value, void *context)
{
    (void)context;
    free(value);
}

static void trim_memory(void)
{
    cs_cache_trim(memory);
}

static void create_memory(void)
{
    memory = cs_cache_create_for(CS_CACHE_COMPILE, free_compiled, NULL);
    cs_cache_on_new_limits(CS_CACHE_COMPILE, trim_memory);
}

static cs_cache *memory_cache(void)
{
    cs_call_once(&memory_once, create_memory);
    return memory;
}

static void file_name_of(const void *key, size_t key_size, char *out,
                         size_t capacity)
{
    snprintf(out, capacity, "spirv-%016llx%016llx.bin",
             (unsigned long long)cs_hash64(key, key_size, 1),
             (unsigned long long)cs_hash64(key, key_size, 2));
}

static bool copy_out(const void *words, size_t size, uint32_t **out_words,
                     size_t *out_count)
{
    uint32_t *copy = malloc(size ? size : 4);
    if (!copy)
        return false;
    memcpy(copy, words, size);
    *out_words = copy;
    *out_count = size / 4;
    return true;
}

static void remember(const void *key, size_t key_size, const void *words,
                     size_t size)
{
    compiled *value = malloc(sizeof *value + size);
    if (!value)
        return;
    value->size = size;
    memcpy(value->words, words, size);
    cs_cache *cache = memory_cache();
    cs_cache_release(cache, cs_cache_insert(cache, key, key_size, value,
                                            sizeof *value + size));
}

/* The SPIR-V of a valid file for key, or false. */
static bool load_file(const void *key, size_t key_size, uint32_t **out_words,
                      size_t *out_count)
{
    char name[64];
    file_name_of(key, key_size, name, sizeof name);
    void *bytes;
    size_t size;
    if (!cs_cache_read_file(name, MAX_FILE_BYTES, &bytes, &size))
        return false;
    file_header header;
    const unsigned char *body = (const unsigned char *)bytes + sizeof header;
    bool ok = size >= sizeof header;
    if (ok) {
        memcpy(&header, bytes, sizeof header);
        ok = memcmp(header.magic, file_magic, sizeof file_magic) == 0 &&
             header.key_size == key_size &&
             header.spirv_size <= size - sizeof header - key_size &&
             size == sizeof header + key_size + header.spirv_size &&
             header.spirv_size % 4 == 0 && header.spirv_size > 0 &&
             memcmp(body, key, key_size) == 0 &&
             cs_hash64(body + key_size, header.spirv_size, 3) ==
                 header.spirv_hash;
    }
    if (ok) {
        cs_shader_reflection reflection;
        ok = cs_spirv_reflect(body + key_size, header.spirv_size,
                              &reflection) == CS_OK;
        if (ok)
            cs_shader_reflection_free(&reflection);
    }
    ok = ok &&
         copy_out(body + key_size, header.spirv_size, out_words, out_count);
    if (ok)
        remember(key, key_size, *out_words, header.spirv_size);
    else
        cs_cache_count_event(CS_COUNT_COMPILE_DISK_REJECTED);
    free(bytes);
    return ok;
}

bool cs_compile_cache_find(const void *key, size_t key_size,
                           uint32_t **out_words, size_t *out_count)
{
    cs_cache *cache = memory_cache();
    cs_cache_entry *entry = cs_cache_find(cache, key, key_size);
    if (entry) {
        const compiled *value = cs_cache_value(entry);
        bool ok = copy_out(value->words, value->size, out_words, out_count);
        cs_cache_release(cache, entry);
        if (ok) {
            /* only valid modules are stored (cs_shader_compile) */
            cs_spirv_remember_valid(*out_words, *out_count);
            cs_cache_count_event(CS_COUNT_COMPILE_HIT);
            return true;
        }
    }
    cs_cache_count_event(CS_COUNT_COMPILE_MISS);
    if (load_file(key, key_size, out_words, out_count)) {
        cs_spirv_remember_valid(*out_words, *out_count);
        cs_cache_count_event(CS_COUNT_COMPILE_DISK_HIT);
        return true;
    }
    return false;
}

void cs_compile_cache_store(const void *key, size_t key_size,
                            const uint32_t *words, size_t word_count)
{
    size_t size = word_count * 4;
    remember(key, key_size, words, size);
    char name[64];
    file_name_of(key, key_size, name, sizeof name);
    size_t head_size = sizeof(file_header) + key_size;
    unsigned char *head = malloc(head_size);
    if (!head)
        return;
    file_header header = {
        .key_size = key_size,
        .spirv_size = size,
        .spirv_hash = cs_hash64(words, size, 3),
    };
    memcpy(header.magic, file_magic, sizeof file_magic);
    memcpy(head, &header, sizeof header);
    memcpy(head + sizeof header, key, key_size);
    cs_cache_write_file(name, head, head_size, words, size);
    free(head);
}

void cs_compile_cache_clear_memory(void)
{
    cs_cache_clear(memory_cache());
}

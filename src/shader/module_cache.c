/* module_cache.c - what cs_compute_create derives from the SPIR-V bytes
 * alone, kept in a process-wide bounded LRU (cache.h): the reflection of a
 * module, and per set of storage image formats the patched module that
 * SPIRV-Tools validated. Keys hold the whole module, so only identical
 * bytes hit. */
#include "../common/cache.h"
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

typedef struct reflected {
    cs_shader_reflection reflection;
} reflected;

struct cs_prepared_module {
    bool patched;
    size_t word_count; /* patched only */
    uint32_t words[];
};

enum { TAG_REFLECTION = 'R', TAG_VALIDATED = 'V' };

typedef struct cached_value {
    int tag;
    union {
        reflected *reflection;
        cs_prepared_module *prepared;
    } as;
} cached_value;

static cs_cache *cache;
static cs_once cache_once = CS_ONCE_INIT;

static void destroy_value(void *value, void *context)
{
    (void)context;
    cached_value *v = value;
    if (v->tag == TAG_REFLECTION) {
        cs_shader_reflection_free(&v->as.reflection->reflection);
        free(v->as.reflection);
    } else {
        free(v->as.prepared);
    }
    free(v);
}

static void trim_cache(void)
{
    cs_cache_trim(cache);
}

static void create_cache(void)
{
    cache = cs_cache_create_for(CS_CACHE_MODULE, destroy_value, NULL);
    cs_cache_on_new_limits(CS_CACHE_MODULE, trim_cache);
}

static cs_cache *module_cache(void)
{
    cs_call_once(&cache_once, create_cache);
    return cache;
}

static bool copy_reflection(const cs_shader_reflection *from,
                            cs_shader_reflection *to)
{
    *to = *from;
    to->bindings = NULL;
    size_t bytes = (size_t)from->binding_count * sizeof *from->bindings;
    to->bindings = malloc(bytes ? bytes : 1);
    if (!to->bindings)
        return false;
    if (bytes)
        memcpy(to->bindings, from->bindings, bytes);
    to->samplings = NULL;
    if (from->sampling_count) {
        size_t sampling_bytes =
            (size_t)from->sampling_count * sizeof *from->samplings;
        to->samplings = malloc(sampling_bytes);
        if (!to->samplings) {
            free(to->bindings);
            to->bindings = NULL;
            return false;
        }
        memcpy(to->samplings, from->samplings, sampling_bytes);
    }
    return true;
}

/* key = tag + extra + module bytes, malloc'd */
static unsigned char *make_key(int tag, const void *extra, size_t extra_size,
                               const void *spirv, size_t size, size_t *out_size)
{
    size_t key_size = 1 + extra_size + size;
    unsigned char *key = malloc(key_size);
    if (!key)
        return NULL;
    key[0] = (unsigned char)tag;
    if (extra_size)
        memcpy(key + 1, extra, extra_size);
    memcpy(key + 1 + extra_size, spirv, size);
    *out_size = key_size;
    return key;
}

/* The public reflection: cs_spirv_reflect behind the module cache. */
cs_status cs_shader_reflect(const void *spirv, size_t size,
                            cs_shader_reflection *out_reflection)
{
    if (out_reflection == NULL || spirv == NULL)
        return cs_spirv_reflect(spirv, size, out_reflection);
    cs_cache *c = module_cache();
    size_t key_size = 0;
    unsigned char *key =
        make_key(TAG_REFLECTION, NULL, 0, spirv, size, &key_size);
    if (!key || !c) {
        free(key);
        return cs_spirv_reflect(spirv, size, out_reflection);
    }
    cs_cache_entry *entry = cs_cache_find(c, key, key_size);
    if (entry) {
        const cached_value *v = cs_cache_value(entry);
        bool ok =
            copy_reflection(&v->as.reflection->reflection, out_reflection);
        cs_cache_release(c, entry);
        free(key);
        if (!ok)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory reflecting a shader");
        cs_cache_count_event(CS_COUNT_MODULE_HIT);
        return CS_OK;
    }
    cs_cache_count_event(CS_COUNT_MODULE_MISS);
    cs_status status = cs_spirv_reflect(spirv, size, out_reflection);
    if (status == CS_OK) {
        cached_value *v = malloc(sizeof *v);
        reflected *r = malloc(sizeof *r);
        if (v && r && copy_reflection(out_reflection, &r->reflection)) {
            v->tag = TAG_REFLECTION;
            v->as.reflection = r;
            cs_cache_release(
                c, cs_cache_insert(c, key, key_size, v, key_size + sizeof *r));
        } else {
            free(v);
            free(r);
        }
    }
    free(key);
    return status;
}

/* cs_spirv_prepare_storage_formats with the SPIR-V formats worked out */
static cs_status prepare(const uint32_t *words, size_t word_count,
                         const uint32_t *bindings, const uint32_t *formats,
                         size_t format_count, bool patch,
                         const uint32_t **out_words, size_t *out_count,
                         cs_prepared_module **out_module);

/* Storage images and texel buffers must declare the format of the view
 * bound to them; glslang declares the one its template type suggests, so
 * the module is patched to the formats of the resources actually bound.
 * Every storage binding is listed to the patch (so that types shared by
 * several variables are judged on all their users), and only when one
 * differs. */
cs_status cs_spirv_prepare_storage_formats(const uint32_t *words,
                                           size_t word_count,
                                           const cs_storage_binding *bindings,
                                           size_t binding_count,
                                           const uint32_t **out_words,
                                           size_t *out_count,
                                           cs_prepared_module **out_module)
{
    enum { MOST = 64 };
    if (binding_count > MOST)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "more than %d storage images need a format patch", MOST);
    uint32_t numbers[MOST], formats[MOST];
    bool differs = false;
    for (size_t i = 0; i < binding_count; i++) {
        numbers[i] = bindings[i].binding;
        formats[i] = cs_spirv_image_format_from_dxgi(bindings[i].format);
        differs |= formats[i] != bindings[i].declared_format;
    }
    return prepare(words, word_count, numbers, formats,
                   differs ? binding_count : 0, differs, out_words, out_count,
                   out_module);
}

static cs_status prepare(const uint32_t *words, size_t word_count,
                         const uint32_t *bindings, const uint32_t *formats,
                         size_t format_count, bool patch,
                         const uint32_t **out_words, size_t *out_count,
                         cs_prepared_module **out_module)
{
    *out_module = NULL;
    cs_cache *c = module_cache();
    /* extra = patch flag, count, bindings, formats */
    size_t extra_size = sizeof(uint32_t) * (2 + 2 * format_count);
    uint32_t *extra = malloc(extra_size);
    size_t key_size = 0;
    unsigned char *key = NULL;
    if (extra) {
        extra[0] = patch;
        extra[1] = (uint32_t)format_count;
        memcpy(extra + 2, bindings, format_count * sizeof *bindings);
        memcpy(extra + 2 + format_count, formats,
               format_count * sizeof *formats);
        key = make_key(TAG_VALIDATED, extra, extra_size, words, word_count * 4,
                       &key_size);
        free(extra);
    }
    cs_cache_entry *entry = key && c ? cs_cache_find(c, key, key_size) : NULL;
    if (entry) {
        const cached_value *v = cs_cache_value(entry);
        cs_prepared_module *prepared = v->as.prepared;
        size_t bytes = sizeof *prepared +
                       (prepared->patched ? prepared->word_count * 4 : 0);
        cs_prepared_module *copy = malloc(bytes);
        cs_cache_release(c, entry);
        if (copy) {
            memcpy(copy, prepared, bytes);
            free(key);
            cs_cache_count_event(CS_COUNT_MODULE_HIT);
            *out_module = copy;
            *out_words = copy->patched ? copy->words : words;
            *out_count = copy->patched ? copy->word_count : word_count;
            return CS_OK;
        }
    }
    cs_cache_count_event(CS_COUNT_MODULE_MISS);
    uint32_t *patched = NULL;
    size_t patched_count = 0;
    cs_status status = CS_OK;
    if (patch)
        status = cs_spirv_patch_image_formats(words, word_count, bindings,
                                              formats, format_count, &patched,
                                              &patched_count);
    if (status == CS_OK)
        status = patched ? cs_spirv_validate(patched, patched_count)
                         : cs_spirv_validate(words, word_count);
    cs_prepared_module *prepared = NULL;
    if (status == CS_OK) {
        size_t bytes = sizeof *prepared + (patched ? patched_count * 4 : 0);
        prepared = malloc(bytes);
        if (!prepared)
            status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                             "out of host memory preparing a shader");
        else {
            prepared->patched = patched != NULL;
            prepared->word_count = patched_count;
            if (patched)
                memcpy(prepared->words, patched, patched_count * 4);
        }
    }
    free(patched);
    if (status != CS_OK) {
        free(key);
        return status;
    }
    size_t bytes =
        sizeof *prepared + (prepared->patched ? prepared->word_count * 4 : 0);
    cached_value *v = malloc(sizeof *v);
    cs_prepared_module *stored = malloc(bytes);
    if (key && c && v && stored) {
        memcpy(stored, prepared, bytes);
        v->tag = TAG_VALIDATED;
        v->as.prepared = stored;
        cs_cache_release(
            c, cs_cache_insert(c, key, key_size, v, key_size + bytes));
    } else {
        free(v);
        free(stored);
    }
    free(key);
    *out_module = prepared;
    *out_words = prepared->patched ? prepared->words : words;
    *out_count = prepared->patched ? prepared->word_count : word_count;
    return CS_OK;
}

void cs_prepared_module_free(cs_prepared_module *module)
{
    free(module);
}

bool cs_spirv_declares_capability(const uint32_t *words, size_t word_count,
                                  uint32_t capability)
{
    cs_spirv module;
    if (cs_spirv_open(words, word_count, &module) != CS_OK)
        return false;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < word_count;
         at += cs_spirv_word_count(words[at])) {
        if (cs_spirv_opcode(words[at]) == SpvOpCapability &&
            at + 1 < word_count && words[at + 1] == capability)
            return true;
    }
    return false;
}

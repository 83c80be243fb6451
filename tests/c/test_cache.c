/*
 * test_cache.c - the caches of compiled SPIR-V, of module reflection and
 * validation, of pipelines, and the disk caches (compile results and the
 * VkPipelineCache), checked through the public API and the internal hit
 * counters (src/core/cache.h). Everything on disk goes to a temporary
 * COMPUSHADY_CACHE_DIR made here.
 *
 * Built and run by `make test-c`. Prints "N passed, M failed".
 */
#include "harness.h"

#include "common/cache.h"

#include "platform/platform.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cs_instance *instance;
static cs_device *device;
static char cache_dir[256];

static cs_cache_counters counters(void)
{
    cs_cache_counters c;
    cs_cache_get_counters(&c);
    return c;
}

static cs_resource *make_buffer(cs_device *on, cs_heap_type heap, uint64_t size,
                                uint32_t stride, cs_format format)
{
    cs_resource_desc desc = {
        .heap_type = heap, .size = size, .stride = stride, .format = format};
    cs_resource *resource = NULL;
    if (cs_resource_create(on, &desc, &resource) != CS_OK)
        fprintf(stderr, "buffer creation failed: %s\n", cs_last_error());
    return resource;
}

static bool read_back(cs_resource *resource, void *data, uint64_t size)
{
    cs_resource *rb =
        make_buffer(cs_resource_device(resource), CS_HEAP_READBACK, size, 0, 0);
    bool ok = rb && cs_resource_copy(resource, rb, NULL) == CS_OK &&
              cs_buffer_readback(rb, 0, data, size) == CS_OK;
    cs_resource_release(rb);
    return ok;
}

static const char fill_source[] =
    "RWStructuredBuffer<uint> output : register(u0);\n"
    "[numthreads(8, 1, 1)]\n"
    "void main(uint3 id : SV_DispatchThreadID) { output[id.x] = id.x * 3 + 1; "
    "}\n";

/* Runs a compute of spirv over an 8-uint buffer and checks the output. */
static bool run_fill(cs_device *on, const spirv_blob *spirv)
{
    cs_resource *buffer = make_buffer(on, CS_HEAP_DEFAULT, 32, 4, 0);
    if (!buffer)
        return false;
    cs_compute_desc desc = {.spirv = spirv->words,
                            .spirv_size = spirv->size,
                            .uav = &buffer,
                            .uav_count = 1};
    cs_compute *compute = NULL;
    bool ok = cs_compute_create(on, &desc, &compute) == CS_OK &&
              cs_compute_dispatch(compute, 1, 1, 1, NULL, 0) == CS_OK;
    uint32_t got[8] = {0};
    ok = ok && read_back(buffer, got, sizeof got);
    for (uint32_t i = 0; ok && i < 8; i++)
        ok = got[i] == i * 3 + 1;
    cs_compute_release(compute);
    cs_resource_release(buffer);
    return ok;
}

static void test_same_spirv_twice(void)
{
    spirv_blob spirv = harness_compile(fill_source);
    CHECK_OR_RETURN(spirv.words);
    cs_cache_counters before = counters();
    CHECK(run_fill(device, &spirv));
    cs_cache_counters middle = counters();
    CHECK(run_fill(device, &spirv));
    cs_cache_counters after = counters();
    /* the first creation may hit what an earlier test left; the second
     * must hit for the pipeline and both module lookups */
    CHECK(after.pipeline_hits == middle.pipeline_hits + 1);
    CHECK(after.pipeline_misses == middle.pipeline_misses);
    CHECK(after.module_hits == middle.module_hits + 2);
    CHECK(after.module_misses == middle.module_misses);
    CHECK(middle.pipeline_hits + middle.pipeline_misses ==
          before.pipeline_hits + before.pipeline_misses + 1);
    /* a copy of the bytes at another address hits too */
    spirv_blob copy = {malloc(spirv.size), spirv.size};
    memcpy(copy.words, spirv.words, spirv.size);
    CHECK(run_fill(device, &copy));
    CHECK(counters().pipeline_hits == after.pipeline_hits + 1);
    free(copy.words);
    cs_free(spirv.words);
}

static const char typed_source[] =
    "RWBuffer<float4> output : register(u0);\n"
    "[numthreads(1, 1, 1)]\n"
    "void main() { output[0] = float4(1.0, 0.5, 0.25, 0.0); }\n";

/* Creates a compute of spirv over a one-element typed buffer of format,
 * runs it and reads the element's bytes. */
static bool run_typed(const spirv_blob *spirv, cs_format format, void *out,
                      uint32_t texel_size)
{
    cs_resource *buffer =
        make_buffer(device, CS_HEAP_DEFAULT, texel_size, 0, format);
    if (!buffer)
        return false;
    cs_compute_desc desc = {.spirv = spirv->words,
                            .spirv_size = spirv->size,
                            .uav = &buffer,
                            .uav_count = 1};
    cs_compute *compute = NULL;
    bool ok = cs_compute_create(device, &desc, &compute) == CS_OK &&
              cs_compute_dispatch(compute, 1, 1, 1, NULL, 0) == CS_OK &&
              read_back(buffer, out, texel_size);
    cs_compute_release(compute);
    cs_resource_release(buffer);
    return ok;
}

static void test_formats_make_pipelines(void)
{
    enum { R32G32B32A32_FLOAT = 2, R8G8B8A8_UNORM = 28 };
    spirv_blob spirv = harness_compile(typed_source);
    CHECK_OR_RETURN(spirv.words);
    float floats[4] = {0};
    unsigned char bytes[4] = {0};
    cs_cache_counters a = counters();
    CHECK(run_typed(&spirv, R32G32B32A32_FLOAT, floats, 16));
    CHECK(floats[0] == 1.0f && floats[1] == 0.5f && floats[2] == 0.25f &&
          floats[3] == 0.0f);
    cs_cache_counters b = counters();
    CHECK(run_typed(&spirv, R8G8B8A8_UNORM, bytes, 4));
    CHECK(bytes[0] == 255 && (bytes[1] == 127 || bytes[1] == 128) &&
          (bytes[2] == 63 || bytes[2] == 64) && bytes[3] == 0);
    cs_cache_counters c = counters();
    /* another format: another patched module, another pipeline */
    CHECK(c.pipeline_misses == b.pipeline_misses + 1);
    CHECK(c.module_misses == b.module_misses + 1); /* reflection hit */
    memset(floats, 0, sizeof floats);
    CHECK(run_typed(&spirv, R32G32B32A32_FLOAT, floats, 16));
    CHECK(floats[0] == 1.0f && floats[1] == 0.5f && floats[2] == 0.25f);
    memset(bytes, 0, sizeof bytes);
    CHECK(run_typed(&spirv, R8G8B8A8_UNORM, bytes, 4));
    CHECK(bytes[0] == 255);
    cs_cache_counters d = counters();
    CHECK(d.pipeline_hits == c.pipeline_hits + 2);
    CHECK(d.pipeline_misses == c.pipeline_misses);
    (void)a;
    cs_free(spirv.words);
}

static void test_compile_cache(void)
{
    if (!harness_have_compiler()) /* counts the compile caches */
        return;
    static const char two_entries[] =
        "RWStructuredBuffer<uint> o : register(u0);\n"
        "[numthreads(1, 1, 1)] void first() { o[0] = 1; }\n"
        "[numthreads(1, 1, 1)] void second() { o[0] = 2; }\n";
    cs_cache_counters before = counters();
    spirv_blob a = harness_compile_entry(two_entries, "first");
    spirv_blob b = harness_compile_entry(two_entries, "first");
    spirv_blob c = harness_compile_entry(two_entries, "second");
    CHECK_OR_RETURN(a.words && b.words && c.words);
    CHECK(a.size == b.size && memcmp(a.words, b.words, a.size) == 0);
    CHECK(a.words != b.words); /* each caller gets its own copy */
    CHECK(a.size != c.size || memcmp(a.words, c.words, a.size) != 0);
    cs_cache_counters after = counters();
    CHECK(after.compile_hits >= before.compile_hits + 1);
    /* a compile error is not cached and stays an error */
    spirv_blob bad =
        harness_compile("[numthreads(1,1,1)] void main() { nope; }");
    CHECK(bad.words == NULL);
    bad = harness_compile("[numthreads(1,1,1)] void main() { nope; }");
    CHECK(bad.words == NULL);
    CHECK(strstr(cs_last_error(), "nope") != NULL);
    cs_free(a.words);
    cs_free(b.words);
    cs_free(c.words);
}

/* The names of the files of cache_dir that start with prefix,
 * newline-separated (each name followed by one), and their count. */
typedef struct file_names {
    const char *prefix;
    char *out;
    size_t capacity, count;
} file_names;

static void add_file_name(const char *name, void *arg)
{
    file_names *names = arg;
    if (strncmp(name, names->prefix, strlen(names->prefix)) != 0)
        return;
    names->count++;
    if (names->out && strlen(names->out) + strlen(name) + 2 < names->capacity) {
        strcat(names->out, name);
        strcat(names->out, "\n");
    }
}

/* Names of the "spirv-*" files of cache_dir, newline-separated. */
static void list_spirv_files(char *out, size_t capacity)
{
    out[0] = '\0';
    file_names names = {"spirv-", out, capacity, 0};
    cs_dir_list(cache_dir, add_file_name, &names);
}

/* The path of a spirv file of cache_dir not named in before. */
static bool new_spirv_file(const char *before, char *out, size_t capacity)
{
    char now[4096];
    list_spirv_files(now, sizeof now);
    for (char *name = now, *end; (end = strchr(name, '\n')); name = end + 1) {
        *end = '\0';
        if (!strstr(before, name)) {
            int written = snprintf(out, capacity, "%s/%s", cache_dir, name);
            return written > 0 && (size_t)written < capacity;
        }
    }
    return false;
}

static size_t count_files(const char *prefix)
{
    file_names names = {prefix, NULL, 0, 0};
    cs_dir_list(cache_dir, add_file_name, &names);
    return names.count;
}

static void test_disk_compile_cache(void)
{
    if (!harness_have_compiler()) /* counts the compile caches */
        return;
    static const char source[] =
        "RWStructuredBuffer<uint> o : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { o[0] = 77123; }\n";
    static char before_names[1 << 16];
    list_spirv_files(before_names, sizeof before_names);
    spirv_blob first = harness_compile(source);
    CHECK_OR_RETURN(first.words);
    char path[512];
    CHECK_OR_RETURN(new_spirv_file(before_names, path, sizeof path));

    /* from disk, same bytes */
    cs_compile_cache_clear_memory();
    cs_cache_counters before = counters();
    spirv_blob again = harness_compile(source);
    CHECK_OR_RETURN(again.words);
    CHECK(again.size == first.size &&
          memcmp(again.words, first.words, first.size) == 0);
    CHECK(counters().compile_disk_hits == before.compile_disk_hits + 1);
    cs_free(again.words);

    /* garbage: ignored, compiled afresh, rewritten */
    FILE *f = fopen(path, "wb");
    CHECK_OR_RETURN(f);
    fputs("not a cache file", f);
    fclose(f);
    cs_compile_cache_clear_memory();
    before = counters();
    again = harness_compile(source);
    CHECK_OR_RETURN(again.words);
    CHECK(again.size == first.size &&
          memcmp(again.words, first.words, first.size) == 0);
    CHECK(counters().compile_disk_rejected == before.compile_disk_rejected + 1);
    CHECK(counters().compile_disk_hits == before.compile_disk_hits);
    cs_free(again.words);

    /* a well-formed file (right key and hash) whose SPIR-V reflection
     * rejects: ignored */
    f = fopen(path, "rb");
    CHECK_OR_RETURN(f);
    static unsigned char bytes[1 << 16];
    size_t size = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    CHECK_OR_RETURN(size > first.size + 32);
    unsigned char *spirv = bytes + size - first.size;
    CHECK(memcmp(spirv, first.words, first.size) == 0);
    memset(spirv, 0, 4); /* the magic number */
    uint64_t hash = cs_hash64(spirv, first.size, 3);
    memcpy(bytes + 24, &hash, 8);
    f = fopen(path, "wb");
    CHECK_OR_RETURN(f);
    fwrite(bytes, 1, size, f);
    fclose(f);
    cs_compile_cache_clear_memory();
    before = counters();
    again = harness_compile(source);
    CHECK_OR_RETURN(again.words);
    CHECK(again.size == first.size &&
          memcmp(again.words, first.words, first.size) == 0);
    CHECK(counters().compile_disk_rejected == before.compile_disk_rejected + 1);
    cs_free(again.words);
    cs_free(first.words);
}

/* A fresh instance: creating a compute there and destroying the instance
 * writes the VkPipelineCache file; the next instance loads it. */
static void test_pipeline_cache_file(void)
{
    spirv_blob spirv = harness_compile(fill_source);
    CHECK_OR_RETURN(spirv.words);
    cs_instance_desc desc = harness_instance_desc();
    cs_instance *other = NULL;
    CHECK_OR_RETURN(cs_instance_create(&desc, &other) == CS_OK);
    cs_device *dev = cs_instance_get_device(other, 0);
    CHECK(run_fill(dev, &spirv));
    CHECK(harness_take_messages(dev) == 0);
    cs_instance_release(other);
    CHECK(count_files("pipelines-") == 1);

    cs_cache_counters before = counters();
    CHECK_OR_RETURN(cs_instance_create(&desc, &other) == CS_OK);
    dev = cs_instance_get_device(other, 0);
    CHECK(run_fill(dev, &spirv));
    CHECK(counters().pipeline_cache_loads == before.pipeline_cache_loads + 1);
    CHECK(harness_take_messages(dev) == 0);
    cs_instance_release(other);

    /* a header naming another device: not given to the driver */
    char names[1024] = "", path[512] = "";
    file_names found = {"pipelines-", names, sizeof names, 0};
    CHECK_OR_RETURN(cs_dir_list(cache_dir, add_file_name, &found));
    CHECK_OR_RETURN(found.count >= 1);
    *strchr(names, '\n') = '\0';
    int written = snprintf(path, sizeof path, "%s/%s", cache_dir, names);
    CHECK_OR_RETURN(written > 0 && (size_t)written < sizeof path);
    FILE *f = fopen(path, "r+b");
    CHECK_OR_RETURN(f);
    fseek(f, 16, SEEK_SET); /* the first byte of pipelineCacheUUID */
    int byte = fgetc(f);
    fseek(f, 16, SEEK_SET);
    fputc(byte ^ 0xff, f);
    fclose(f);
    before = counters();
    CHECK_OR_RETURN(cs_instance_create(&desc, &other) == CS_OK);
    dev = cs_instance_get_device(other, 0);
    CHECK(run_fill(dev, &spirv));
    CHECK(counters().pipeline_cache_rejected ==
          before.pipeline_cache_rejected + 1);
    CHECK(harness_take_messages(dev) == 0);
    cs_instance_release(other);
    cs_free(spirv.words);
}

static void test_unwritable_dir(void)
{
    if (!harness_have_compiler()) /* counts the compile caches */
        return;
    /* a directory under a regular file can never be made */
    char blocker[300], dir[400];
    snprintf(blocker, sizeof blocker, "%s/blocker", cache_dir);
    FILE *f = fopen(blocker, "w");
    CHECK_OR_RETURN(f);
    fclose(f);
    snprintf(dir, sizeof dir, "%s/sub/cache", blocker);
    cs_env_set("COMPUSHADY_CACHE_DIR", dir, true);
    static const char source[] =
        "RWStructuredBuffer<uint> output : register(u0);\n"
        "[numthreads(8, 1, 1)]\n"
        "void main(uint3 id : SV_DispatchThreadID) { output[id.x] = id.x * 3 "
        "+ 1; /* unwritable */ }\n";
    spirv_blob spirv = harness_compile(source);
    CHECK(spirv.words != NULL);
    cs_compile_cache_clear_memory();
    spirv_blob again = harness_compile(source);
    CHECK(again.words && again.size == spirv.size &&
          memcmp(again.words, spirv.words, spirv.size) == 0);
    cs_instance_desc desc = harness_instance_desc();
    cs_instance *other = NULL;
    if (spirv.words && cs_instance_create(&desc, &other) == CS_OK) {
        cs_device *dev = cs_instance_get_device(other, 0);
        CHECK(run_fill(dev, &spirv));
        CHECK(harness_take_messages(dev) == 0);
        cs_instance_release(other); /* saving fails silently */
    }
    /* and the disk caches off altogether */
    cs_env_set("COMPUSHADY_CACHE_DIR", "", true);
    cs_compile_cache_clear_memory();
    spirv_blob off = harness_compile(source);
    CHECK(off.words && off.size == spirv.size);
    cs_env_set("COMPUSHADY_CACHE_DIR", cache_dir, true);
    cs_free(spirv.words);
    cs_free(again.words);
    cs_free(off.words);
}

static spirv_blob thread_spirv;
static int create_many(void *arg)
{
    int *ok = arg;
    for (int i = 0; i < 20; i++)
        if (!run_fill(device, &thread_spirv))
            *ok = 0;
    return 0;
}

static void test_threads(void)
{
    static const char source[] =
        "RWStructuredBuffer<uint> output : register(u0);\n"
        "[numthreads(8, 1, 1)]\n"
        "void main(uint3 id : SV_DispatchThreadID) { output[id.x] = id.x * 3 "
        "+ 1; /* threads */ }\n";
    thread_spirv = harness_compile(source);
    CHECK_OR_RETURN(thread_spirv.words);
    cs_thread threads[4];
    int ok[4] = {1, 1, 1, 1};
    for (int i = 0; i < 4; i++)
        CHECK_OR_RETURN(cs_thread_create(&threads[i], create_many, &ok[i], 0));
    for (int i = 0; i < 4; i++) {
        cs_thread_join(threads[i], NULL);
        CHECK(ok[i]);
    }
    cs_free(thread_spirv.words);
}

/* The same module with another generator word (word 2 of the header, free
 * for tools to set): distinct bytes for every cache, the same shader. */
static spirv_blob variant_of(const spirv_blob *spirv, uint32_t generator)
{
    spirv_blob copy = {malloc(spirv->size), spirv->size};
    if (copy.words) {
        memcpy(copy.words, spirv->words, spirv->size);
        ((uint32_t *)copy.words)[2] = generator;
    }
    return copy;
}

/* cs_cache_set_limits: refused values, and each bound honoured: the
 * pipeline LRU evicts past its entries, the module cache is trimmed at
 * once, the driver's VkPipelineCache is replaced past its entries. */
static void test_limits(void)
{
    uint64_t entries = 0, bytes = 0;
    CHECK_FAILS(cs_cache_set_limits(CS_CACHE_PIPELINE, 0, 1),
                CS_ERROR_INVALID_ARGUMENT, "at least 1 entry");
    CHECK_FAILS(cs_cache_set_limits(CS_CACHE_PIPELINE, 1, 0),
                CS_ERROR_INVALID_ARGUMENT, "at least 1 entry and 1 byte");
    CHECK_FAILS(cs_cache_set_limits(CS_CACHE_KIND_COUNT, 1, 1),
                CS_ERROR_INVALID_ARGUMENT, "unknown cache kind");
    CHECK(cs_cache_check_environment() == CS_OK);
    uint64_t saved[CS_CACHE_KIND_COUNT][2];
    for (int kind = 0; kind < CS_CACHE_KIND_COUNT; kind++)
        CHECK(cs_cache_get_limits((cs_cache_kind)kind, &saved[kind][0],
                                  &saved[kind][1]) == CS_OK);
    CHECK(saved[CS_CACHE_PIPELINE][0] == 256 &&
          saved[CS_CACHE_DRIVER][0] == 1024);

    spirv_blob spirv = harness_compile(fill_source);
    CHECK_OR_RETURN(spirv.words);
    CHECK(cs_cache_set_limits(CS_CACHE_PIPELINE, 2, 1u << 30) == CS_OK);
    CHECK(cs_cache_set_limits(CS_CACHE_DRIVER, 3, 1u << 30) == CS_OK);
    CHECK(cs_cache_get_limits(CS_CACHE_DRIVER, &entries, &bytes) == CS_OK);
    CHECK(entries == 3 && bytes == 1u << 30);
    cs_cache_counters before = counters();
    enum { VARIANTS = 8 };
    for (uint32_t i = 0; i < VARIANTS; i++) {
        spirv_blob variant = variant_of(&spirv, 0x7e570000u + i);
        CHECK(variant.words && run_fill(device, &variant));
        free(variant.words);
    }
    cs_cache_counters after = counters();
    CHECK(after.pipeline_misses - before.pipeline_misses == VARIANTS);
    /* 8 pipelines into caches of 3: replaced after the 4th and the 8th */
    CHECK(after.pipeline_cache_recycled - before.pipeline_cache_recycled == 2);
    /* the first variant was evicted from the LRU of 2 */
    spirv_blob first = variant_of(&spirv, 0x7e570000u);
    CHECK(run_fill(device, &first));
    CHECK(counters().pipeline_misses == after.pipeline_misses + 1);
    /* the module cache: hits until it is trimmed to 1 entry, which drops
     * the module's reflection at once */
    after = counters();
    CHECK(run_fill(device, &first));
    CHECK(counters().module_misses == after.module_misses);
    CHECK(cs_cache_set_limits(CS_CACHE_MODULE, 1, 1u << 30) == CS_OK);
    CHECK(run_fill(device, &first));
    CHECK(counters().module_misses > after.module_misses);
    free(first.words);
    for (int kind = 0; kind < CS_CACHE_KIND_COUNT; kind++)
        CHECK(cs_cache_set_limits((cs_cache_kind)kind, saved[kind][0],
                                  saved[kind][1]) == CS_OK);
    CHECK(harness_take_messages(device) == 0);
    cs_free(spirv.words);
}

/* Removes the folder path and what it holds (files and folders). */
static void remove_entry(const char *name, void *arg)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", (const char *)arg, name);
    cs_file_remove(path);
    cs_dir_list(path, remove_entry, path); /* a folder: empty it */
    cs_dir_remove(path);
}

static bool remove_tree(const char *path)
{
    cs_dir_list(path, remove_entry, (void *)path);
    return cs_dir_remove(path);
}

int main(void)
{
    harness_pin_vulkan_libraries();
    const char *temporary = getenv("TMPDIR") ? getenv("TMPDIR")
                            : getenv("TEMP") ? getenv("TEMP")
                                             : "/tmp";
    snprintf(cache_dir, sizeof cache_dir, "%s/cs-cache-test-%d-%llu", temporary,
             cs_process_id(), (unsigned long long)cs_time_monotonic_ns());
    if (!cs_dir_make_all(cache_dir)) {
        fprintf(stderr, "cannot make %s\n", cache_dir);
        return 1;
    }
    cs_env_set("COMPUSHADY_CACHE_DIR", cache_dir, true);
    /* these tests are of compushady's own pipeline cache, which auto mode
     * leaves out on NVIDIA's driver (it keeps its own) */
    cs_env_set("COMPUSHADY_PIPELINE_CACHE", "own", true);
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"same_spirv_twice", test_same_spirv_twice},
        {"formats_make_pipelines", test_formats_make_pipelines},
        {"compile_cache", test_compile_cache},
        {"disk_compile_cache", test_disk_compile_cache},
        {"pipeline_cache_file", test_pipeline_cache_file},
        {"unwritable_dir", test_unwritable_dir},
        {"threads", test_threads},
        {"limits", test_limits},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    if (!remove_tree(cache_dir))
        fprintf(stderr, "could not remove %s\n", cache_dir);
    return harness_finish();
}

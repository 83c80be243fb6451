/* test_validate_once.c - a module is validated once per process
 * (validate.c remembers the valid ones): remembering never changes a
 * verdict, for generated mutations of compiled modules; what the compiler
 * produced is known valid without another validation; the set stays within
 * its bounds; cs_shader_prewarm and its refusals. No device needed. */
#include "harness.h"

#include "shader/shader_internal.h"

static void run(const char *name, void (*test)(void))
{
    atomic_store(&check_failures, 0);
    test();
    if (atomic_load(&check_failures) == 0) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s\n", name);
    }
}

/* A small HLSL shader, distinct for each k (malloc'd SPIR-V words). */
static uint32_t *compile_nth(int k, size_t *out_count)
{
    char source[256];
    snprintf(source, sizeof source,
             "RWStructuredBuffer<uint> d : register(u0);\n"
             "[numthreads(1, 1, 1)] void main() { d[0] = d[1] * %d + %d; }\n",
             k + 2, 3 * k + 1);
    cs_shader_compile_desc desc = {.language = CS_SHADER_HLSL,
                                   .source = source};
    void *spirv = NULL;
    size_t size = 0;
    if (cs_shader_compile(&desc, &spirv, &size) != CS_OK)
        return NULL;
    *out_count = size / 4;
    return spirv;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

/* Mutations of compiled modules (one word changed, or cut short), each
 * validated twice with the set in use, then once with it emptied: the three
 * verdicts agree, and a mutation that is invalid stays refused even after
 * its valid original was remembered. */
static void test_remembering_never_changes_a_verdict(void)
{
    int refused = 0;
    for (int k = 0; k < 12; k++) {
        size_t count = 0;
        uint32_t *words = compile_nth(k, &count);
        CHECK_OR_RETURN(words && count > 5);
        CHECK(cs_spirv_validate(words, count) == CS_OK);
        uint32_t *mutated = malloc(count * 4);
        CHECK_OR_RETURN(mutated);
        for (int m = 0; m < 40; m++) {
            memcpy(mutated, words, count * 4);
            size_t mutated_count = count;
            if (m % 8 == 7) {
                mutated_count = 5 + next_random() % (count - 5);
            } else {
                size_t at = next_random() % count;
                uint32_t value = m % 2 ? next_random() : next_random() % 64;
                if (value == mutated[at])
                    value ^= 1;
                mutated[at] = value;
            }
            cs_status first = cs_spirv_validate(mutated, mutated_count);
            cs_status second = cs_spirv_validate(mutated, mutated_count);
            cs_spirv_forget_valid();
            cs_status fresh = cs_spirv_validate(mutated, mutated_count);
            CHECK(first == second && second == fresh);
            refused += fresh != CS_OK;
            /* the original is known again: its mutation must still be
             * judged on its own */
            CHECK(cs_spirv_validate(words, count) == CS_OK);
            CHECK(cs_spirv_validate(mutated, mutated_count) == fresh);
        }
        free(mutated);
        cs_free(words);
    }
    CHECK(refused > 100); /* the mutations did make invalid modules */
}

/* What cs_shader_compile returns it validated: the module is in the set. */
static void test_compiled_modules_are_known(void)
{
    cs_spirv_forget_valid();
    size_t before_count = 0, before_bytes = 0;
    cs_spirv_known_valid_stats(&before_count, &before_bytes);
    CHECK(before_count == 0 && before_bytes == 0);
    size_t count = 0;
    uint32_t *words = compile_nth(1000, &count);
    CHECK_OR_RETURN(words);
    size_t known = 0, bytes = 0;
    cs_spirv_known_valid_stats(&known, &bytes);
    CHECK(known == 1 && bytes == count * 4);
    /* again, from the compile cache: known again after being forgotten */
    cs_free(words);
    cs_spirv_forget_valid();
    words = compile_nth(1000, &count);
    CHECK_OR_RETURN(words);
    cs_spirv_known_valid_stats(&known, &bytes);
    CHECK(known == 1 && bytes == count * 4);
    cs_free(words);
}

/* Thousands of distinct modules: the set keeps at most its entries and
 * bytes, and what it keeps is still answered. */
static void test_bounded(void)
{
    cs_spirv_forget_valid();
    size_t count = 0;
    uint32_t *words = compile_nth(7, &count);
    CHECK_OR_RETURN(words);
    size_t big_count = count + 60000; /* 240 KB: the byte budget bites */
    uint32_t *big = calloc(big_count, 4);
    CHECK_OR_RETURN(big);
    memcpy(big, words, count * 4);
    for (uint32_t i = 0; i < 2000; i++) {
        big[count] = i; /* distinct modules (not valid ones: the set only
                         * remembers what it is told) */
        cs_spirv_remember_valid(big, i % 2 ? big_count : count + 1);
        size_t known = 0, bytes = 0;
        cs_spirv_known_valid_stats(&known, &bytes);
        CHECK(known <= 512 && bytes <= (16u << 20));
        if (known > 512 || bytes > (16u << 20))
            break;
    }
    cs_spirv_forget_valid();
    size_t known = 0, bytes = 0;
    cs_spirv_known_valid_stats(&known, &bytes);
    CHECK(known == 0 && bytes == 0);
    free(big);
    cs_free(words);
}

/* cs_shader_prewarm: each language, then refusals of what is not one. */
static void test_prewarm(void)
{
    CHECK(cs_shader_prewarm(CS_SHADER_HLSL) == CS_OK);
    CHECK(cs_shader_prewarm(CS_SHADER_GLSL) == CS_OK);
    CHECK(cs_shader_prewarm(CS_SHADER_WGSL) == CS_OK);
    CHECK_FAILS(cs_shader_prewarm((cs_shader_language)99),
                CS_ERROR_INVALID_ARGUMENT, "unknown shader language 99");
    CHECK_FAILS(cs_shader_prewarm((cs_shader_language)-1),
                CS_ERROR_INVALID_ARGUMENT, "unknown shader language -1");
}

int main(void)
{
    /* the disk cache stays out of it: results depend on this run only */
    setenv("COMPUSHADY_CACHE_DIR", "0", 1);
    run("remembering_never_changes_a_verdict",
        test_remembering_never_changes_a_verdict);
    run("compiled_modules_are_known", test_compiled_modules_are_known);
    run("bounded", test_bounded);
    run("prewarm", test_prewarm);
    return harness_finish();
}

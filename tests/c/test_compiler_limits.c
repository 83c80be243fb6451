/* test_compiler_limits.c - compiles never overflow a stack (issue 12, item
 * 1): pathological sources are refused with the limit they hit, deep but
 * allowed ones compile, both from a thread whose own stack is far too small
 * for glslang's recursion; the source checks on their own (macro bombs,
 * macro cycles, exact limits, comments); concurrent compiles; the cost of
 * handing a compile to the compiler thread. No device needed. */
#include "harness.h"

#include "platform/platform.h"
#include "shader/shader_internal.h"
#include "shader/shader_libraries.h"

#include <time.h>

static const char *const hlsl_head =
    "RWStructuredBuffer<uint> d : register(u0);\n"
    "[numthreads(1, 1, 1)] void main() { uint c = d[1]; d[0] = ";
static const char *const glsl_head =
    "#version 450\nlayout(local_size_x = 1) in;\n"
    "layout(std430, binding = 2048) buffer B { uint d[]; };\n"
    "void main() { uint c = d[1]; d[0] = ";

/* head + open*n + middle + close*n + ";}" (malloc'd) */
static char *repeat_source(const char *head, const char *open,
                           const char *middle, const char *close, size_t n)
{
    size_t size =
        strlen(head) + n * (strlen(open) + strlen(close)) + strlen(middle) + 8;
    char *source = malloc(size);
    if (!source)
        return NULL;
    char *at = source;
    at += sprintf(at, "%s", head);
    for (size_t i = 0; i < n; i++)
        at += sprintf(at, "%s", open);
    at += sprintf(at, "%s", middle);
    for (size_t i = 0; i < n; i++)
        at += sprintf(at, "%s", close);
    sprintf(at, ";}\n");
    return source;
}

static cs_status compile(cs_shader_language language, const char *source)
{
    cs_shader_compile_desc desc = {.source = source, .language = language};
    void *spirv = NULL;
    size_t size = 0;
    cs_status status = cs_shader_compile(&desc, &spirv, &size);
    cs_free(spirv);
    return status;
}

/* >>compiles on a thread with a 256 KiB stack */

typedef struct small_stack_job {
    cs_shader_language language;
    size_t depth;
    cs_status status;
    char message[512];
} small_stack_job;

static int compile_parentheses(void *argument)
{
    small_stack_job *job = argument;
    char *source =
        repeat_source(job->language == CS_SHADER_HLSL ? hlsl_head : glsl_head,
                      "(", "c", ")", job->depth);
    job->status =
        source ? compile(job->language, source) : CS_ERROR_OUT_OF_HOST_MEMORY;
    snprintf(job->message, sizeof job->message, "%s", cs_last_error());
    free(source);
    return 0;
}

static void run_on_small_stack(small_stack_job *job)
{
    cs_thread thread;
    CHECK_OR_RETURN(
        cs_thread_create(&thread, compile_parentheses, job, 256 << 10));
    cs_thread_join(thread, NULL);
}

static void test_refused_and_compiled_from_a_small_stack(void)
{
    if (!harness_have_compiler())
        return;
    for (int l = 0; l < 2; l++) {
        cs_shader_language language = l ? CS_SHADER_GLSL : CS_SHADER_HLSL;
        small_stack_job deep = {.language = language, .depth = 50000};
        run_on_small_stack(&deep);
        CHECK(deep.status == CS_ERROR_SHADER_COMPILE);
        CHECK(strstr(deep.message, "limit CS_SHADER_MAX_NESTING") != NULL);
        /* ~2 MiB of glslang's stack: 8 times this thread's */
        small_stack_job allowed = {.language = language, .depth = 1000};
        run_on_small_stack(&allowed);
        CHECK(allowed.status == CS_OK);
        if (allowed.status != CS_OK)
            fprintf(stderr, "%s\n", allowed.message);
    }
}

/* >>the checks on their own */

static void test_macro_checks(void)
{
    CHECK_OK(
        cs_shader_check_macros("#define A 1\n#define B (A+A)\nB\n", 29, "s"));
    /* a macro does not expand inside itself: cycles are finite */
    const char *cycles = "#define A A B\n#define B A\nA B\n";
    CHECK_OK(cs_shader_check_macros(cycles, strlen(cycles), "s"));
    /* 2^40 tokens */
    char bomb[4096] = "#define A0 x\n";
    for (int i = 1; i <= 40; i++)
        sprintf(bomb + strlen(bomb), "#define A%d A%d A%d\n", i, i - 1, i - 1);
    strcat(bomb, "A40\n");
    CHECK_FAILS(cs_shader_check_macros(bomb, strlen(bomb), "s"),
                CS_ERROR_SHADER_COMPILE, "CS_SHADER_MAX_EXPANDED_TOKENS");
    /* a harmless redefinition (in another #if branch) does not hide a
     * parameter used 100 times: every definition of a name counts */
    char hidden[4096] = "#if 1\n#define X(a)";
    for (int i = 0; i < 100; i++)
        strcat(hidden, " a");
    strcat(hidden, "\n#else\n#define X(a) a\n#endif\nX(X(X(X(y))))\n");
    CHECK_FAILS(cs_shader_check_macros(hidden, strlen(hidden), "s"),
                CS_ERROR_SHADER_COMPILE, "CS_SHADER_MAX_EXPANDED_TOKENS");
    /* the same through a parameter used twice, nested invocations */
    char *arguments = repeat_source("#define D(x) x x\n", "D(", "y", ")", 40);
    CHECK_FAILS(cs_shader_check_macros(arguments, strlen(arguments), "s"),
                CS_ERROR_SHADER_COMPILE, "CS_SHADER_MAX_EXPANDED_TOKENS");
    free(arguments);
    /* token pasting: names it makes are not followed, so it is allowed
     * only with fewer macros than the chain limit */
    const char *pasting = "#define CAT(a, b) a##b\n#define A1 x\nCAT(A, 1)\n";
    CHECK_OK(cs_shader_check_macros(pasting, strlen(pasting), "s"));
    size_t many_size = (CS_SHADER_MAX_MACRO_DEPTH + 2) * 40;
    char *many = malloc(many_size);
    CHECK_OR_RETURN(many);
    char *end = many + sprintf(many, "#define CAT(a, b) a##b\n");
    for (int i = 0; i <= CS_SHADER_MAX_MACRO_DEPTH; i++)
        end += sprintf(end, "#define M%d CAT(M, %d)\n", i + 1, i);
    CHECK_FAILS(cs_shader_check_macros(many, strlen(many), "s"),
                CS_ERROR_SHADER_COMPILE, "s:1: error: token pasting (##)");
    free(many);
    /* a chain exactly at the limit passes, one more is refused */
    size_t capacity = (CS_SHADER_MAX_MACRO_DEPTH + 2) * 32;
    char *chain = malloc(capacity);
    CHECK_OR_RETURN(chain);
    for (int extra = 0; extra < 2; extra++) {
        int n = CS_SHADER_MAX_MACRO_DEPTH + extra;
        char *at = chain + sprintf(chain, "#define M0 1\n");
        for (int i = 1; i < n; i++)
            at += sprintf(at, "#define M%d M%d\n", i, i - 1);
        cs_status status = cs_shader_check_macros(chain, strlen(chain), "s");
        if (extra == 0)
            CHECK_OK(status);
        else
            CHECK(status == CS_ERROR_SHADER_COMPILE &&
                  strstr(cs_last_error(), "CS_SHADER_MAX_MACRO_DEPTH"));
    }
    free(chain);
}

static void test_nesting_checks(void)
{
    for (int extra = 0; extra < 2; extra++) {
        size_t n = CS_SHADER_MAX_NESTING + extra;
        char *source = repeat_source("", "(", "x", ")", n);
        CHECK_OR_RETURN(source);
        cs_status status = cs_shader_check_nesting(source, strlen(source), "s");
        if (extra == 0)
            CHECK_OK(status);
        else
            CHECK(status == CS_ERROR_SHADER_COMPILE &&
                  strstr(cs_last_error(), "s:1: error: nested parentheses"));
        free(source);
    }
    /* comments, strings, directives and exponents are not nesting or
     * operators */
    char *quiet = repeat_source("// ((((\n/* {{{{ */ \"((((\"\n#if ((((\n",
                                "1e-3+", "1", "", 20000);
    CHECK_OR_RETURN(quiet);
    CHECK_OK(cs_shader_check_nesting(quiet, strlen(quiet), "s"));
    free(quiet);
    /* unbraced if chains nest, sequential ifs do not */
    char *nested = repeat_source("", "if (a) ", "x", "", 2000);
    CHECK_FAILS(cs_shader_check_nesting(nested, strlen(nested), "s"),
                CS_ERROR_SHADER_COMPILE, "control statements");
    free(nested);
    char *sequential = repeat_source("", "if (a) x; ", "", "", 5000);
    CHECK_OK(cs_shader_check_nesting(sequential, strlen(sequential), "s"));
    free(sequential);
    char *chain = repeat_source("", "if (a) { x; } else ", "y", "", 2000);
    CHECK_FAILS(cs_shader_check_nesting(chain, strlen(chain), "s"),
                CS_ERROR_SHADER_COMPILE, "control statements");
    free(chain);
}

/* >>threads */

static atomic_int concurrent_failures;

static int compile_distinct(void *argument)
{
    size_t index = (size_t)argument;
    for (int i = 0; i < 4; i++) {
        char source[512];
        snprintf(source, sizeof source, "%s c + %zuu;}\n", hlsl_head,
                 index * 100 + (size_t)i + (size_t)time(NULL) % 1000 * 10000);
        if (compile(CS_SHADER_HLSL, source) != CS_OK)
            atomic_fetch_add(&concurrent_failures, 1);
    }
    return 0;
}

static void test_concurrent_compiles(void)
{
    if (!harness_have_compiler())
        return;
    cs_thread threads[8];
    for (size_t i = 0; i < 8; i++)
        CHECK(cs_thread_create(&threads[i], compile_distinct, (void *)i, 0));
    for (size_t i = 0; i < 8; i++)
        cs_thread_join(threads[i], NULL);
    CHECK(atomic_load(&concurrent_failures) == 0);
    CHECK(cs_compiler_thread_stack_size() >= CS_COMPILER_STACK_BYTES / 4);
}

static cs_status nothing(void *argument)
{
    (void)argument;
    return CS_OK;
}

static cs_status fail_with_message(void *argument)
{
    return cs_fail(CS_ERROR_SHADER_COMPILE, "job %s", (const char *)argument);
}

static void test_hand_over(void)
{
    CHECK_FAILS(cs_compiler_thread_run(fail_with_message, "seven"),
                CS_ERROR_SHADER_COMPILE, "job seven");
    enum { RUNS = 2000 };
    uint64_t start = cs_time_monotonic_ns();
    for (int i = 0; i < RUNS; i++)
        CHECK_OK(cs_compiler_thread_run(nothing, NULL));
    uint64_t end = cs_time_monotonic_ns();
    double us = (double)(end - start) / 1e3 / RUNS;
    printf("compiler thread hand-over: %.1f us per job\n", us);
    /* a compile takes milliseconds; a hand-over must stay far below */
    CHECK(us < 2000);
}

/* >>SPIR-V validation runs on the compiler thread too */

typedef struct validate_job {
    uint32_t *words;
    size_t count;
    cs_status status;
} validate_job;

static int validate_on_small_stack(void *argument)
{
    validate_job *job = argument;
    job->status = cs_spirv_validate(job->words, job->count);
    return 0;
}

/* A module with a chain of 200000 structs, each holding the previous:
 * the validator refuses it (nesting over 255) without overflowing, called
 * from a thread with a 256 KiB stack. (SPIRV-Tools 2023 finds this depth
 * without recursing; the compiler thread is the insurance for what does
 * recurse.) */
static void test_validation_of_deep_types_from_a_small_stack(void)
{
    if (cs_spirv_tools_load() != CS_OK) { /* nothing validates */
        harness_skip(cs_last_error());
        return;
    }
    enum { CHAIN = 200000 };
    size_t capacity = 64 + (size_t)CHAIN * 3;
    uint32_t *words = malloc(capacity * sizeof *words);
    CHECK_OR_RETURN(words);
    size_t n = 0;
    words[n++] = CS_SPIRV_MAGIC;
    words[n++] = 0x00010300u;
    words[n++] = 0;
    words[n++] = CHAIN + 10; /* id bound */
    words[n++] = 0;
    words[n++] = (2u << 16) | 17u; /* OpCapability Shader */
    words[n++] = 1;
    words[n++] = (3u << 16) | 14u; /* OpMemoryModel Logical GLSL450 */
    words[n++] = 0;
    words[n++] = 1;
    words[n++] = (4u << 16) | 21u; /* OpTypeInt %1 32 0 */
    words[n++] = 1;
    words[n++] = 32;
    words[n++] = 0;
    for (uint32_t id = 2; id < CHAIN + 2; id++) {
        words[n++] = (3u << 16) | 30u; /* OpTypeStruct %id %(id-1) */
        words[n++] = id;
        words[n++] = id - 1;
    }
    validate_job job = {words, n, CS_OK};
    cs_thread thread;
    CHECK(cs_thread_create(&thread, validate_on_small_stack, &job, 256 << 10));
    cs_thread_join(thread, NULL);
    CHECK(job.status == CS_ERROR_INVALID_SHADER);
    free(words);
}

static void run(const char *name, void (*test)(void))
{
    atomic_store(&check_failures, 0);
    skip_reason[0] = '\0';
    test();
    if (skip_reason[0]) {
        skipped++;
        printf("SKIP %s: %s\n", name, skip_reason);
    } else if (atomic_load(&check_failures) == 0) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s\n", name);
    }
}

int main(void)
{
    run("refused_and_compiled_from_a_small_stack",
        test_refused_and_compiled_from_a_small_stack);
    run("macro_checks", test_macro_checks);
    run("nesting_checks", test_nesting_checks);
    run("concurrent_compiles", test_concurrent_compiles);
    run("hand_over", test_hand_over);
    run("validation_of_deep_types_from_a_small_stack",
        test_validation_of_deep_types_from_a_small_stack);
    return harness_finish();
}

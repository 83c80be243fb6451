/* fuzz_reflect.c - cs_spirv_reflect (cs_shader_reflect without its cache) on
 * arbitrary bytes: it must fail cleanly or return a well-formed reflection,
 * never crash or leak. The input is used in place (libFuzzer gives an exactly
 * sized, aligned copy), and once more one byte off alignment to exercise the
 * unaligned path. */
#include "fuzz_common.h"

#include "shader/shader_internal.h"

static void check_reflection(const cs_shader_reflection *reflection)
{
    FUZZ_CHECK(memchr(reflection->entry_point, '\0',
                      sizeof reflection->entry_point) != NULL);
    FUZZ_CHECK((reflection->binding_count == 0) ==
               (reflection->bindings == NULL));
    for (uint32_t i = 0; i < reflection->binding_count; i++) {
        const cs_shader_binding *b = &reflection->bindings[i];
        FUZZ_CHECK(memchr(b->name, '\0', sizeof b->name) != NULL);
        FUZZ_CHECK(b->type <= CS_BINDING_SAMPLER);
        FUZZ_CHECK(b->dim <= CS_IMAGE_DIM_BUFFER);
        if (i > 0) {
            const cs_shader_binding *a = &reflection->bindings[i - 1];
            FUZZ_CHECK(a->set < b->set ||
                       (a->set == b->set && a->binding <= b->binding));
        }
    }
    for (int i = 0; i < 3; i++)
        FUZZ_CHECK(reflection->workgroup_size[i] != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cs_shader_reflection reflection;
    memset(&reflection, 0, sizeof reflection);
    cs_status status = cs_spirv_reflect(data, size, &reflection);
    uint32_t binding_count = reflection.binding_count;
    if (status == CS_OK) {
        check_reflection(&reflection);
        cs_shader_reflection_free(&reflection);
    } else {
        FUZZ_CHECK(cs_last_error()[0] != '\0');
    }

    /* the same bytes at an odd address: reflect copies them */
    uint8_t *shifted = malloc(size + 1);
    if (shifted == NULL)
        return 0;
    memcpy(shifted + 1, data, size);
    cs_shader_reflection again;
    memset(&again, 0, sizeof again);
    cs_status status_again = cs_spirv_reflect(shifted + 1, size, &again);
    FUZZ_CHECK(status_again == status);
    if (status_again == CS_OK) {
        FUZZ_CHECK(again.binding_count == binding_count);
        cs_shader_reflection_free(&again);
    }
    free(shifted);
    return 0;
}

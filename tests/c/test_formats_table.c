/*
 * test_formats_table.c - the one list of formats (CS_FORMAT_LIST of
 * include/compushady_formats.h) as each layer expands it: the CS_FORMAT_*
 * constants, the core's texel sizes, names and component types, the SPIR-V
 * storage image formats of the shader part. Needs no device.
 */
#include "harness.h"

#include "core/internal.h"
#include "shader/shader.h"

#include <spirv/unified1/spirv.h>

static void test_constants_and_core_columns(void)
{
    CHECK(CS_FORMAT_R8G8B8A8_UNORM == 28);
    CHECK(CS_FORMAT_R32_UINT == 42);
    CHECK(CS_FORMAT_B8G8R8A8_UNORM_SRGB == 91);
    size_t rows = 0;
#define CHECK_ROW(name, value, size, type, components, ...)                    \
    do {                                                                       \
        rows++;                                                                \
        CHECK(CS_FORMAT_##name == value);                                      \
        CHECK(cs_format_texel_size(value) == size);                            \
        CHECK(cs_format_name(value) &&                                         \
              strcmp(cs_format_name(value), #name) == 0);                      \
        CHECK(cs_format_component_type(value) == CS_COMPONENT_##type);         \
        CHECK(cs_format_component_count(value) == components);                 \
    } while (0);
    CS_FORMAT_LIST(CHECK_ROW)
#undef CHECK_ROW
    CHECK(rows == 44);
}

/* the spirv column: Unknown exactly where the list says so, and the
 * component type agrees with SPIR-V's format (…ui UINT, …i SINT) */
static void test_spirv_column(void)
{
#define CHECK_SPIRV(name, value, size, type, components, vulkan, spirv, ...)   \
    do {                                                                       \
        uint32_t got = cs_spirv_image_format_from_dxgi(value);                 \
        CHECK(got == (uint32_t)SpvImageFormat##spirv);                         \
        CHECK((got == SpvImageFormatUnknown) ==                                \
              (strcmp(#spirv, "Unknown") == 0));                               \
        const char *suffix = #spirv + strlen(#spirv) - 2;                      \
        if (got != SpvImageFormatUnknown)                                      \
            CHECK((CS_COMPONENT_##type == CS_COMPONENT_UINT) ==                \
                  (strcmp(suffix, "ui") == 0));                                \
    } while (0);
    CS_FORMAT_LIST(CHECK_SPIRV)
#undef CHECK_SPIRV
}

/* every value outside the list is unknown to every layer */
static void test_values_outside_the_list(void)
{
    for (uint32_t value = 0; value < 1024; value++) {
        bool listed = false;
#define IS_ROW(name, row_value, ...) listed |= value == row_value;
        CS_FORMAT_LIST(IS_ROW)
#undef IS_ROW
        if (listed)
            continue;
        CHECK(cs_format_texel_size(value) == 0);
        CHECK(cs_format_name(value) == NULL);
        CHECK(cs_format_component_type(value) == CS_COMPONENT_NONE);
        CHECK(cs_spirv_image_format_from_dxgi(value) == SpvImageFormatUnknown);
    }
}

int main(void)
{
    const test_case tests[] = {
        {"constants_and_core_columns", test_constants_and_core_columns},
        {"spirv_column", test_spirv_column},
        {"values_outside_the_list", test_values_outside_the_list},
    };
    HARNESS_RUN_TESTS(tests, NULL);
    return harness_finish();
}

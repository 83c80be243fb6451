/* shader_format.c - a compute's code from the format it is given in to
 * SPIR-V (what the core reflects and checks), and from SPIR-V to a format
 * a device takes, through the shader part's public functions
 * (cs_shader_compile, cs_shader_cross_compile). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cs_shader_format_name(cs_shader_format format)
{
    switch (format) {
    case CS_SHADER_FORMAT_SPIRV: return "SPIR-V";
    case CS_SHADER_FORMAT_GLSL: return "GLSL";
    case CS_SHADER_FORMAT_HLSL: return "HLSL";
    case CS_SHADER_FORMAT_MSL: return "MSL";
    case CS_SHADER_FORMAT_WGSL: return "WGSL";
    case CS_SHADER_FORMAT_NONE: break;
    }
    return "unknown";
}

void cs_shader_format_list(uint32_t formats, char *text, size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    for (uint32_t bit = 1; bit && used < size; bit <<= 1) {
        if (!(formats & bit))
            continue;
        int written =
            snprintf(text + used, size - used, "%s%s", used ? ", " : "",
                     cs_shader_format_name((cs_shader_format)bit));
        if (written < 0)
            break;
        used += (size_t)written;
    }
    if (!text[0])
        snprintf(text, size, "none");
}

static cs_status compile_source(cs_shader_language language, const void *code,
                                size_t size, const char *entry_point,
                                void **out_spirv, size_t *out_size)
{
    cs_shader_compile_desc compile = {
        .language = language,
        .source = code,
        .source_size = size,
        .entry_point = entry_point,
    };
    return cs_shader_compile(&compile, out_spirv, out_size);
}

cs_status cs_shader_to_spirv(cs_shader_format format, const void *code,
                             size_t size, const char *entry_point,
                             void **out_spirv, size_t *out_size)
{
    switch (format) {
    case CS_SHADER_FORMAT_GLSL:
        return compile_source(CS_SHADER_GLSL, code, size, entry_point,
                              out_spirv, out_size);
    case CS_SHADER_FORMAT_HLSL:
        return compile_source(CS_SHADER_HLSL, code, size, entry_point,
                              out_spirv, out_size);
    case CS_SHADER_FORMAT_WGSL:
        return compile_source(CS_SHADER_WGSL, code, size, entry_point,
                              out_spirv, out_size);
    case CS_SHADER_FORMAT_MSL:
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "a compute's code in MSL: compushady cannot compile "
                       "MSL to SPIR-V, which it needs to check the "
                       "shader's bindings; give SPIR-V, GLSL, HLSL or WGSL");
    case CS_SHADER_FORMAT_SPIRV:
    case CS_SHADER_FORMAT_NONE: break;
    }
    return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                   "unknown shader format %u, expected one "
                   "CS_SHADER_FORMAT_* value (SPIR-V, GLSL, HLSL, MSL, WGSL)",
                   (unsigned)format);
}

/* the formats SPIR-V can become, best first (SPIR-V as is) */
static const struct {
    cs_shader_format format;
    cs_cross_language cross;
} reachable[] = {
    {CS_SHADER_FORMAT_SPIRV, 0},
    {CS_SHADER_FORMAT_GLSL, CS_CROSS_GLSL},
    {CS_SHADER_FORMAT_HLSL, CS_CROSS_HLSL},
    {CS_SHADER_FORMAT_MSL, CS_CROSS_MSL},
};

cs_status cs_shader_from_spirv(const cs_shader_cross_desc *module,
                               uint32_t taken, const char *taker,
                               cs_shader_format *out_format, char **out_code,
                               size_t *out_size)
{
    for (size_t i = 0; i < sizeof reachable / sizeof reachable[0]; i++) {
        if (!(taken & reachable[i].format))
            continue;
        *out_format = reachable[i].format;
        if (reachable[i].format == CS_SHADER_FORMAT_SPIRV) {
            *out_code = NULL; /* the module itself */
            *out_size = module->spirv_size;
            return CS_OK;
        }
        cs_shader_cross_desc cross = *module;
        cross.language = reachable[i].cross;
        return cs_shader_cross_compile(&cross, out_code, out_size, NULL);
    }
    char formats[96];
    cs_shader_format_list(taken, formats, sizeof formats);
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "%s takes shaders as %s, which compushady cannot make "
                   "from SPIR-V (it makes SPIR-V, GLSL, HLSL and MSL)",
                   taker, formats);
}

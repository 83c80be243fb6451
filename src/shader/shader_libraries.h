/* shader_libraries.h - shaderc, SPIRV-Tools and SPIRV-Cross, linked in or
 * loaded at run time.
 *
 * Built with CS_SHADER_LIBRARIES_AT_RUN_TIME (the MinGW build: Debian
 * builds none of the three for Windows), each library's functions are
 * pointers, filled from its DLL (the Vulkan SDK's shaderc_shared.dll,
 * SPIRV-Tools-shared.dll, spirv-cross-c-shared.dll) by cs_shaderc_load(),
 * cs_spirv_tools_load() and cs_spirv_cross_load(), and the code that calls
 * them is unchanged: each name below is a macro for its pointer. Built
 * without it, the load functions say CS_OK and the libraries are linked.
 *
 * Include after the library's own header (shaderc.h, libspirv.h,
 * spirv_cross_c.h): the tables and macros of the headers included before
 * are declared. */
#ifndef CS_SHADER_LIBRARIES_H
#define CS_SHADER_LIBRARIES_H

#include "shader_internal.h"

#ifdef CS_SHADER_LIBRARIES_AT_RUN_TIME

#define CS_SHADERC_FUNCTIONS(X)                                                \
    X(shaderc_compile_into_preprocessed_text)                                  \
    X(shaderc_compile_into_spv)                                                \
    X(shaderc_compile_options_add_macro_definition)                            \
    X(shaderc_compile_options_initialize)                                      \
    X(shaderc_compile_options_release)                                         \
    X(shaderc_compile_options_set_auto_bind_uniforms)                          \
    X(shaderc_compile_options_set_binding_base)                                \
    X(shaderc_compile_options_set_forced_version_profile)                      \
    X(shaderc_compile_options_set_generate_debug_info)                         \
    X(shaderc_compile_options_set_hlsl_io_mapping)                             \
    X(shaderc_compile_options_set_hlsl_offsets)                                \
    X(shaderc_compile_options_set_optimization_level)                          \
    X(shaderc_compile_options_set_source_language)                             \
    X(shaderc_compile_options_set_target_env)                                  \
    X(shaderc_compile_options_set_target_spirv)                                \
    X(shaderc_compiler_initialize)                                             \
    X(shaderc_compiler_release)                                                \
    X(shaderc_result_get_bytes)                                                \
    X(shaderc_result_get_compilation_status)                                   \
    X(shaderc_result_get_error_message)                                        \
    X(shaderc_result_get_length)                                               \
    X(shaderc_result_release)

#define CS_SPIRV_TOOLS_FUNCTIONS(X)                                            \
    X(spvContextCreate)                                                        \
    X(spvContextDestroy)                                                       \
    X(spvDiagnosticDestroy)                                                    \
    X(spvValidateWithOptions)                                                  \
    X(spvValidatorOptionsCreate)                                               \
    X(spvValidatorOptionsDestroy)                                              \
    X(spvValidatorOptionsSetScalarBlockLayout)

#define CS_SPIRV_CROSS_FUNCTIONS(X)                                            \
    X(spvc_compiler_build_combined_image_samplers)                             \
    X(spvc_compiler_build_dummy_sampler_for_combined_images)                   \
    X(spvc_compiler_compile)                                                   \
    X(spvc_compiler_create_compiler_options)                                   \
    X(spvc_compiler_create_shader_resources)                                   \
    X(spvc_compiler_get_combined_image_samplers)                               \
    X(spvc_compiler_get_decoration)                                            \
    X(spvc_compiler_get_entry_points)                                          \
    X(spvc_compiler_get_name)                                                  \
    X(spvc_compiler_hlsl_add_resource_binding)                                 \
    X(spvc_compiler_install_compiler_options)                                  \
    X(spvc_compiler_msl_add_resource_binding)                                  \
    X(spvc_compiler_options_set_bool)                                          \
    X(spvc_compiler_options_set_uint)                                          \
    X(spvc_compiler_set_decoration)                                            \
    X(spvc_compiler_set_entry_point)                                           \
    X(spvc_compiler_set_name)                                                  \
    X(spvc_context_create)                                                     \
    X(spvc_context_create_compiler)                                            \
    X(spvc_context_destroy)                                                    \
    X(spvc_context_parse_spirv)                                                \
    X(spvc_context_set_error_callback)                                         \
    X(spvc_hlsl_resource_binding_init)                                         \
    X(spvc_msl_resource_binding_init)                                          \
    X(spvc_resources_get_resource_list_for_type)

/* Load the library on first use (later calls: the first one's result);
 * CS_ERROR_UNSUPPORTED, naming the DLL to install, when it is missing. */
cs_status cs_shaderc_load(void);
cs_status cs_spirv_tools_load(void);
cs_status cs_spirv_cross_load(void);

#define CS_LIBRARY_POINTER(name) __typeof__(&name) name;
#ifdef SHADERC_SHADERC_H_
typedef struct {
    CS_SHADERC_FUNCTIONS(CS_LIBRARY_POINTER)
} cs_shaderc_functions;
extern cs_shaderc_functions cs_shaderc;
#endif
#ifdef INCLUDE_SPIRV_TOOLS_LIBSPIRV_H_
typedef struct {
    CS_SPIRV_TOOLS_FUNCTIONS(CS_LIBRARY_POINTER)
} cs_spirv_tools_functions;
extern cs_spirv_tools_functions cs_spirv_tools;
#endif
#ifdef SPIRV_CROSS_C_API_H
typedef struct {
    CS_SPIRV_CROSS_FUNCTIONS(CS_LIBRARY_POINTER)
} cs_spirv_cross_functions;
extern cs_spirv_cross_functions cs_spirv_cross;
#endif
#undef CS_LIBRARY_POINTER

#ifndef CS_SHADER_LIBRARIES_DEFINE
#define shaderc_compile_into_preprocessed_text                                 \
    (cs_shaderc.shaderc_compile_into_preprocessed_text)
#define shaderc_compile_into_spv (cs_shaderc.shaderc_compile_into_spv)
#define shaderc_compile_options_add_macro_definition                           \
    (cs_shaderc.shaderc_compile_options_add_macro_definition)
#define shaderc_compile_options_initialize                                     \
    (cs_shaderc.shaderc_compile_options_initialize)
#define shaderc_compile_options_release                                        \
    (cs_shaderc.shaderc_compile_options_release)
#define shaderc_compile_options_set_auto_bind_uniforms                         \
    (cs_shaderc.shaderc_compile_options_set_auto_bind_uniforms)
#define shaderc_compile_options_set_binding_base                               \
    (cs_shaderc.shaderc_compile_options_set_binding_base)
#define shaderc_compile_options_set_forced_version_profile                     \
    (cs_shaderc.shaderc_compile_options_set_forced_version_profile)
#define shaderc_compile_options_set_generate_debug_info                        \
    (cs_shaderc.shaderc_compile_options_set_generate_debug_info)
#define shaderc_compile_options_set_hlsl_io_mapping                            \
    (cs_shaderc.shaderc_compile_options_set_hlsl_io_mapping)
#define shaderc_compile_options_set_hlsl_offsets                               \
    (cs_shaderc.shaderc_compile_options_set_hlsl_offsets)
#define shaderc_compile_options_set_optimization_level                         \
    (cs_shaderc.shaderc_compile_options_set_optimization_level)
#define shaderc_compile_options_set_source_language                            \
    (cs_shaderc.shaderc_compile_options_set_source_language)
#define shaderc_compile_options_set_target_env                                 \
    (cs_shaderc.shaderc_compile_options_set_target_env)
#define shaderc_compile_options_set_target_spirv                               \
    (cs_shaderc.shaderc_compile_options_set_target_spirv)
#define shaderc_compiler_initialize (cs_shaderc.shaderc_compiler_initialize)
#define shaderc_compiler_release (cs_shaderc.shaderc_compiler_release)
#define shaderc_result_get_bytes (cs_shaderc.shaderc_result_get_bytes)
#define shaderc_result_get_compilation_status                                  \
    (cs_shaderc.shaderc_result_get_compilation_status)
#define shaderc_result_get_error_message                                       \
    (cs_shaderc.shaderc_result_get_error_message)
#define shaderc_result_get_length (cs_shaderc.shaderc_result_get_length)
#define shaderc_result_release (cs_shaderc.shaderc_result_release)

#define spvContextCreate (cs_spirv_tools.spvContextCreate)
#define spvContextDestroy (cs_spirv_tools.spvContextDestroy)
#define spvDiagnosticDestroy (cs_spirv_tools.spvDiagnosticDestroy)
#define spvValidateWithOptions (cs_spirv_tools.spvValidateWithOptions)
#define spvValidatorOptionsCreate (cs_spirv_tools.spvValidatorOptionsCreate)
#define spvValidatorOptionsDestroy (cs_spirv_tools.spvValidatorOptionsDestroy)
#define spvValidatorOptionsSetScalarBlockLayout                                \
    (cs_spirv_tools.spvValidatorOptionsSetScalarBlockLayout)

#define spvc_compiler_build_combined_image_samplers                            \
    (cs_spirv_cross.spvc_compiler_build_combined_image_samplers)
#define spvc_compiler_build_dummy_sampler_for_combined_images                  \
    (cs_spirv_cross.spvc_compiler_build_dummy_sampler_for_combined_images)
#define spvc_compiler_compile (cs_spirv_cross.spvc_compiler_compile)
#define spvc_compiler_create_compiler_options                                  \
    (cs_spirv_cross.spvc_compiler_create_compiler_options)
#define spvc_compiler_create_shader_resources                                  \
    (cs_spirv_cross.spvc_compiler_create_shader_resources)
#define spvc_compiler_get_combined_image_samplers                              \
    (cs_spirv_cross.spvc_compiler_get_combined_image_samplers)
#define spvc_compiler_get_decoration                                           \
    (cs_spirv_cross.spvc_compiler_get_decoration)
#define spvc_compiler_get_entry_points                                         \
    (cs_spirv_cross.spvc_compiler_get_entry_points)
#define spvc_compiler_get_name (cs_spirv_cross.spvc_compiler_get_name)
#define spvc_compiler_hlsl_add_resource_binding                                \
    (cs_spirv_cross.spvc_compiler_hlsl_add_resource_binding)
#define spvc_compiler_install_compiler_options                                 \
    (cs_spirv_cross.spvc_compiler_install_compiler_options)
#define spvc_compiler_msl_add_resource_binding                                 \
    (cs_spirv_cross.spvc_compiler_msl_add_resource_binding)
#define spvc_compiler_options_set_bool                                         \
    (cs_spirv_cross.spvc_compiler_options_set_bool)
#define spvc_compiler_options_set_uint                                         \
    (cs_spirv_cross.spvc_compiler_options_set_uint)
#define spvc_compiler_set_decoration                                           \
    (cs_spirv_cross.spvc_compiler_set_decoration)
#define spvc_compiler_set_entry_point                                          \
    (cs_spirv_cross.spvc_compiler_set_entry_point)
#define spvc_compiler_set_name (cs_spirv_cross.spvc_compiler_set_name)
#define spvc_context_create (cs_spirv_cross.spvc_context_create)
#define spvc_context_create_compiler                                           \
    (cs_spirv_cross.spvc_context_create_compiler)
#define spvc_context_destroy (cs_spirv_cross.spvc_context_destroy)
#define spvc_context_parse_spirv (cs_spirv_cross.spvc_context_parse_spirv)
#define spvc_context_set_error_callback                                        \
    (cs_spirv_cross.spvc_context_set_error_callback)
#define spvc_hlsl_resource_binding_init                                        \
    (cs_spirv_cross.spvc_hlsl_resource_binding_init)
#define spvc_msl_resource_binding_init                                         \
    (cs_spirv_cross.spvc_msl_resource_binding_init)
#define spvc_resources_get_resource_list_for_type                              \
    (cs_spirv_cross.spvc_resources_get_resource_list_for_type)
#endif

#else

static inline cs_status cs_shaderc_load(void)
{
    return CS_OK;
}

static inline cs_status cs_spirv_tools_load(void)
{
    return CS_OK;
}

static inline cs_status cs_spirv_cross_load(void)
{
    return CS_OK;
}

#endif

#endif

/* cross.c - cs_shader_cross_compile: SPIR-V to GLSL, MSL or HLSL source
 * through SPIRV-Cross's C API, with the binding convention of compushady.h
 * carried over (for MSL, the way the original compushady numbered Metal's
 * buffer and texture slots). */
#include "shader_internal.h"

#include <spirv_cross/spirv_cross_c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* after the libraries' headers: their functions may be pointers */
#include "shader_libraries.h"

typedef struct cross_error {
    char message[512];
} cross_error;

static void record_error(void *userdata, const char *message)
{
    cross_error *error = userdata;
    snprintf(error->message, sizeof error->message, "%s", message);
}

static cs_status spvc_failure(spvc_result result, const cross_error *error,
                              const char *what)
{
    if (result == SPVC_ERROR_OUT_OF_MEMORY)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "SPIRV-Cross ran out of memory while %s", what);
    if (result == SPVC_ERROR_INVALID_SPIRV)
        return cs_fail(CS_ERROR_INVALID_SHADER, "SPIRV-Cross, %s: %s", what,
                       error->message[0] ? error->message
                                         : "the module is not valid SPIR-V");
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "SPIRV-Cross cannot translate this shader (%s): %s", what,
                   error->message[0] ? error->message : "no reason given");
}

/* The register class of a binding of the convention, and its index. */
static char register_class(uint32_t binding, uint32_t *out_index)
{
    if (binding >= CS_REGISTER_S_BASE) {
        *out_index = binding - CS_REGISTER_S_BASE;
        return 's';
    }
    if (binding >= CS_REGISTER_U_BASE) {
        *out_index = binding - CS_REGISTER_U_BASE;
        return 'u';
    }
    if (binding >= CS_REGISTER_T_BASE) {
        *out_index = binding - CS_REGISTER_T_BASE;
        return 't';
    }
    *out_index = binding;
    return 'b';
}

/* One descriptor of the module, for the MSL and HLSL slot assignment. */
typedef struct descriptor {
    uint32_t set, binding;
    bool buffer;  /* uniform or storage buffer: an MSL [[buffer]] */
    bool sampler; /* an MSL [[sampler]] */
} descriptor;

static int compare_descriptors(const void *a, const void *b)
{
    const descriptor *x = a, *y = b;
    if (x->binding != y->binding)
        return x->binding < y->binding ? -1 : 1;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    return 0;
}

static const spvc_resource_type descriptor_lists[] = {
    SPVC_RESOURCE_TYPE_UNIFORM_BUFFER, SPVC_RESOURCE_TYPE_STORAGE_BUFFER,
    SPVC_RESOURCE_TYPE_STORAGE_IMAGE,  SPVC_RESOURCE_TYPE_SAMPLED_IMAGE,
    SPVC_RESOURCE_TYPE_SEPARATE_IMAGE, SPVC_RESOURCE_TYPE_SEPARATE_SAMPLERS,
};

/* Every descriptor variable, sorted by binding: since the register classes
 * are binding ranges in the order b, t, u, s, that is the original's order
 * (b by binding, then t, u, s). *out is malloc'd. */
static cs_status list_descriptors(spvc_compiler compiler,
                                  const cross_error *error, descriptor **out,
                                  size_t *out_count)
{
    spvc_resources resources;
    spvc_result result =
        spvc_compiler_create_shader_resources(compiler, &resources);
    if (result != SPVC_SUCCESS)
        return spvc_failure(result, error, "listing the resources");
    size_t total = 0;
    for (size_t l = 0; l < sizeof descriptor_lists / sizeof *descriptor_lists;
         l++) {
        const spvc_reflected_resource *list;
        size_t count;
        if (spvc_resources_get_resource_list_for_type(
                resources, descriptor_lists[l], &list, &count) == SPVC_SUCCESS)
            total += count;
    }
    descriptor *all = calloc(total ? total : 1, sizeof *all);
    if (all == NULL)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate %zu descriptors", total);
    size_t filled = 0;
    for (size_t l = 0; l < sizeof descriptor_lists / sizeof *descriptor_lists;
         l++) {
        const spvc_reflected_resource *list;
        size_t count;
        if (spvc_resources_get_resource_list_for_type(
                resources, descriptor_lists[l], &list, &count) != SPVC_SUCCESS)
            continue;
        for (size_t i = 0; i < count && filled < total; i++) {
            descriptor *d = &all[filled++];
            d->set = spvc_compiler_get_decoration(compiler, list[i].id,
                                                  SpvDecorationDescriptorSet);
            d->binding = spvc_compiler_get_decoration(compiler, list[i].id,
                                                      SpvDecorationBinding);
            d->buffer =
                descriptor_lists[l] == SPVC_RESOURCE_TYPE_UNIFORM_BUFFER ||
                descriptor_lists[l] == SPVC_RESOURCE_TYPE_STORAGE_BUFFER;
            d->sampler =
                descriptor_lists[l] == SPVC_RESOURCE_TYPE_SEPARATE_SAMPLERS;
        }
    }
    qsort(all, filled, sizeof *all, compare_descriptors);
    *out = all;
    *out_count = filled;
    return CS_OK;
}

/* glslang names a buffer's block type after its variable (`data3` and
 * `data3`), which SPIRV-Cross then tells apart as `data3_1`, and leaves a
 * cbuffer's variable unnamed. DXC's way is kept instead: the variable keeps
 * its name (a cbuffer's variable takes the cbuffer's) and the block type is
 * `type_<name>`. */
static cs_status name_buffers(spvc_compiler compiler, const cross_error *error)
{
    static const spvc_resource_type buffer_lists[] = {
        SPVC_RESOURCE_TYPE_UNIFORM_BUFFER,
        SPVC_RESOURCE_TYPE_STORAGE_BUFFER,
    };
    spvc_resources resources;
    spvc_result result =
        spvc_compiler_create_shader_resources(compiler, &resources);
    if (result != SPVC_SUCCESS)
        return spvc_failure(result, error, "listing the resources");
    for (size_t l = 0; l < 2; l++) {
        const spvc_reflected_resource *list;
        size_t count;
        if (spvc_resources_get_resource_list_for_type(
                resources, buffer_lists[l], &list, &count) != SPVC_SUCCESS)
            continue;
        for (size_t i = 0; i < count; i++) {
            const char *variable = spvc_compiler_get_name(compiler, list[i].id);
            const char *type =
                spvc_compiler_get_name(compiler, list[i].base_type_id);
            char name[256];
            snprintf(name, sizeof name, "%s",
                     variable && *variable ? variable
                     : type                ? type
                                           : "");
            if (!*name || strncmp(name, "type_", 5) == 0)
                continue;
            char type_name[sizeof name + 8];
            snprintf(type_name, sizeof type_name, "type_%s", name);
            spvc_compiler_set_name(compiler, list[i].id, name);
            /* a type shared by several buffers is named after the first */
            if (!type || strncmp(type, "type_", 5) != 0)
                spvc_compiler_set_name(compiler, list[i].base_type_id,
                                       type_name);
        }
    }
    return CS_OK;
}

/* GLSL (not Vulkan GLSL) has no separate textures and samplers: each
 * pair used together becomes a combined sampler (a texture read without
 * one, `Texture2D.Load`, gets a dummy sampler), named after the texture
 * (texture_sampler for a real pair) and bound at the texture's binding. */
static cs_status combine_glsl_samplers(spvc_compiler compiler,
                                       const cross_error *error)
{
    spvc_variable_id dummy = 0;
    spvc_result result =
        spvc_compiler_build_dummy_sampler_for_combined_images(compiler, &dummy);
    if (result == SPVC_SUCCESS)
        result = spvc_compiler_build_combined_image_samplers(compiler);
    const spvc_combined_image_sampler *pairs = NULL;
    size_t count = 0;
    if (result == SPVC_SUCCESS)
        result =
            spvc_compiler_get_combined_image_samplers(compiler, &pairs, &count);
    if (result != SPVC_SUCCESS)
        return spvc_failure(result, error, "combining textures and samplers");
    for (size_t i = 0; i < count; i++) {
        const char *image = spvc_compiler_get_name(compiler, pairs[i].image_id);
        const char *sampler =
            spvc_compiler_get_name(compiler, pairs[i].sampler_id);
        char name[512];
        if (pairs[i].sampler_id == dummy || !sampler || !*sampler)
            snprintf(name, sizeof name, "%s", image ? image : "");
        else
            snprintf(name, sizeof name, "%s_%s", image ? image : "", sampler);
        if (*name)
            spvc_compiler_set_name(compiler, pairs[i].combined_id, name);
        spvc_compiler_set_decoration(
            compiler, pairs[i].combined_id, SpvDecorationDescriptorSet,
            spvc_compiler_get_decoration(compiler, pairs[i].image_id,
                                         SpvDecorationDescriptorSet));
        spvc_compiler_set_decoration(
            compiler, pairs[i].combined_id, SpvDecorationBinding,
            spvc_compiler_get_decoration(compiler, pairs[i].image_id,
                                         SpvDecorationBinding));
    }
    return CS_OK;
}

static cs_status map_msl_slots(spvc_compiler compiler, const descriptor *all,
                               size_t count, const cross_error *error)
{
    unsigned buffers = 0, textures = 0, samplers = 0;
    for (size_t i = 0; i < count; i++) {
        spvc_msl_resource_binding binding;
        spvc_msl_resource_binding_init(&binding);
        binding.stage = SpvExecutionModelGLCompute;
        binding.desc_set = all[i].set;
        binding.binding = all[i].binding;
        binding.msl_buffer = 0;
        binding.msl_texture = 0;
        binding.msl_sampler = 0;
        if (all[i].sampler)
            binding.msl_sampler = samplers++;
        else if (all[i].buffer)
            binding.msl_buffer = buffers++;
        else
            binding.msl_texture = textures++;
        spvc_result result =
            spvc_compiler_msl_add_resource_binding(compiler, &binding);
        if (result != SPVC_SUCCESS)
            return spvc_failure(result, error, "mapping Metal slots");
    }
    return CS_OK;
}

static cs_status map_hlsl_registers(spvc_compiler compiler,
                                    const descriptor *all, size_t count,
                                    const cross_error *error)
{
    for (size_t i = 0; i < count; i++) {
        uint32_t index;
        register_class(all[i].binding, &index);
        spvc_hlsl_resource_binding binding;
        spvc_hlsl_resource_binding_init(&binding);
        binding.stage = SpvExecutionModelGLCompute;
        binding.desc_set = all[i].set;
        binding.binding = all[i].binding;
        /* SPIRV-Cross picks the mapping of the resource's own class */
        spvc_hlsl_resource_binding_mapping mapping = {all[i].set, index};
        binding.cbv = binding.srv = binding.uav = binding.sampler = mapping;
        spvc_result result =
            spvc_compiler_hlsl_add_resource_binding(compiler, &binding);
        if (result != SPVC_SUCCESS)
            return spvc_failure(result, error, "mapping HLSL registers");
    }
    return CS_OK;
}

static cs_status set_options(spvc_compiler compiler, cs_cross_language language,
                             const cross_error *error)
{
    spvc_compiler_options options;
    spvc_result result =
        spvc_compiler_create_compiler_options(compiler, &options);
    if (result == SPVC_SUCCESS) {
        switch (language) {
        case CS_CROSS_GLSL:
            spvc_compiler_options_set_uint(
                options, SPVC_COMPILER_OPTION_GLSL_VERSION, 450);
            spvc_compiler_options_set_bool(options,
                                           SPVC_COMPILER_OPTION_GLSL_ES, false);
            break;
        case CS_CROSS_MSL:
            spvc_compiler_options_set_uint(options,
                                           SPVC_COMPILER_OPTION_MSL_VERSION,
                                           SPVC_MAKE_MSL_VERSION(2, 3, 0));
            break;
        case CS_CROSS_HLSL:
            spvc_compiler_options_set_uint(
                options, SPVC_COMPILER_OPTION_HLSL_SHADER_MODEL, 50);
            break;
        }
        result = spvc_compiler_install_compiler_options(compiler, options);
    }
    if (result != SPVC_SUCCESS)
        return spvc_failure(result, error, "setting its options");
    return CS_OK;
}

static cs_status translate(const uint32_t *words, size_t word_count,
                           const cs_shader_cross_desc *desc,
                           const char *entry_point, char **out_source,
                           size_t *out_size)
{
    static const spvc_backend backends[] = {
        [CS_CROSS_GLSL] = SPVC_BACKEND_GLSL,
        [CS_CROSS_MSL] = SPVC_BACKEND_MSL,
        [CS_CROSS_HLSL] = SPVC_BACKEND_HLSL,
    };
    cross_error error = {{0}};
    spvc_context context = NULL;
    if (spvc_context_create(&context) != SPVC_SUCCESS)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY, "cannot start SPIRV-Cross");
    spvc_context_set_error_callback(context, record_error, &error);
    spvc_parsed_ir ir;
    spvc_compiler compiler;
    descriptor *all = NULL;
    size_t count = 0;
    const char *text = NULL;
    cs_status status = CS_OK;
    spvc_result result =
        spvc_context_parse_spirv(context, words, word_count, &ir);
    if (result != SPVC_SUCCESS) {
        status = spvc_failure(result, &error, "reading the module");
        goto done;
    }
    result = spvc_context_create_compiler(context, backends[desc->language], ir,
                                          SPVC_CAPTURE_MODE_TAKE_OWNERSHIP,
                                          &compiler);
    if (result != SPVC_SUCCESS) {
        status = spvc_failure(result, &error, "starting the translator");
        goto done;
    }
    /* set_entry_point aborts (an uncaught exception in SPIRV-Cross 2021)
     * for a name the module lacks: look first */
    const spvc_entry_point *entries = NULL;
    size_t entry_count = 0;
    bool found = false;
    if (spvc_compiler_get_entry_points(compiler, &entries, &entry_count) ==
        SPVC_SUCCESS)
        for (size_t i = 0; i < entry_count && !found; i++)
            found = entries[i].execution_model == SpvExecutionModelGLCompute &&
                    strcmp(entries[i].name, entry_point) == 0;
    if (found)
        result = spvc_compiler_set_entry_point(compiler, entry_point,
                                               SpvExecutionModelGLCompute);
    if (!found || result != SPVC_SUCCESS) {
        status = cs_fail(CS_ERROR_INVALID_ARGUMENT,
                         "the module has no compute entry point \"%s\"",
                         entry_point);
        goto done;
    }
    status = set_options(compiler, desc->language, &error);
    if (status == CS_OK)
        status = name_buffers(compiler, &error);
    if (status == CS_OK && desc->language == CS_CROSS_GLSL)
        status = combine_glsl_samplers(compiler, &error);
    if (status == CS_OK && desc->language != CS_CROSS_GLSL)
        status = list_descriptors(compiler, &error, &all, &count);
    if (status == CS_OK && desc->language == CS_CROSS_MSL)
        status = map_msl_slots(compiler, all, count, &error);
    if (status == CS_OK && desc->language == CS_CROSS_HLSL)
        status = map_hlsl_registers(compiler, all, count, &error);
    if (status != CS_OK)
        goto done;
    result = spvc_compiler_compile(compiler, &text);
    if (result != SPVC_SUCCESS) {
        status = spvc_failure(result, &error, "translating");
        goto done;
    }
    size_t length = strlen(text);
    char *copy = malloc(length + 1);
    if (copy == NULL) {
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "cannot allocate %zu bytes of shader source", length);
        goto done;
    }
    memcpy(copy, text, length + 1);
    *out_source = copy;
    *out_size = length;
done:
    free(all);
    spvc_context_destroy(context);
    return status;
}

typedef struct translate_job {
    const uint32_t *words;
    size_t word_count;
    const cs_shader_cross_desc *desc;
    const char *entry_point;
    char **out_source;
    size_t *out_size;
} translate_job;

static cs_status run_translate_job(void *argument)
{
    translate_job *job = argument;
    return translate(job->words, job->word_count, job->desc, job->entry_point,
                     job->out_source, job->out_size);
}

static cs_status patch_storage_formats(const cs_shader_cross_desc *desc,
                                       const cs_spirv *module,
                                       uint32_t **out_words, size_t *out_count)
{
    if (!desc->storage_bindings || !desc->storage_formats)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_shader_cross_desc: storage_count is %u but "
                       "storage_bindings or storage_formats is NULL",
                       desc->storage_count);
    uint32_t *spirv_formats =
        malloc(desc->storage_count * sizeof *spirv_formats);
    if (!spirv_formats)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory for storage formats");
    for (uint32_t i = 0; i < desc->storage_count; i++)
        spirv_formats[i] =
            cs_spirv_image_format_from_dxgi(desc->storage_formats[i]);
    cs_status status = cs_spirv_patch_image_formats(
        module->words, module->word_count, desc->storage_bindings,
        spirv_formats, desc->storage_count, out_words, out_count);
    free(spirv_formats);
    return status;
}

cs_status cs_shader_cross_compile(const cs_shader_cross_desc *desc,
                                  char **out_source, size_t *out_size,
                                  uint32_t out_workgroup_size[3])
{
    if (desc == NULL || out_source == NULL || out_size == NULL)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_shader_cross_compile needs desc, out_source and "
                       "out_size");
    if (desc->language != CS_CROSS_GLSL && desc->language != CS_CROSS_MSL &&
        desc->language != CS_CROSS_HLSL)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "unknown cross-compile language %d, expected "
                       "CS_CROSS_GLSL, CS_CROSS_MSL or CS_CROSS_HLSL",
                       (int)desc->language);
    cs_status status = cs_spirv_cross_load();
    if (status != CS_OK)
        return status;
    /* reflection checks the module as the rest of the library does, and
     * finds the entry point and its workgroup size */
    cs_shader_reflection reflection;
    status = cs_spirv_reflect(desc->spirv, desc->spirv_size, &reflection);
    if (status != CS_OK)
        return status;
    char entry_point[sizeof reflection.entry_point];
    snprintf(entry_point, sizeof entry_point, "%s",
             desc->entry_point && *desc->entry_point ? desc->entry_point
                                                     : reflection.entry_point);
    uint32_t workgroup_size[3];
    memcpy(workgroup_size, reflection.workgroup_size, sizeof workgroup_size);
    cs_shader_reflection_free(&reflection);

    cs_spirv module;
    uint32_t *copy = NULL;
    status = cs_spirv_open_bytes(desc->spirv, desc->spirv_size, &module, &copy);
    if (status != CS_OK)
        return status;
    /* the storage formats of the resources bound, when given */
    uint32_t *patched = NULL;
    size_t patched_count = 0;
    if (desc->storage_count > 0)
        status = patch_storage_formats(desc, &module, &patched, &patched_count);
    uint32_t *decorated = NULL;
    size_t decorated_count = 0;
    if (status == CS_OK)
        status = cs_spirv_decorate_image_access(
            patched ? patched : module.words,
            patched ? patched_count : module.word_count, &decorated,
            &decorated_count);
    free(patched);
    free(copy);
    if (status != CS_OK)
        return status;
    /* on a compiler thread: its large stack also covers SPIRV-Cross's
     * recursion over deeply nested control flow */
    translate_job job = {decorated,   decorated_count, desc,
                         entry_point, out_source,      out_size};
    status = cs_compiler_thread_run(run_translate_job, &job);
    free(decorated);
    if (status == CS_OK && out_workgroup_size)
        memcpy(out_workgroup_size, workgroup_size, sizeof workgroup_size);
    return status;
}

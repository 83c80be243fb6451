/* gl_compute.c - compute programs from SPIR-V (GL_ARB_gl_spirv), the
 * per-kind binding points their resources go to, and dispatches. */
#include "gl_internal.h"

#include "../../shader/shader.h"

#include <spirv/unified1/spirv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[GL_KIND_COUNT] = {
    "uniform buffers (cbuffers, and one for push constants)",
    "shader storage buffers (StructuredBuffer, ByteAddressBuffer and their "
    "RW forms)",
    "image units (RWTexture*, RWBuffer)",
    "texture units (Texture*, Buffer)",
    "samplers",
};

static gl_binding_kind kind_of(cs_binding_type type)
{
    switch (type) {
    case CS_BINDING_CONSTANT_BUFFER: return GL_KIND_UNIFORM_BUFFER;
    case CS_BINDING_STORAGE_BUFFER: return GL_KIND_STORAGE_BUFFER;
    case CS_BINDING_STORAGE_TEXEL_BUFFER:
    case CS_BINDING_STORAGE_IMAGE: return GL_KIND_IMAGE;
    case CS_BINDING_UNIFORM_TEXEL_BUFFER:
    case CS_BINDING_SAMPLED_IMAGE: return GL_KIND_TEXTURE;
    case CS_BINDING_SAMPLER: return GL_KIND_SAMPLER;
    }
    return GL_KIND_COUNT;
}

static uint32_t kind_limit(const gl_limits *limits, gl_binding_kind kind)
{
    switch (kind) {
    case GL_KIND_UNIFORM_BUFFER:
        return (uint32_t)(limits->uniform_buffers <
                                  limits->uniform_buffer_bindings
                              ? limits->uniform_buffers
                              : limits->uniform_buffer_bindings);
    case GL_KIND_STORAGE_BUFFER:
        return (uint32_t)(limits->storage_buffers <
                                  limits->storage_buffer_bindings
                              ? limits->storage_buffers
                              : limits->storage_buffer_bindings);
    case GL_KIND_IMAGE: return (uint32_t)limits->images;
    default: return (uint32_t)limits->textures;
    }
}

static int32_t slot_of(const cs_compute *compute, uint32_t binding)
{
    for (uint32_t i = 0; i < compute->slot_count; i++)
        if (compute->slots[i].binding.binding == binding)
            return (int32_t)i;
    return -1;
}

/* GL samples a texture with the sampler object on its unit: each texture
 * gets the one sampler the shader samples it with. */
static cs_status pair_samplers(const cs_compute *compute, gl_binding *bindings)
{
    const cs_shader_reflection *shader = &compute->reflection;
    for (uint32_t i = 0; i < shader->sampling_count; i++) {
        const cs_shader_sampling *use = &shader->samplings[i];
        int32_t image = slot_of(compute, use->image_binding);
        int32_t sampler = slot_of(compute, use->sampler_binding);
        if (image < 0 || sampler < 0)
            return gl_unsupported(
                "a texture or sampler chosen at run time (not traceable to "
                "one variable)");
        if (bindings[image].sampler_slot >= 0 &&
            bindings[image].sampler_slot != sampler)
            return cs_fail(CS_ERROR_UNSUPPORTED,
                           "register t%u is sampled with two samplers; "
                           "OpenGL ties one sampler to a texture unit, so "
                           "this is not supported by the OpenGL backend",
                           compute->slots[image].binding.binding % 1024);
        bindings[image].sampler_slot = sampler;
    }
    return CS_OK;
}

/* Binding points per kind, in the order of the shader's bindings; checked
 * against the device's limits (GL would ignore a binding past them). */
static cs_status choose_bindings(const cs_compute *compute, gl_device *dev,
                                 gl_binding *bindings, GLuint *out_push_unit)
{
    uint32_t next[GL_KIND_COUNT] = {0};
    for (uint32_t i = 0; i < compute->slot_count; i++) {
        const cs_shader_binding *binding = &compute->slots[i].binding;
        gl_binding_kind kind = kind_of(binding->type);
        if (binding->array_size != 1)
            return gl_unsupported("arrays of descriptors (bindless)");
        /* each resource's format has the use its binding makes of it:
         * the core checked (format_support.c, from format_support) */
        bindings[i].kind = kind;
        bindings[i].unit = kind == GL_KIND_SAMPLER ? 0 : next[kind]++;
        bindings[i].sampler_slot = -1;
    }
    cs_status status = pair_samplers(compute, bindings);
    if (status != CS_OK)
        return status;
    *out_push_unit = next[GL_KIND_UNIFORM_BUFFER];
    if (compute->push_size)
        next[GL_KIND_UNIFORM_BUFFER]++;
    for (int kind = 0; kind < GL_KIND_SAMPLER; kind++) {
        uint32_t limit = kind_limit(&dev->limits, (gl_binding_kind)kind);
        if (next[kind] > limit)
            return cs_fail(CS_ERROR_UNSUPPORTED,
                           "the shader needs %u %s, more than the %u device "
                           "'%s' offers to a compute shader in OpenGL",
                           next[kind], kind_names[kind], limit,
                           compute->device->info.name);
    }
    return CS_OK;
}

/* Without GL_ARB_gl_spirv: the rewritten module (GL's bindings, push
 * constants in a uniform block, combined samplers) as GLSL 450 through
 * SPIRV-Cross, compiled by the driver. */
/* Whether shader compiled; else its log in log (and it is deleted). */
static bool compiled(GLuint shader, char *log, size_t capacity)
{
    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok)
        return true;
    glGetShaderInfoLog(shader, (GLsizei)capacity, NULL, log);
    if (!log[0])
        snprintf(log, capacity, "no message");
    glDeleteShader(shader);
    gl_discard_errors(); /* the refusal is the message, not a GL error */
    return false;
}

/* The rewritten module (GL's bindings, push constants in a uniform block,
 * combined samplers) as GLSL 450 through SPIRV-Cross, compiled by the
 * driver: for devices without GL_ARB_gl_spirv, and drivers that refuse a
 * module. *out_shader 0 and why filled when it cannot. */
static void glsl_shader(cs_compute *compute, const uint32_t *words,
                        size_t word_count, GLuint *out_shader, char *why,
                        size_t why_size)
{
    *out_shader = 0;
    const cs_shader_cross_desc desc = {
        .language = CS_CROSS_GLSL,
        .spirv = words,
        .spirv_size = word_count * 4,
        .entry_point = compute->entry_point,
    };
    char *source = NULL;
    size_t size = 0;
    if (cs_shader_cross_compile(&desc, &source, &size, NULL) != CS_OK) {
        snprintf(why, why_size, "%s", cs_last_error());
        return;
    }
    GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
    const GLchar *text = source;
    const GLint length = (GLint)size;
    glShaderSource(shader, 1, &text, &length);
    glCompileShader(shader);
    cs_free(source);
    char log[1024] = "";
    if (!compiled(shader, log, sizeof log)) {
        /* the log is cut to what why holds (%.900s: the message is
         * shorter than both buffers, whatever the driver wrote) */
        snprintf(why, why_size, "the driver refused the GLSL: %.900s", log);
        return;
    }
    *out_shader = shader;
}

/* The words through glShaderBinary + glSpecializeShader; false with the
 * driver's log when it refuses them. */
static bool specialized(cs_compute *compute, const uint32_t *words,
                        size_t word_count, GLuint *out_shader, char *log,
                        size_t log_size)
{
    GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
    glShaderBinary(1, &shader, GL_SHADER_BINARY_FORMAT_SPIR_V, words,
                   (GLsizei)(word_count * 4));
    glSpecializeShader(shader, compute->entry_point, 0, NULL, NULL);
    if (!compiled(shader, log, log_size))
        return false;
    *out_shader = shader;
    return true;
}

static cs_status compile_either(gl_device *dev, cs_compute *compute,
                                const uint32_t *words, size_t word_count,
                                GLuint *out_shader)
{
    char spirv_log[1024] = "";
    if (dev->has_spirv) {
        if (specialized(compute, words, word_count, out_shader, spirv_log,
                        sizeof spirv_log))
            return CS_OK;
        /* GL_ARB_gl_spirv names SPIR-V 1.0; the compilers write 1.3
         * modules that mostly use nothing newer: a driver that holds to
         * 1.0 may take the same words as 1.0 */
        uint32_t *as_1_0 = malloc(word_count * sizeof *as_1_0);
        if (as_1_0 && words[1] > 0x00010000u) {
            memcpy(as_1_0, words, word_count * sizeof *as_1_0);
            as_1_0[1] = 0x00010000u;
            char ignored[1024] = "";
            bool taken = specialized(compute, as_1_0, word_count, out_shader,
                                     ignored, sizeof ignored);
            free(as_1_0);
            if (taken)
                return CS_OK;
        } else {
            free(as_1_0);
        }
    }
    char why[1024] = "";
    glsl_shader(compute, words, word_count, out_shader, why, sizeof why);
    if (*out_shader)
        return CS_OK;
    if (dev->has_spirv)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "the OpenGL driver of device '%s' refused the SPIR-V "
                       "(glSpecializeShader): %s; as GLSL it fails too: %s",
                       compute->device->info.name, spirv_log, why);
    return cs_fail(CS_ERROR_UNSUPPORTED,
                   "device '%s' has no GL_ARB_gl_spirv, and the shader "
                   "cannot be expressed in GLSL for it: %s",
                   compute->device->info.name, why);
}

/* The compute shader: the SPIR-V through GL_ARB_gl_spirv, or GLSL when the
 * device has no such extension or its driver refuses the module; the
 * driver's words on a refused module go into the message, not the debug
 * messages (a refusal the GLSL way repairs is no error). */
static cs_status compile_shader(gl_device *dev, cs_compute *compute,
                                const uint32_t *words, size_t word_count,
                                GLuint *out_shader)
{
    dev->muted = true;
    cs_status status =
        compile_either(dev, compute, words, word_count, out_shader);
    dev->muted = false;
    return status;
}

static cs_status build_program(gl_device *dev, cs_compute *compute,
                               const uint32_t *words, size_t word_count,
                               GLuint *out_program)
{
    GLuint shader = 0;
    cs_status status = compile_shader(dev, compute, words, word_count, &shader);
    if (status != CS_OK)
        return status;
    GLuint program = glCreateProgram();
    glAttachShader(program, shader);
    glLinkProgram(program);
    glDeleteShader(shader);
    GLint ok = GL_FALSE;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetProgramInfoLog(program, sizeof log, NULL, log);
        glDeleteProgram(program);
        gl_discard_errors();
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "the OpenGL driver of device '%s' cannot link the "
                       "shader: %s",
                       compute->device->info.name, log[0] ? log : "no message");
    }
    *out_program = program;
    return gl_check(dev, "building a compute program");
}

/* Deletes the compute's GL objects (a gl_destroy_job too). */
static void free_compute(void *arg)
{
    gl_compute *impl = arg;
    if (impl->program)
        glDeleteProgram(impl->program);
    if (impl->push_buffer)
        glDeleteBuffers(1, &impl->push_buffer);
}

static cs_status create_on_owner(gl_device *dev, void *arg)
{
    cs_compute *compute = arg;
    gl_compute *impl = calloc(1, sizeof *impl);
    gl_binding *bindings = calloc(compute->slot_count + 1, sizeof *bindings);
    if (!impl || !bindings) {
        free(impl);
        free(bindings);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a compute");
    }
    impl->bindings = bindings;
    cs_status status =
        choose_bindings(compute, dev, bindings, &impl->push_unit);
    /* storage images declare the format of the resource bound (GL's image
     * unit format must match it), then the rewrite for GL */
    cs_storage_binding *storage = NULL;
    size_t storage_count = 0;
    const uint32_t *prepared_words = NULL;
    size_t prepared_count = 0;
    cs_prepared_module *prepared = NULL;
    if (status == CS_OK)
        status = cs_compute_storage_bindings(compute, &storage, &storage_count);
    if (status == CS_OK)
        status = cs_spirv_prepare_storage_formats(
            compute->spirv, compute->spirv_size / 4, storage, storage_count,
            &prepared_words, &prepared_count, &prepared);
    free(storage);
    if (status == CS_OK && !dev->has_load_formatted &&
        cs_spirv_declares_capability(
            prepared_words, prepared_count,
            SpvCapabilityStorageImageReadWithoutFormat))
        status = cs_fail(CS_ERROR_UNSUPPORTED,
                         "the shader reads a storage image whose format has "
                         "no SPIR-V image format, and device '%s' cannot "
                         "read images without a format in OpenGL "
                         "(GL_EXT_shader_image_load_formatted); shaders that "
                         "only write it work",
                         compute->device->info.name);
    uint32_t *words = NULL;
    size_t word_count = 0;
    if (status == CS_OK)
        status =
            gl_spirv_rewrite(compute, prepared_words, prepared_count, bindings,
                             impl->push_unit, &words, &word_count);
    cs_prepared_module_free(prepared);
    /* for debugging the rewrite: the words GL gets (docs/opengl.md) */
    if (status == CS_OK && getenv("COMPUSHADY_GL_DUMP_SPIRV")) {
        FILE *dump = fopen(getenv("COMPUSHADY_GL_DUMP_SPIRV"), "wb");
        if (dump) {
            fwrite(words, 4, word_count, dump);
            fclose(dump);
        }
    }
    if (status == CS_OK)
        status = build_program(dev, compute, words, word_count, &impl->program);
    free(words);
    if (status == CS_OK && compute->push_size) {
        glCreateBuffers(1, &impl->push_buffer);
        glNamedBufferStorage(impl->push_buffer, compute->push_size, NULL,
                             GL_DYNAMIC_STORAGE_BIT);
        status = gl_check(dev, "creating the push constant buffer");
    }
    if (status != CS_OK) {
        free_compute(impl);
        free(impl->bindings);
        free(impl);
    } else {
        compute->impl = impl;
    }
    return status;
}

cs_status gl_compute_create(cs_compute *compute)
{
    if (compute->bindless)
        return gl_unsupported("bindless computes (descriptor arrays)");
    return gl_run(compute->device, create_on_owner, compute);
}

void gl_compute_destroy(cs_compute *compute)
{
    gl_compute *impl = compute->impl;
    gl_run_to_destroy(compute->device, free_compute, impl);
    free(impl->bindings);
    free(impl);
    compute->impl = NULL;
}

cs_status gl_compute_bind(cs_compute *compute, const cs_shader_binding *binding,
                          uint32_t index, cs_resource *resource)
{
    (void)compute, (void)binding, (void)index, (void)resource;
    return gl_unsupported("bindless computes (descriptor arrays)");
}

static void bind_slot(const cs_bound_slot *slots, uint32_t index,
                      const gl_binding *binding)
{
    const cs_bound_slot *slot = &slots[index];
    if (binding->kind == GL_KIND_SAMPLER)
        return; /* bound with its texture */
    const gl_resource *resource = gl_resource_of(slot->resource);
    switch (binding->kind) {
    case GL_KIND_UNIFORM_BUFFER:
        glBindBufferBase(GL_UNIFORM_BUFFER, binding->unit, resource->buffer);
        break;
    case GL_KIND_STORAGE_BUFFER:
        glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding->unit,
                         resource->buffer);
        break;
    case GL_KIND_IMAGE: {
        GLboolean layered = resource->target == GL_TEXTURE_1D_ARRAY ||
                            resource->target == GL_TEXTURE_2D_ARRAY ||
                            resource->target == GL_TEXTURE_3D;
        glBindImageTexture(binding->unit, resource->texture, 0, layered, 0,
                           slot->binding.read_only ? GL_READ_ONLY
                                                   : GL_READ_WRITE,
                           resource->internal_format);
        break;
    }
    case GL_KIND_TEXTURE: {
        glBindTextureUnit(binding->unit, resource->texture);
        const cs_sampler *sampler = binding->sampler_slot >= 0
                                        ? slots[binding->sampler_slot].sampler
                                        : NULL;
        glBindSampler(binding->unit,
                      sampler ? *(const GLuint *)sampler->impl : 0);
        break;
    }
    default: break;
    }
}

cs_status gl_compute_record(gl_device *dev, cs_compute *compute,
                            const uint32_t groups[3], cs_resource *indirect,
                            uint64_t indirect_offset, GLuint push_buffer,
                            GLintptr push_offset)
{
    const gl_compute *impl = compute->impl;
    for (uint32_t i = 0; i < compute->slot_count; i++)
        bind_slot(compute->slots, i, &impl->bindings[i]);
    if (push_buffer)
        glBindBufferRange(GL_UNIFORM_BUFFER, impl->push_unit, push_buffer,
                          push_offset, compute->push_size);
    glUseProgram(impl->program);
    if (indirect) {
        glBindBuffer(GL_DISPATCH_INDIRECT_BUFFER,
                     gl_resource_of(indirect)->buffer);
        glDispatchComputeIndirect((GLintptr)indirect_offset);
    } else {
        glDispatchCompute(groups[0], groups[1], groups[2]);
    }
    /* what the dispatch wrote is seen by whatever comes next: shaders,
     * copies, mapped buffers */
    glMemoryBarrier(GL_ALL_BARRIER_BITS);
    return gl_check(dev, "dispatching a compute");
}

typedef struct dispatch_job {
    cs_compute *compute;
    const uint32_t *groups;
    cs_resource *indirect;
    uint64_t indirect_offset;
    const void *push;
    uint64_t *out_gpu_ns;
} dispatch_job;

static cs_status dispatch_on_owner(gl_device *dev, void *arg)
{
    const dispatch_job *job = arg;
    cs_compute *compute = job->compute;
    const gl_compute *impl = compute->impl;
    if (job->push)
        glNamedBufferSubData(impl->push_buffer, 0, compute->push_size,
                             job->push);
    GLuint queries[2] = {0, 0};
    if (job->out_gpu_ns) {
        glGenQueries(2, queries);
        glQueryCounter(queries[0], GL_TIMESTAMP);
    }
    cs_status status = gl_compute_record(dev, compute, job->groups,
                                         job->indirect, job->indirect_offset,
                                         job->push ? impl->push_buffer : 0, 0);
    if (job->out_gpu_ns)
        glQueryCounter(queries[1], GL_TIMESTAMP);
    if (status == CS_OK)
        status = gl_finish(compute->device, dev, "dispatch");
    if (job->out_gpu_ns) {
        if (status == CS_OK) {
            GLuint64 start = 0, end = 0;
            glGetQueryObjectui64v(queries[0], GL_QUERY_RESULT, &start);
            glGetQueryObjectui64v(queries[1], GL_QUERY_RESULT, &end);
            *job->out_gpu_ns = end > start ? end - start : 0;
            status = gl_check(dev, "reading the dispatch's timestamps");
        }
        glDeleteQueries(2, queries);
    }
    return status;
}

cs_status gl_compute_dispatch(cs_compute *compute, const uint32_t groups[3],
                              cs_resource *indirect, uint64_t indirect_offset,
                              const void *push, uint64_t *out_gpu_ns)
{
    dispatch_job job = {compute,         groups, indirect,
                        indirect_offset, push,   out_gpu_ns};
    return gl_run(compute->device, dispatch_on_owner, &job);
}

/* compute.c - compute pipelines: the shader's declared bindings checked
 * against the resources given, push constants, dispatch arguments. */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DEFAULT_MAX_BINDLESS = 64 };

/* The register of a binding in the HLSL convention, e.g. "u2". */
typedef struct register_name {
    char text[24];
} register_name;

static register_name name_register(uint32_t binding)
{
    register_name name;
    static const char classes[4] = {'b', 't', 'u', 's'};
    if (binding < 4 * 1024)
        snprintf(name.text, sizeof name.text, "%c%u", classes[binding / 1024],
                 binding % 1024);
    else
        snprintf(name.text, sizeof name.text, "binding %u", binding);
    return name;
}

static const char *binding_type_name(const cs_shader_binding *binding)
{
    switch (binding->type) {
    case CS_BINDING_CONSTANT_BUFFER: return "a constant buffer (cbuffer)";
    case CS_BINDING_STORAGE_BUFFER:
        return binding->read_only ? "a read-only storage buffer "
                                    "(StructuredBuffer/ByteAddressBuffer)"
                                  : "a read-write storage buffer "
                                    "(RWStructuredBuffer/RWByteAddressBuffer)";
    case CS_BINDING_UNIFORM_TEXEL_BUFFER: return "a typed buffer (Buffer<T>)";
    case CS_BINDING_STORAGE_TEXEL_BUFFER:
        return "a read-write typed buffer (RWBuffer<T>)";
    case CS_BINDING_SAMPLED_IMAGE: return "a texture (Texture*<T>)";
    case CS_BINDING_STORAGE_IMAGE:
        return "a read-write texture (RWTexture*<T>)";
    case CS_BINDING_SAMPLER: return "a sampler";
    }
    return "an unknown binding";
}

static cs_resource_kind texture_kind_of(cs_image_dim dim)
{
    switch (dim) {
    case CS_IMAGE_DIM_1D: return CS_RESOURCE_TEXTURE1D;
    case CS_IMAGE_DIM_3D: return CS_RESOURCE_TEXTURE3D;
    default: return CS_RESOURCE_TEXTURE2D;
    }
}

static void describe_resource(const cs_resource *resource, char *text,
                              size_t capacity)
{
    const cs_resource_info *info = &resource->info;
    if (info->kind != CS_RESOURCE_BUFFER)
        snprintf(text, capacity, "a %s of format %s%s",
                 cs_resource_kind_name(info->kind),
                 cs_format_name(info->format),
                 info->slices > 1 ? " with slices" : "");
    else if (info->format)
        snprintf(text, capacity, "a typed buffer of format %s",
                 cs_format_name(info->format));
    else if (info->stride)
        snprintf(text, capacity, "a structured buffer (stride %u)",
                 info->stride);
    else
        snprintf(text, capacity, "a buffer without format");
}

static cs_status mismatch(const cs_shader_binding *binding,
                          const cs_resource *resource, const char *hint)
{
    char given[128];
    describe_resource(resource, given, sizeof given);
    return cs_fail(CS_ERROR_BINDING_MISMATCH,
                   "register %s%s%s%s: the shader declares %s, the resource "
                   "given is %s%s",
                   name_register(binding->binding).text,
                   binding->name[0] ? " (" : "", binding->name,
                   binding->name[0] ? ")" : "", binding_type_name(binding),
                   given, hint);
}

/* The texels of a typed buffer or texture must be of the numeric type the
 * shader declares (Vulkan: the view's format and the SPIR-V Sampled Type
 * agree), and a write must give every component of the format. */
static cs_status check_texel_type(const cs_shader_binding *binding,
                                  const cs_resource *resource)
{
    cs_format format = resource->info.format;
    cs_component_type held = cs_format_component_type(format);
    char hint[200];
    if (binding->component_type != CS_COMPONENT_NONE &&
        held != CS_COMPONENT_NONE && held != binding->component_type) {
        snprintf(hint, sizeof hint,
                 "; the shader's texels are %s, the format's are %s: Vulkan "
                 "needs them to agree (declare <%s...> or use a %s format)",
                 cs_component_type_name(binding->component_type),
                 cs_component_type_name(held), cs_component_type_name(held),
                 binding->component_type == CS_COMPONENT_FLOAT
                     ? "FLOAT/UNORM/SNORM"
                 : binding->component_type == CS_COMPONENT_UINT ? "_UINT"
                                                                : "_SINT");
        return mismatch(binding, resource, hint);
    }
    uint32_t components = cs_format_component_count(format);
    if (binding->written_components != 0 &&
        binding->written_components < components) {
        snprintf(hint, sizeof hint,
                 "; the shader writes %u component%s, the format has %u: "
                 "Vulkan needs a write to give them all (declare a "
                 "%u-component type such as <%s%u>)",
                 binding->written_components,
                 binding->written_components == 1 ? "" : "s", components,
                 components, cs_component_type_name(held), components);
        return mismatch(binding, resource, hint);
    }
    return CS_OK;
}

/* Whether a resource can stand where the shader declares binding. */
static cs_status check_resource_fits(const cs_shader_binding *binding,
                                     const cs_resource *resource)
{
    const cs_resource_info *info = &resource->info;
    bool is_buffer = info->kind == CS_RESOURCE_BUFFER;
    switch (binding->type) {
    case CS_BINDING_CONSTANT_BUFFER:
    case CS_BINDING_STORAGE_BUFFER:
        return is_buffer ? CS_OK : mismatch(binding, resource, "");
    case CS_BINDING_UNIFORM_TEXEL_BUFFER:
    case CS_BINDING_STORAGE_TEXEL_BUFFER:
        if (!is_buffer)
            return mismatch(binding, resource, "");
        if (!info->format)
            return mismatch(binding, resource,
                            "; create the buffer with format=");
        return check_texel_type(binding, resource);
    case CS_BINDING_SAMPLED_IMAGE:
    case CS_BINDING_STORAGE_IMAGE:
        if (is_buffer || info->kind != texture_kind_of(binding->dim))
            return mismatch(binding, resource, "");
        if (binding->arrayed != (info->slices > 1))
            return mismatch(binding, resource,
                            binding->arrayed
                                ? "; an array texture needs slices > 1"
                                : "; a texture with slices binds to a "
                                  "*Array texture");
        return check_texel_type(binding, resource);
    case CS_BINDING_SAMPLER:
        return mismatch(binding, resource, "; pass samplers in samplers=");
    }
    return mismatch(binding, resource, "");
}

/* The use the binding makes of the resource's format is one the device
 * has (cs_device_format_support; the one check, format_support.c). */
static cs_status check_format_use(const cs_device *device,
                                  const cs_shader_binding *binding,
                                  const cs_resource *resource)
{
    uint32_t bit;
    switch (binding->type) {
    case CS_BINDING_SAMPLED_IMAGE: bit = CS_FORMAT_SUPPORT_TEXTURE_SRV; break;
    case CS_BINDING_STORAGE_IMAGE: bit = CS_FORMAT_SUPPORT_TEXTURE_UAV; break;
    case CS_BINDING_UNIFORM_TEXEL_BUFFER:
        bit = CS_FORMAT_SUPPORT_BUFFER_SRV;
        break;
    case CS_BINDING_STORAGE_TEXEL_BUFFER:
        bit = CS_FORMAT_SUPPORT_BUFFER_UAV;
        break;
    default: return CS_OK;
    }
    char what[48];
    snprintf(what, sizeof what, "register %s",
             name_register(binding->binding).text);
    return cs_format_check_use(device, resource, bit, what);
}

/* The device's limits on one workgroup, from the module's reflection. */
static cs_status check_workgroup_limits(const cs_device *device,
                                        const cs_shader_reflection *shader)
{
    const cs_device_info *info = &device->info;
    const uint32_t *size = shader->workgroup_size;
    static const char axes[3] = {'x', 'y', 'z'};
    for (int axis = 0; axis < 3; axis++) {
        uint32_t limit = info->max_compute_workgroup_size[axis];
        if (limit && size[axis] > limit)
            return cs_fail(CS_ERROR_UNSUPPORTED,
                           "the shader's workgroup is %ux%ux%u threads "
                           "([numthreads] / local_size): %u in %c exceeds "
                           "the limit of %u of device '%s' "
                           "(maxComputeWorkGroupSize)",
                           size[0], size[1], size[2], size[axis], axes[axis],
                           limit, info->name);
    }
    uint64_t threads = (uint64_t)size[0] * size[1] * size[2];
    uint32_t limit = info->max_compute_workgroup_invocations;
    if (limit && threads > limit)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "the shader's workgroup is %ux%ux%u = %llu threads "
                       "([numthreads] / local_size), more than the limit of "
                       "%u of device '%s' (maxComputeWorkGroupInvocations)",
                       size[0], size[1], size[2], (unsigned long long)threads,
                       limit, info->name);
    limit = info->max_compute_shared_memory_size;
    if (limit && shader->workgroup_memory_size > limit)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "the shader declares %u bytes of groupshared (shared) "
                       "memory, more than the limit of %u bytes of device "
                       "'%s' (maxComputeSharedMemorySize)",
                       shader->workgroup_memory_size, limit, info->name);
    return CS_OK;
}

static bool binding_matches(uint32_t wanted, uint32_t binding)
{
    return wanted == CS_ANY_BINDING || wanted == binding;
}

/* A LINEAR sampler may only sample formats the device filters linearly
 * (never integer ones): checked for every texture the shader samples with
 * it. */
static cs_status check_linear_sampling(const cs_compute *compute)
{
    const cs_device *device = compute->device;
    const cs_shader_reflection *shader = &compute->reflection;
    for (uint32_t i = 0; i < shader->sampling_count; i++) {
        const cs_shader_sampling *use = &shader->samplings[i];
        for (uint32_t s = 0; s < compute->slot_count; s++) {
            const cs_bound_slot *sampler = &compute->slots[s];
            if (!sampler->sampler ||
                !binding_matches(use->sampler_binding,
                                 sampler->binding.binding) ||
                (sampler->sampler->desc.filter_min != CS_FILTER_LINEAR &&
                 sampler->sampler->desc.filter_mag != CS_FILTER_LINEAR))
                continue;
            for (uint32_t t = 0; t < compute->slot_count; t++) {
                const cs_bound_slot *image = &compute->slots[t];
                if (!image->resource ||
                    image->binding.type != CS_BINDING_SAMPLED_IMAGE ||
                    !binding_matches(use->image_binding,
                                     image->binding.binding))
                    continue;
                cs_format format = image->resource->info.format;
                uint32_t support;
                cs_status status = device->instance->backend->format_support(
                    device, format, &support);
                if (status != CS_OK)
                    return status;
                if (support & CS_FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR)
                    continue;
                return cs_fail(
                    CS_ERROR_UNSUPPORTED,
                    "register %s: the shader samples it with sampler %s, "
                    "whose filter is LINEAR, but device '%s' cannot filter "
                    "format %s linearly%s; use a POINT sampler "
                    "(SAMPLER_FILTER_POINT) or a format it can filter",
                    name_register(image->binding.binding).text,
                    name_register(sampler->binding.binding).text,
                    device->info.name, cs_format_name(format),
                    cs_format_component_type(format) == CS_COMPONENT_FLOAT
                        ? ""
                        : " (integer formats never filter)");
            }
        }
    }
    return CS_OK;
}

typedef struct resource_lists {
    cs_resource *const *lists[3]; /* b, t, u */
    uint32_t counts[3];
    cs_sampler *const *samplers;
    uint32_t sampler_count;
} resource_lists;

static const char *const list_names[4] = {"cbv", "srv", "uav", "samplers"};

static cs_status fill_slot(const cs_device *device, const resource_lists *given,
                           bool bindless, cs_bound_slot *slot)
{
    const cs_shader_binding *binding = &slot->binding;
    register_name reg = name_register(binding->binding);
    if (binding->set != 0)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "the shader declares %s in descriptor set %u; "
                       "compushady binds descriptor set 0 only",
                       reg.text, binding->set);
    uint32_t register_class = binding->binding / 1024;
    uint32_t index = binding->binding % 1024;
    if (register_class > 3)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "the shader declares binding %u, outside the "
                       "convention (b: 0+, t: 1024+, u: 2048+, s: 3072+)",
                       binding->binding);
    if (binding->array_size != 1) {
        if (bindless)
            return CS_OK; /* filled later by cs_compute_bind */
        if (binding->array_size == 0)
            return cs_fail(CS_ERROR_BINDING_MISMATCH,
                           "register %s is an unbounded array of "
                           "descriptors; descriptor arrays need "
                           "bindless=True",
                           reg.text);
        return cs_fail(CS_ERROR_BINDING_MISMATCH,
                       "register %s is an array of %u descriptors; "
                       "descriptor arrays need bindless=True",
                       reg.text, binding->array_size);
    }
    if (register_class == 3 || binding->type == CS_BINDING_SAMPLER) {
        if (binding->type != CS_BINDING_SAMPLER || register_class != 3)
            return cs_fail(CS_ERROR_INVALID_SHADER,
                           "register %s is %s, which does not belong in "
                           "that register class",
                           reg.text, binding_type_name(binding));
        if (index >= given->sampler_count)
            return cs_fail(CS_ERROR_BINDING_MISMATCH,
                           "register %s: the shader declares a sampler, but "
                           "samplers has %u element%s",
                           reg.text, given->sampler_count,
                           given->sampler_count == 1 ? "" : "s");
        slot->sampler = given->samplers[index];
        if (!slot->sampler)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT, "samplers[%u] is NULL",
                           index);
        if (slot->sampler->device != device)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "samplers[%u] belongs to another device", index);
        return CS_OK;
    }
    if (index >= given->counts[register_class])
        return cs_fail(CS_ERROR_BINDING_MISMATCH,
                       "register %s%s%s%s: the shader declares %s, but %s "
                       "has %u element%s",
                       reg.text, binding->name[0] ? " (" : "", binding->name,
                       binding->name[0] ? ")" : "", binding_type_name(binding),
                       list_names[register_class],
                       given->counts[register_class],
                       given->counts[register_class] == 1 ? "" : "s");
    cs_resource *resource = given->lists[register_class][index];
    if (!resource)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "%s[%u] is NULL",
                       list_names[register_class], index);
    if (resource->device != device)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "%s[%u] belongs to device '%s', the compute to '%s'",
                       list_names[register_class], index,
                       resource->device->info.name, device->info.name);
    cs_status status = check_resource_fits(binding, resource);
    if (status == CS_OK)
        status = check_format_use(device, binding, resource);
    if (status != CS_OK)
        return status;
    slot->resource = resource;
    return CS_OK;
}

static cs_status hold_references(cs_compute *compute,
                                 const cs_compute_desc *desc)
{
    uint32_t total = desc->cbv_count + desc->srv_count + desc->uav_count;
    compute->held_resources = calloc(total ? total : 1, sizeof(cs_resource *));
    compute->held_samplers = calloc(
        desc->sampler_count ? desc->sampler_count : 1, sizeof(cs_sampler *));
    if (!compute->held_resources || !compute->held_samplers)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a compute");
    cs_resource *const *lists[3] = {desc->cbv, desc->srv, desc->uav};
    uint32_t counts[3] = {desc->cbv_count, desc->srv_count, desc->uav_count};
    for (int list = 0; list < 3; list++) {
        for (uint32_t i = 0; i < counts[list]; i++) {
            cs_resource *resource = lists[list][i];
            cs_resource_retain(resource);
            compute->held_resources[compute->held_resource_count++] = resource;
        }
    }
    for (uint32_t i = 0; i < desc->sampler_count; i++) {
        cs_sampler_retain(desc->samplers[i]);
        compute->held_samplers[compute->held_sampler_count++] =
            desc->samplers[i];
    }
    return CS_OK;
}

cs_status cs_compute_storage_bindings(const cs_compute *compute,
                                      cs_storage_binding **out_bindings,
                                      size_t *out_count)
{
    *out_bindings = NULL;
    *out_count = 0;
    size_t count = 0;
    for (uint32_t i = 0; i < compute->slot_count; i++) {
        const cs_bound_slot *slot = &compute->slots[i];
        count += slot->resource &&
                 (slot->binding.type == CS_BINDING_STORAGE_IMAGE ||
                  slot->binding.type == CS_BINDING_STORAGE_TEXEL_BUFFER);
    }
    if (count == 0)
        return CS_OK;
    cs_storage_binding *bindings = malloc(count * sizeof *bindings);
    if (!bindings)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory listing storage images");
    count = 0;
    for (uint32_t i = 0; i < compute->slot_count; i++) {
        const cs_bound_slot *slot = &compute->slots[i];
        if (slot->resource &&
            (slot->binding.type == CS_BINDING_STORAGE_IMAGE ||
             slot->binding.type == CS_BINDING_STORAGE_TEXEL_BUFFER))
            bindings[count++] = (cs_storage_binding){
                .binding = slot->binding.binding,
                .declared_format = slot->binding.image_format,
                .format = slot->resource->info.format,
            };
    }
    *out_bindings = bindings;
    *out_count = count;
    return CS_OK;
}

/* The code in a format the device takes: the module itself when that is
 * SPIR-V (the backend prepares it: cs_spirv_prepare_storage_formats);
 * else source cross-compiled from it, declaring the storage formats of the
 * resources bound. *out_converted: the converted text, to free. */
static cs_status convert_for_device(cs_compute *compute, char **out_converted)
{
    const cs_device *device = compute->device;
    *out_converted = NULL;
    compute->code_format = CS_SHADER_FORMAT_SPIRV;
    compute->code = compute->spirv;
    compute->code_size = compute->spirv_size;
    if (device->info.shader_formats & CS_SHADER_FORMAT_SPIRV)
        return CS_OK;
    /* what a SPIR-V backend's prepare pass checks, before SPIRV-Cross */
    cs_status status = cs_shader_validate(compute->spirv, compute->spirv_size);
    cs_storage_binding *storage = NULL;
    size_t storage_count = 0;
    if (status == CS_OK)
        status = cs_compute_storage_bindings(compute, &storage, &storage_count);
    uint32_t *bindings = NULL;
    cs_format *formats = NULL;
    if (status == CS_OK && storage_count > 0) {
        bindings = malloc(storage_count * sizeof *bindings);
        formats = malloc(storage_count * sizeof *formats);
        if (!bindings || !formats)
            status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                             "out of host memory converting a shader");
        for (size_t i = 0; status == CS_OK && i < storage_count; i++) {
            bindings[i] = storage[i].binding;
            formats[i] = storage[i].format;
        }
    }
    if (status == CS_OK) {
        char taker[320];
        snprintf(taker, sizeof taker, "device '%s' (the %s backend)",
                 device->info.name, device->instance->own_backend->name);
        cs_shader_cross_desc module = {
            .spirv = compute->spirv,
            .spirv_size = compute->spirv_size,
            .entry_point = compute->entry_point,
            .storage_bindings = bindings,
            .storage_formats = formats,
            .storage_count = (uint32_t)storage_count,
        };
        status = cs_shader_from_spirv(&module, device->info.shader_formats,
                                      taker, &compute->code_format,
                                      out_converted, &compute->code_size);
        if (status == CS_OK)
            compute->code = *out_converted;
    }
    free(storage);
    free(bindings);
    free(formats);
    return status;
}

static void destroy_unfinished(cs_compute *compute)
{
    if (compute->bound) {
        for (uint32_t i = 0; i < 3 * compute->max_bindless; i++)
            cs_resource_release(compute->bound[i]);
        free(compute->bound);
    }
    for (uint32_t i = 0; i < compute->held_resource_count; i++)
        cs_resource_release(compute->held_resources[i]);
    for (uint32_t i = 0; i < compute->held_sampler_count; i++)
        cs_sampler_release(compute->held_samplers[i]);
    free(compute->held_resources);
    free(compute->held_samplers);
    free(compute->slots);
    cs_shader_reflection_free(&compute->reflection);
    free(compute);
}

static cs_status check_desc(const cs_device *device,
                            const cs_compute_desc *desc)
{
    if (desc->spirv && desc->code)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_compute_desc has both spirv and code: give the "
                       "shader once, as spirv (SPIR-V) or as format and "
                       "code");
    if (desc->spirv && desc->format != CS_SHADER_FORMAT_NONE &&
        desc->format != CS_SHADER_FORMAT_SPIRV)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_compute_desc.spirv holds SPIR-V, but format "
                       "says %s: put other code in code/code_size",
                       cs_shader_format_name(desc->format));
    const void *code = desc->spirv ? desc->spirv : desc->code;
    size_t size = desc->spirv ? desc->spirv_size : desc->code_size;
    bool is_spirv = desc->spirv || desc->format == CS_SHADER_FORMAT_NONE ||
                    desc->format == CS_SHADER_FORMAT_SPIRV;
    if (!code || (is_spirv && size == 0))
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "the shader is empty: expected SPIR-V bytes from "
                       "compushady.shaders.*.compile");
    if ((desc->cbv_count && !desc->cbv) || (desc->srv_count && !desc->srv) ||
        (desc->uav_count && !desc->uav) ||
        (desc->sampler_count && !desc->samplers))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "a resource list has a count but no array");
    if (desc->push_size % 4)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "push_size must be a multiple of 4, got %u",
                       desc->push_size);
    if (desc->push_size > device->info.max_push_constants_size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "push_size %u is larger than the device's limit of "
                       "%u bytes",
                       desc->push_size, device->info.max_push_constants_size);
    if (desc->bindless && !device->info.supports_bindless)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "bindless computes need descriptor indexing, which "
                       "device '%s' does not support",
                       device->info.name);
    return CS_OK;
}

/* cs_compute_create with the code as a SPIR-V module */
static cs_status create(cs_device *device, const cs_compute_desc *desc,
                        const void *spirv, size_t spirv_size,
                        cs_compute **out_compute)
{
    cs_status status;
    cs_compute *compute = calloc(1, sizeof *compute);
    if (!compute)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a compute");
    atomic_init(&compute->refcount, 1);
    compute->device = device;
    compute->push_size = desc->push_size;
    compute->bindless = desc->bindless;
    compute->max_bindless =
        desc->max_bindless ? desc->max_bindless : DEFAULT_MAX_BINDLESS;

    status = cs_shader_reflect(spirv, spirv_size, &compute->reflection);
    if (status != CS_OK) {
        free(compute);
        return status;
    }
    status = hold_references(compute, desc);
    if (status == CS_OK && compute->bindless) {
        /* bind_*: the last resource bound to each (class, index) */
        compute->bound =
            calloc(3 * (size_t)compute->max_bindless, sizeof *compute->bound);
        if (!compute->bound)
            status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                             "out of host memory for %u bindless slots",
                             compute->max_bindless);
    }
    if (status != CS_OK) {
        destroy_unfinished(compute);
        return status;
    }
    const cs_shader_reflection *reflection = &compute->reflection;
    if (desc->entry_point && *desc->entry_point &&
        strcmp(desc->entry_point, reflection->entry_point) != 0) {
        status = cs_fail(CS_ERROR_INVALID_ARGUMENT,
                         "entry point '%s' not found; the shader's compute "
                         "entry point is '%s'",
                         desc->entry_point, reflection->entry_point);
        destroy_unfinished(compute);
        return status;
    }
    compute->entry_point = reflection->entry_point;
    status = check_workgroup_limits(device, reflection);
    if (status != CS_OK) {
        destroy_unfinished(compute);
        return status;
    }
    if (reflection->push_constant_size > desc->push_size) {
        status = cs_fail(CS_ERROR_BINDING_MISMATCH,
                         "the shader declares %u bytes of push constants, "
                         "push_size is %u",
                         reflection->push_constant_size, desc->push_size);
        destroy_unfinished(compute);
        return status;
    }

    compute->slot_count = reflection->binding_count;
    compute->slots =
        calloc(reflection->binding_count + 1, sizeof *compute->slots);
    if (!compute->slots) {
        destroy_unfinished(compute);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory creating a compute");
    }
    resource_lists given = {
        .lists = {desc->cbv, desc->srv, desc->uav},
        .counts = {desc->cbv_count, desc->srv_count, desc->uav_count},
        .samplers = desc->samplers,
        .sampler_count = desc->sampler_count,
    };
    for (uint32_t i = 0; i < compute->slot_count; i++) {
        compute->slots[i].binding = reflection->bindings[i];
        status = fill_slot(device, &given, desc->bindless, &compute->slots[i]);
        if (status != CS_OK) {
            destroy_unfinished(compute);
            return status;
        }
    }

    status = check_linear_sampling(compute);
    if (status != CS_OK) {
        destroy_unfinished(compute);
        return status;
    }

    /* the words, 4-aligned (copied when the caller's bytes are not;
     * reflection checked that they are whole words) */
    const void *words = spirv;
    uint32_t *aligned = NULL;
    if ((uintptr_t)spirv % 4 != 0) {
        aligned = malloc(spirv_size);
        if (aligned) {
            memcpy(aligned, spirv, spirv_size);
            words = aligned;
        } else {
            status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                             "out of host memory copying a shader");
        }
    }
    if (status == CS_OK && !cs_mutex_init(&compute->bind_lock))
        status = cs_fail(CS_ERROR_BACKEND, "cannot create a lock");
    if (status != CS_OK) {
        free(aligned);
        destroy_unfinished(compute);
        return status;
    }
    compute->spirv = words;
    compute->spirv_size = spirv_size;
    char *converted = NULL;
    status = convert_for_device(compute, &converted);
    if (status == CS_OK)
        status = device->instance->backend->compute_create(compute);
    free(converted);
    free(aligned);
    compute->spirv = NULL;
    compute->spirv_size = 0;
    compute->code = NULL;
    compute->code_size = 0;
    if (status != CS_OK) {
        cs_mutex_destroy(&compute->bind_lock);
        destroy_unfinished(compute);
        return status;
    }
    cs_instance_retain(device->instance);
    *out_compute = compute;
    return CS_OK;
}

cs_status cs_compute_create(cs_device *device, const cs_compute_desc *desc,
                            cs_compute **out_compute)
{
    if (!device || !desc || !out_compute)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_compute_create: device, desc and out_compute must "
                       "not be NULL");
    cs_status status = check_desc(device, desc);
    if (status != CS_OK)
        return status;
    /* the code as SPIR-V: as given, or compiled from source */
    if (desc->spirv || desc->format == CS_SHADER_FORMAT_NONE ||
        desc->format == CS_SHADER_FORMAT_SPIRV)
        return create(device, desc, desc->spirv ? desc->spirv : desc->code,
                      desc->spirv ? desc->spirv_size : desc->code_size,
                      out_compute);
    void *compiled = NULL;
    size_t compiled_size = 0;
    status = cs_shader_to_spirv(desc->format, desc->code, desc->code_size,
                                desc->entry_point, &compiled, &compiled_size);
    if (status == CS_OK)
        status = create(device, desc, compiled, compiled_size, out_compute);
    free(compiled);
    return status;
}

void cs_compute_retain(cs_compute *compute)
{
    if (compute)
        atomic_fetch_add(&compute->refcount, 1);
}

void cs_compute_release(cs_compute *compute)
{
    if (!compute || atomic_fetch_sub(&compute->refcount, 1) != 1)
        return;
    cs_instance *instance = compute->device->instance;
    instance->backend->compute_destroy(compute);
    cs_mutex_destroy(&compute->bind_lock);
    destroy_unfinished(compute);
    cs_instance_release(instance);
}

cs_status cs_check_push(const cs_compute *compute, const void *push,
                        size_t push_size)
{
    if (push_size > compute->push_size)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "push data is %zu bytes, more than the compute's "
                       "push_size of %u",
                       push_size, compute->push_size);
    if (push_size && !push)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "push data is NULL");
    return CS_OK;
}

cs_status cs_push_pad(const cs_compute *compute, const void *push,
                      size_t push_size, cs_push_buffer *buffer,
                      const void **out_push)
{
    buffer->heap = NULL;
    if (compute->push_size == 0) {
        *out_push = NULL;
        return CS_OK;
    }
    if (push_size == compute->push_size) {
        *out_push = push;
        return CS_OK;
    }
    unsigned char *padded = buffer->stack;
    if (compute->push_size > sizeof buffer->stack) {
        padded = buffer->heap = malloc(compute->push_size);
        if (!padded)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "out of host memory for push constants");
    }
    if (push_size)
        memcpy(padded, push, push_size);
    memset(padded + push_size, 0, compute->push_size - push_size);
    *out_push = padded;
    return CS_OK;
}

static cs_status run_dispatch(cs_compute *compute, const uint32_t groups[3],
                              cs_resource *indirect, uint64_t offset,
                              const void *push, size_t push_size,
                              uint64_t *out_gpu_ns)
{
    cs_status status = cs_check_push(compute, push, push_size);
    cs_push_buffer buffer;
    const void *padded = NULL;
    if (status == CS_OK)
        status = cs_push_pad(compute, push, push_size, &buffer, &padded);
    if (status != CS_OK)
        return status;
    status = compute->device->instance->backend->compute_dispatch(
        compute, groups, indirect, offset, padded, out_gpu_ns);
    free(buffer.heap);
    return status;
}

cs_status cs_check_dispatch(const cs_compute *compute, const uint32_t groups[3])
{
    const uint32_t *limit = compute->device->info.max_compute_workgroup_count;
    static const char axes[3] = {'x', 'y', 'z'};
    for (int axis = 0; axis < 3; axis++) {
        if (limit[axis] && groups[axis] > limit[axis])
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "dispatch: %u groups in %c exceed the device's "
                           "limit of %u",
                           groups[axis], axes[axis], limit[axis]);
    }
    return CS_OK;
}

cs_status cs_compute_dispatch(cs_compute *compute, uint32_t x, uint32_t y,
                              uint32_t z, const void *push, size_t push_size)
{
    if (!compute)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "dispatch: compute is NULL");
    const uint32_t groups[3] = {x, y, z};
    cs_status status = cs_check_dispatch(compute, groups);
    if (status != CS_OK)
        return status;
    return run_dispatch(compute, groups, NULL, 0, push, push_size, NULL);
}

cs_status cs_compute_dispatch_timed(cs_compute *compute, uint32_t x, uint32_t y,
                                    uint32_t z, const void *push,
                                    size_t push_size, uint64_t *out_gpu_ns)
{
    if (!compute || !out_gpu_ns)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "dispatch_timed: compute and out_gpu_ns must not be "
                       "NULL");
    const uint32_t groups[3] = {x, y, z};
    cs_status status = cs_check_dispatch(compute, groups);
    if (status != CS_OK)
        return status;
    return run_dispatch(compute, groups, NULL, 0, push, push_size, out_gpu_ns);
}

cs_status cs_check_dispatch_indirect(const cs_compute *compute,
                                     const cs_resource *indirect_buffer,
                                     uint64_t offset)
{
    if (!compute || !indirect_buffer)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "dispatch_indirect: compute and buffer must not be "
                       "NULL");
    if (indirect_buffer->info.kind != CS_RESOURCE_BUFFER)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "dispatch_indirect needs a buffer, not a %s",
                       cs_resource_kind_name(indirect_buffer->info.kind));
    if (indirect_buffer->device != compute->device)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "dispatch_indirect: the buffer belongs to another "
                       "device");
    if (offset % 4)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "dispatch_indirect: offset %llu is not a multiple of "
                       "4",
                       (unsigned long long)offset);
    uint64_t size = indirect_buffer->info.size;
    if (offset > size || size - offset < 12)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "dispatch_indirect: 12 bytes of group counts at "
                       "offset %llu do not fit in the %llu-byte buffer",
                       (unsigned long long)offset, (unsigned long long)size);
    return CS_OK;
}

cs_status cs_compute_dispatch_indirect(cs_compute *compute,
                                       cs_resource *indirect_buffer,
                                       uint64_t offset, const void *push,
                                       size_t push_size)
{
    cs_status status =
        cs_check_dispatch_indirect(compute, indirect_buffer, offset);
    if (status != CS_OK)
        return status;
    const uint32_t unused[3] = {0, 0, 0};
    return run_dispatch(compute, unused, indirect_buffer, offset, push,
                        push_size, NULL);
}

cs_status cs_compute_bind(cs_compute *compute, cs_bind_kind kind,
                          uint32_t index, cs_resource *resource)
{
    if (!compute || !resource)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "bind: compute and resource must not be NULL");
    if (!compute->bindless)
        return cs_fail(CS_ERROR_INVALID_OPERATION,
                       "bind_%s needs a compute created with bindless=True",
                       list_names[kind <= CS_BIND_UAV ? kind : 0]);
    if ((unsigned)kind > CS_BIND_UAV)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT, "invalid bind kind %d",
                       (int)kind);
    if (index >= compute->max_bindless)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "bind_%s: index %u is out of range: max_bindless is "
                       "%u",
                       list_names[kind], index, compute->max_bindless);
    if (resource->device != compute->device)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "bind_%s: the resource belongs to another device",
                       list_names[kind]);
    const cs_shader_binding *target = NULL;
    for (uint32_t i = 0; i < compute->slot_count; i++) {
        const cs_shader_binding *binding = &compute->slots[i].binding;
        if (binding->binding / 1024 == (uint32_t)kind &&
            binding->array_size != 1) {
            target = binding;
            break;
        }
    }
    if (!target)
        return cs_fail(CS_ERROR_BINDING_MISMATCH,
                       "bind_%s: the shader declares no descriptor array in "
                       "register class %c",
                       list_names[kind], "btu"[kind]);
    cs_status status = check_resource_fits(target, resource);
    if (status == CS_OK)
        status = check_format_use(compute->device, target, resource);
    if (status != CS_OK)
        return status;
    cs_mutex_lock(&compute->bind_lock);
    status = compute->device->instance->backend->compute_bind(compute, target,
                                                              index, resource);
    if (status == CS_OK) {
        /* the compute keeps what it binds alive until replaced */
        cs_resource **held =
            &compute->bound[kind * compute->max_bindless + index];
        cs_resource_retain(resource);
        cs_resource_release(*held);
        *held = resource;
    }
    cs_mutex_unlock(&compute->bind_lock);
    return status;
}

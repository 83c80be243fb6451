/* image_format.c - makes a shader's storage image formats match the views
 * the core binds, and maps DXGI formats to SPIR-V ImageFormat.
 *
 * glslang derives a storage image's format from its template type
 * (RWTexture2D<float4> becomes Rgba32f), but Vulkan requires the declared
 * format to match the bound view. The OpTypeImage of each listed variable
 * gets the view's format; a type shared by variables that want different
 * formats becomes Unknown, with the *WithoutFormat capabilities, instead of
 * being cloned (see shader_internal.h). */
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

enum { IMAGE_FORMAT_WORD = 8, NO_FORMAT_WANTED = 0xffffffffu };

typedef struct format_pass {
    uint32_t *words; /* the copy being patched */
    size_t word_count;
    uint32_t id_bound;
    uint32_t *definitions; /* word index by id, 0 = none */
    uint32_t *sets, *bindings;
    bool *has_binding;
    uint32_t *wanted;  /* by image type id: a format, or NO_FORMAT_WANTED */
    bool *conflicting; /* by image type id */
} format_pass;

static uint32_t count_of(const uint32_t *inst)
{
    return cs_spirv_word_count(inst[0]);
}

static uint32_t *defined(const format_pass *p, uint32_t id, uint32_t opcode)
{
    if (id == 0 || id >= p->id_bound || p->definitions[id] == 0)
        return NULL;
    uint32_t *inst = p->words + p->definitions[id];
    return cs_spirv_opcode(inst[0]) == opcode ? inst : NULL;
}

static void index_module(format_pass *p)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        uint32_t count = count_of(inst);
        uint32_t result = 0;
        if (opcode == SpvOpTypeImage || opcode == SpvOpTypePointer ||
            opcode == SpvOpTypeArray || opcode == SpvOpTypeRuntimeArray)
            result = count >= 2 ? inst[1] : 0;
        else if (opcode == SpvOpVariable)
            result = count >= 3 ? inst[2] : 0;
        else if (opcode == SpvOpDecorate && count >= 4 &&
                 inst[1] < p->id_bound) {
            if (inst[2] == SpvDecorationDescriptorSet)
                p->sets[inst[1]] = inst[3];
            if (inst[2] == SpvDecorationBinding) {
                p->bindings[inst[1]] = inst[3];
                p->has_binding[inst[1]] = true;
            }
        }
        if (result != 0 && result < p->id_bound)
            p->definitions[result] = (uint32_t)at;
    }
}

/* The storage image type a descriptor variable holds (through one level of
 * descriptor array), or NULL. */
static uint32_t *storage_image_of(const format_pass *p,
                                  const uint32_t *variable)
{
    if (count_of(variable) < 4 || variable[3] != SpvStorageClassUniformConstant)
        return NULL;
    const uint32_t *pointer = defined(p, variable[1], SpvOpTypePointer);
    if (pointer == NULL || count_of(pointer) < 4)
        return NULL;
    uint32_t type = pointer[3];
    const uint32_t *array = defined(p, type, SpvOpTypeArray);
    if (array == NULL)
        array = defined(p, type, SpvOpTypeRuntimeArray);
    if (array != NULL)
        type = count_of(array) >= 3 ? array[2] : 0;
    uint32_t *image = defined(p, type, SpvOpTypeImage);
    if (image == NULL || count_of(image) <= IMAGE_FORMAT_WORD || image[7] != 2)
        return NULL;
    return image;
}

static void want_format(format_pass *p, const uint32_t *image, uint32_t format)
{
    uint32_t id = image[1];
    if (p->wanted[id] == NO_FORMAT_WANTED)
        p->wanted[id] = format;
    else if (p->wanted[id] != format)
        p->conflicting[id] = true;
}

static void collect_wanted_formats(format_pass *p, const uint32_t *bindings,
                                   const uint32_t *formats, size_t count)
{
    for (uint32_t id = 1; id < p->id_bound; id++) {
        const uint32_t *variable = defined(p, id, SpvOpVariable);
        const uint32_t *image = variable ? storage_image_of(p, variable) : NULL;
        if (image == NULL)
            continue;
        uint32_t format = image[IMAGE_FORMAT_WORD];
        if (p->has_binding[id] && p->sets[id] == 0)
            for (size_t i = 0; i < count; i++)
                if (bindings[i] == p->bindings[id])
                    format = formats[i];
        want_format(p, image, format);
    }
}

/* Formats that need the StorageImageExtendedFormats capability. */
static bool is_extended_format(uint32_t format)
{
    return (format >= SpvImageFormatRg32f && format <= SpvImageFormatR8Snorm) ||
           (format >= SpvImageFormatRg32i && format <= SpvImageFormatR8i) ||
           (format >= SpvImageFormatRgb10a2ui && format <= SpvImageFormatR8ui);
}

typedef struct format_needs {
    bool unknown;      /* some storage image has no format */
    bool read_unknown; /* ... and the shader reads one of those */
    bool extended;     /* some storage image has an extended format */
} format_needs;

/* Applies the wanted formats; says which capabilities the result needs. */
static format_needs apply_formats(format_pass *p)
{
    format_needs needs = {false, false, false};
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        uint32_t *image = p->words + at;
        if (cs_spirv_opcode(image[0]) != SpvOpTypeImage ||
            count_of(image) <= IMAGE_FORMAT_WORD || image[1] >= p->id_bound ||
            image[7] != 2)
            continue;
        uint32_t id = image[1];
        if (p->conflicting[id])
            image[IMAGE_FORMAT_WORD] = SpvImageFormatUnknown;
        else if (p->wanted[id] != NO_FORMAT_WANTED)
            image[IMAGE_FORMAT_WORD] = p->wanted[id];
        needs.unknown |= image[IMAGE_FORMAT_WORD] == SpvImageFormatUnknown;
        needs.extended |= is_extended_format(image[IMAGE_FORMAT_WORD]);
    }
    return needs;
}

static bool has_capability(const uint32_t *words, size_t word_count,
                           uint32_t capability)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < word_count;
         at += count_of(words + at))
        if (cs_spirv_opcode(words[at]) == SpvOpCapability &&
            count_of(words + at) >= 2 && words[at + 1] == capability)
            return true;
    return false;
}

/* Whether the shader reads (OpImageRead) a storage image whose type has no
 * format: only reads need StorageImageReadWithoutFormat, so write-only
 * shaders run on devices without it. */
static bool reads_unknown_format(const format_pass *p)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        if ((opcode != SpvOpImageRead && opcode != SpvOpImageSparseRead) ||
            count_of(inst) < 4 || inst[3] >= p->id_bound)
            continue;
        /* the image operand is an OpLoad result: its type is the image */
        uint32_t image_id = inst[3], type = 0;
        for (size_t load = CS_SPIRV_HEADER_WORDS; load < at;
             load += count_of(p->words + load)) {
            const uint32_t *candidate = p->words + load;
            if (cs_spirv_opcode(candidate[0]) == SpvOpLoad &&
                count_of(candidate) >= 4 && candidate[2] == image_id) {
                type = candidate[1];
                break;
            }
        }
        const uint32_t *image = defined(p, type, SpvOpTypeImage);
        if (image == NULL || count_of(image) <= IMAGE_FORMAT_WORD ||
            image[IMAGE_FORMAT_WORD] == SpvImageFormatUnknown)
            return true;
    }
    return false;
}

/* A new module with those of the capabilities it lacks, or NULL. */
static uint32_t *add_capabilities(const uint32_t *words, size_t word_count,
                                  const uint32_t *capabilities,
                                  size_t capability_count,
                                  size_t *out_word_count)
{
    uint32_t added[6];
    size_t added_count = 0;
    for (size_t i = 0; i < capability_count && added_count + 2 <= 6; i++) {
        if (has_capability(words, word_count, capabilities[i]))
            continue;
        added[added_count++] = (2u << 16) | SpvOpCapability;
        added[added_count++] = capabilities[i];
    }
    uint32_t *out = malloc((word_count + added_count) * sizeof *out);
    if (out == NULL)
        return NULL;
    memcpy(out, words, CS_SPIRV_HEADER_WORDS * sizeof *out);
    memcpy(out + CS_SPIRV_HEADER_WORDS, added, added_count * sizeof *out);
    memcpy(out + CS_SPIRV_HEADER_WORDS + added_count,
           words + CS_SPIRV_HEADER_WORDS,
           (word_count - CS_SPIRV_HEADER_WORDS) * sizeof *out);
    *out_word_count = word_count + added_count;
    return out;
}

static void free_pass(format_pass *p)
{
    free(p->definitions);
    free(p->sets);
    free(p->bindings);
    free(p->has_binding);
    free(p->wanted);
    free(p->conflicting);
}

cs_status cs_spirv_patch_image_formats(const uint32_t *words, size_t word_count,
                                       const uint32_t *bindings,
                                       const uint32_t *spirv_formats,
                                       size_t count, uint32_t **out_words,
                                       size_t *out_word_count)
{
    if (out_words == NULL || out_word_count == NULL ||
        (count > 0 && (bindings == NULL || spirv_formats == NULL)))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_spirv_patch_image_formats needs bindings and "
                       "formats for %zu entries and both outputs",
                       count);
    cs_spirv module;
    cs_status status = cs_spirv_open(words, word_count, &module);
    if (status != CS_OK)
        return status;
    uint32_t n = module.id_bound;
    format_pass p = {
        .words = malloc(word_count * sizeof(uint32_t)),
        .word_count = word_count,
        .id_bound = n,
        .definitions = calloc(n, sizeof(uint32_t)),
        .sets = calloc(n, sizeof(uint32_t)),
        .bindings = calloc(n, sizeof(uint32_t)),
        .has_binding = calloc(n, sizeof(bool)),
        .wanted = malloc(n * sizeof(uint32_t)),
        .conflicting = calloc(n, sizeof(bool)),
    };
    if (!p.words || !p.definitions || !p.sets || !p.bindings ||
        !p.has_binding || !p.wanted || !p.conflicting) {
        free(p.words);
        free_pass(&p);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate a %zu-word SPIR-V module", word_count);
    }
    memcpy(p.words, words, word_count * sizeof(uint32_t));
    for (uint32_t id = 0; id < n; id++)
        p.wanted[id] = NO_FORMAT_WANTED;
    index_module(&p);
    collect_wanted_formats(&p, bindings, spirv_formats, count);
    format_needs needs = apply_formats(&p);
    needs.read_unknown = needs.unknown && reads_unknown_format(&p);
    free_pass(&p);
    uint32_t capabilities[3];
    size_t capability_count = 0;
    if (needs.read_unknown)
        capabilities[capability_count++] =
            SpvCapabilityStorageImageReadWithoutFormat;
    if (needs.unknown)
        capabilities[capability_count++] =
            SpvCapabilityStorageImageWriteWithoutFormat;
    if (needs.extended)
        capabilities[capability_count++] =
            SpvCapabilityStorageImageExtendedFormats;
    uint32_t *patched = p.words;
    size_t patched_count = word_count;
    if (capability_count) {
        patched = add_capabilities(p.words, word_count, capabilities,
                                   capability_count, &patched_count);
        free(p.words);
        if (patched == NULL)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "cannot allocate a %zu-word SPIR-V module",
                           word_count + 6);
    }
    *out_words = patched;
    *out_word_count = patched_count;
    return CS_OK;
}

/* The spirv column of the one list of formats
 * (include/compushady_formats.h). */
uint32_t cs_spirv_image_format_from_dxgi(uint32_t dxgi_format)
{
    switch (dxgi_format) {
#define SPIRV_FORMAT_CASE(name, value, size, type, components, vulkan, spirv,  \
                          ...)                                                 \
    case value: return SpvImageFormat##spirv;
        CS_FORMAT_LIST(SPIRV_FORMAT_CASE)
#undef SPIRV_FORMAT_CASE
    default: return SpvImageFormatUnknown;
    }
}

/* gl_spirv.c - the SPIR-V the core hands over, made fit for OpenGL
 * (GL_ARB_gl_spirv):
 * - GL has no descriptor sets: each kind of binding has its own binding
 *   points (uniform buffers, storage buffers, image units, texture units),
 *   each numbered from 0. The bindings of the compushady convention
 *   (b0 = 0, t0 = 1024, u0 = 2048, s0 = 3072) are renumbered into them as
 *   gl_compute.c chose, and the DescriptorSet decorations dropped. Without
 *   this, t0 would ask for texture unit 1024, which GL ignores silently.
 * - GL has no push constants: the PushConstant block becomes a uniform
 *   block (same type, same member offsets, so D3D cbuffer packing
 *   survives) at the binding push_unit, fed from a buffer per dispatch.
 * - GL has no separate textures and samplers: a texture (OpTypeImage
 *   Sampled=1, also Buffer<T>) becomes a combined image sampler variable;
 *   each load of it loads the combined one and takes its image (OpImage);
 *   an OpSampledImage of it with a sampler becomes the combined value
 *   itself, and the sampler variables go: gl_compute.c binds the sampler
 *   object on the texture's unit. */
#include "gl_internal.h"

#include "../../shader/shader.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

/* What the first pass learns about each id. */
typedef enum id_role {
    ROLE_NONE = 0,
    ROLE_SAMPLED_IMAGE_TYPE, /* OpTypeImage, Sampled = 1 */
    ROLE_SAMPLER_TYPE,
    ROLE_TEXTURE_VARIABLE, /* UniformConstant variable of such an image */
    ROLE_SAMPLER_VARIABLE,
    ROLE_SAMPLER_VALUE, /* an OpLoad of a sampler variable (dropped) */
} id_role;

typedef struct rewriter {
    const uint32_t *words;
    size_t count;
    uint32_t bound;
    uint8_t *roles;        /* bound entries */
    uint32_t *pointee;     /* OpTypePointer: the type it points to */
    uint32_t *combined;    /* image type -> its OpTypeSampledImage, or 0 */
    uint32_t *pointer_of;  /* image type -> new UniformConstant pointer */
    uint32_t *loaded_from; /* OpImage result -> combined value id */
    uint8_t *declared;     /* OpTypeSampledImage ids already emitted */
    uint32_t *out;
    size_t length, capacity;
} rewriter;

static bool emit(rewriter *r, const uint32_t *words, uint32_t size)
{
    if (r->length + size > r->capacity) {
        size_t capacity = (r->capacity + size) * 2;
        uint32_t *grown = realloc(r->out, capacity * sizeof *grown);
        if (!grown)
            return false;
        r->out = grown;
        r->capacity = capacity;
    }
    memcpy(r->out + r->length, words, size * sizeof *words);
    r->length += size;
    return true;
}

static const gl_binding *binding_for(const cs_compute *compute,
                                     const gl_binding *bindings,
                                     uint32_t number)
{
    for (uint32_t i = 0; i < compute->slot_count; i++)
        if (compute->slots[i].binding.set == 0 &&
            compute->slots[i].binding.binding == number)
            return &bindings[i];
    return NULL;
}

static bool is_annotation(uint32_t opcode)
{
    return opcode == SpvOpDecorate || opcode == SpvOpMemberDecorate ||
           opcode == SpvOpDecorationGroup || opcode == SpvOpGroupDecorate ||
           opcode == SpvOpGroupMemberDecorate || opcode == SpvOpDecorateId ||
           opcode == SpvOpDecorateString || opcode == SpvOpMemberDecorateString;
}

static uint32_t operand(const rewriter *r, size_t at, uint32_t index)
{
    return index < cs_spirv_word_count(r->words[at]) ? r->words[at + index] : 0;
}

static bool valid_id(const rewriter *r, uint32_t id)
{
    return id > 0 && id < r->bound;
}

/* First pass: types, variables, push constants, end of annotations. */
static void survey(rewriter *r, uint32_t *out_push_variable,
                   size_t *out_annotations_end)
{
    size_t annotations_end = 0, first_type = 0;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < r->count;
         at += cs_spirv_word_count(r->words[at])) {
        uint32_t opcode = cs_spirv_opcode(r->words[at]);
        uint32_t a = operand(r, at, 1), b = operand(r, at, 2),
                 c = operand(r, at, 3);
        if (is_annotation(opcode))
            annotations_end = at + cs_spirv_word_count(r->words[at]);
        if (!first_type && opcode >= SpvOpTypeVoid &&
            opcode <= SpvOpTypeForwardPointer)
            first_type = at;
        switch (opcode) {
        case SpvOpTypeImage: /* result, sampled type, dim, depth, arrayed,
                                ms, sampled */
            if (valid_id(r, a) && operand(r, at, 7) == 1)
                r->roles[a] = ROLE_SAMPLED_IMAGE_TYPE;
            break;
        case SpvOpTypeSampler:
            if (valid_id(r, a))
                r->roles[a] = ROLE_SAMPLER_TYPE;
            break;
        case SpvOpTypeSampledImage:
            if (valid_id(r, a) && valid_id(r, b) && !r->combined[b])
                r->combined[b] = a;
            break;
        case SpvOpTypePointer:
            if (valid_id(r, a) && valid_id(r, c))
                r->pointee[a] = c;
            break;
        case SpvOpVariable: {
            if (!valid_id(r, a) || !valid_id(r, b))
                break;
            if (c == SpvStorageClassPushConstant)
                *out_push_variable = b;
            uint32_t type = r->pointee[a];
            if (c != SpvStorageClassUniformConstant || !type)
                break;
            if (r->roles[type] == ROLE_SAMPLED_IMAGE_TYPE)
                r->roles[b] = ROLE_TEXTURE_VARIABLE;
            else if (r->roles[type] == ROLE_SAMPLER_TYPE)
                r->roles[b] = ROLE_SAMPLER_VARIABLE;
            break;
        }
        default: break;
        }
    }
    *out_annotations_end = annotations_end
                               ? annotations_end
                               : (first_type ? first_type : r->count);
}

static uint32_t new_id(rewriter *r)
{
    return r->bound++;
}

static cs_status rewrite(rewriter *r, const cs_compute *compute,
                         const gl_binding *bindings, GLuint push_unit,
                         uint32_t push_variable, size_t annotations_end)
{
    const uint32_t push_decoration[4] = {(4u << 16) | SpvOpDecorate,
                                         push_variable, SpvDecorationBinding,
                                         push_unit};
    bool ok = emit(r, r->words, CS_SPIRV_HEADER_WORDS);
    for (size_t at = CS_SPIRV_HEADER_WORDS; ok && at < r->count;) {
        if (at == annotations_end && push_variable)
            ok = emit(r, push_decoration, 4);
        uint32_t size = cs_spirv_word_count(r->words[at]);
        uint32_t opcode = cs_spirv_opcode(r->words[at]);
        uint32_t copy[8] = {0};
        const uint32_t *source = r->words + at;
        at += size;
        if (size <= 8) {
            memcpy(copy, source, size * sizeof *copy);
            source = copy;
        }
        uint32_t a = size > 1 ? source[1] : 0, b = size > 2 ? source[2] : 0,
                 c = size > 3 ? source[3] : 0;
        switch (opcode) {
        case SpvOpName:
        case SpvOpDecorate:
            if (valid_id(r, a) && r->roles[a] == ROLE_SAMPLER_VARIABLE)
                continue; /* the sampler variables go */
            if (opcode == SpvOpDecorate && b == SpvDecorationDescriptorSet)
                continue; /* GL has no descriptor sets */
            if (opcode == SpvOpDecorate && b == SpvDecorationBinding &&
                size >= 4) {
                const gl_binding *binding = binding_for(compute, bindings, c);
                if (binding)
                    copy[3] = binding->unit;
            }
            break;
        case SpvOpTypeSampledImage:
            if (valid_id(r, a) && r->declared[a])
                continue; /* moved up to its first user */
            if (valid_id(r, a))
                r->declared[a] = 1;
            break;
        case SpvOpTypePointer:
            if (size >= 4 && b == SpvStorageClassPushConstant)
                copy[2] = SpvStorageClassUniform;
            break;
        case SpvOpVariable:
            if (size >= 4 && c == SpvStorageClassPushConstant)
                copy[3] = SpvStorageClassUniform;
            if (valid_id(r, b) && r->roles[b] == ROLE_SAMPLER_VARIABLE)
                continue;
            if (valid_id(r, b) && r->roles[b] == ROLE_TEXTURE_VARIABLE) {
                uint32_t image = r->pointee[a];
                if (!r->combined[image])
                    r->combined[image] = new_id(r);
                if (!r->declared[r->combined[image]]) {
                    /* glslang may declare it after the variable: moved up */
                    r->declared[r->combined[image]] = 1;
                    const uint32_t type[3] = {(3u << 16) |
                                                  SpvOpTypeSampledImage,
                                              r->combined[image], image};
                    ok = ok && emit(r, type, 3);
                }
                if (!r->pointer_of[image]) {
                    r->pointer_of[image] = new_id(r);
                    const uint32_t pointer[4] = {
                        (4u << 16) | SpvOpTypePointer, r->pointer_of[image],
                        SpvStorageClassUniformConstant, r->combined[image]};
                    ok = ok && emit(r, pointer, 4);
                }
                copy[1] = r->pointer_of[image];
            }
            break;
        case SpvOpLoad: /* result type, result, pointer */
            if (valid_id(r, c) && r->roles[c] == ROLE_SAMPLER_VARIABLE) {
                if (valid_id(r, b))
                    r->roles[b] = ROLE_SAMPLER_VALUE;
                continue;
            }
            if (valid_id(r, c) && r->roles[c] == ROLE_TEXTURE_VARIABLE &&
                valid_id(r, a) && valid_id(r, b)) {
                uint32_t combined_value = new_id(r);
                const uint32_t load[4] = {(4u << 16) | SpvOpLoad,
                                          r->combined[a], combined_value, c};
                const uint32_t image[4] = {(4u << 16) | SpvOpImage, a, b,
                                           combined_value};
                r->loaded_from[b] = combined_value;
                ok = ok && emit(r, load, 4) && emit(r, image, 4);
                continue;
            }
            break;
        case SpvOpSampledImage: /* result type, result, image, sampler */
            if (size >= 5 && valid_id(r, copy[4]) &&
                r->roles[copy[4]] == ROLE_SAMPLER_VALUE) {
                if (!valid_id(r, c) || !r->loaded_from[c])
                    return gl_unsupported(
                        "a texture sampled other than straight from its "
                        "variable (through a function parameter or a "
                        "selection)");
                const uint32_t same[4] = {(4u << 16) | SpvOpCopyObject, a, b,
                                          r->loaded_from[c]};
                ok = ok && emit(r, same, 4);
                continue;
            }
            break;
        default: break;
        }
        ok = ok && emit(r, source, size);
    }
    if (ok && annotations_end == r->count && push_variable)
        ok = emit(r, push_decoration, 4);
    if (!ok)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory rewriting a shader for OpenGL");
    r->out[3] = r->bound;
    return CS_OK;
}

cs_status gl_spirv_rewrite(const cs_compute *compute, const uint32_t *words,
                           size_t word_count, const gl_binding *bindings,
                           GLuint push_unit, uint32_t **out_words,
                           size_t *out_word_count)
{
    rewriter r = {
        .words = words,
        .count = word_count,
    };
    r.bound = r.words[3];
    /* room for the new ids too: at most 4 per load of a texture */
    size_t ids = (size_t)r.bound + r.count;
    r.roles = calloc(ids, sizeof *r.roles);
    r.pointee = calloc(ids, sizeof *r.pointee);
    r.combined = calloc(ids, sizeof *r.combined);
    r.pointer_of = calloc(ids, sizeof *r.pointer_of);
    r.loaded_from = calloc(ids, sizeof *r.loaded_from);
    r.declared = calloc(ids, sizeof *r.declared);
    r.capacity = r.count + 64;
    r.out = malloc(r.capacity * sizeof *r.out);
    cs_status status = CS_OK;
    if (!r.roles || !r.pointee || !r.combined || !r.pointer_of ||
        !r.loaded_from || !r.declared || !r.out)
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "out of host memory rewriting a shader for OpenGL");
    if (status == CS_OK) {
        uint32_t push_variable = 0;
        size_t annotations_end = 0;
        survey(&r, &push_variable, &annotations_end);
        status = rewrite(&r, compute, bindings, push_unit, push_variable,
                         annotations_end);
    }
    free(r.roles);
    free(r.pointee);
    free(r.combined);
    free(r.pointer_of);
    free(r.loaded_from);
    free(r.declared);
    if (status != CS_OK) {
        free(r.out);
        return status;
    }
    *out_words = r.out;
    *out_word_count = r.length;
    return CS_OK;
}

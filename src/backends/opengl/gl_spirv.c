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
 *   survives) at the binding push_unit, fed from a buffer per dispatch. */
#include "gl_internal.h"

#include "../../shader/shader_internal.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

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

cs_status gl_spirv_rewrite(const cs_compute *compute,
                           const gl_binding *bindings, GLuint push_unit,
                           uint32_t **out_words, size_t *out_word_count)
{
    const uint32_t *words = compute->spirv;
    size_t count = compute->spirv_size / 4;

    /* first pass: the push constant variable, the binding of every
     * variable, and where the annotations end */
    uint32_t push_variable = 0;
    size_t annotations_end = 0, first_type = 0;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < count;
         at += cs_spirv_word_count(words[at])) {
        uint32_t opcode = cs_spirv_opcode(words[at]);
        if (opcode == SpvOpVariable && at + 3 < count &&
            words[at + 3] == SpvStorageClassPushConstant)
            push_variable = words[at + 2];
        if (is_annotation(opcode))
            annotations_end = at + cs_spirv_word_count(words[at]);
        if (!first_type && opcode >= SpvOpTypeVoid &&
            opcode <= SpvOpTypeForwardPointer)
            first_type = at;
    }
    if (!annotations_end)
        annotations_end = first_type ? first_type : count;

    uint32_t *out = malloc((count + 4) * sizeof *out);
    if (!out)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory rewriting a shader for OpenGL");
    memcpy(out, words, CS_SPIRV_HEADER_WORDS * sizeof *out);
    size_t length = CS_SPIRV_HEADER_WORDS;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < count;) {
        if (at == annotations_end && push_variable) {
            out[length++] = (4u << 16) | SpvOpDecorate;
            out[length++] = push_variable;
            out[length++] = SpvDecorationBinding;
            out[length++] = push_unit;
        }
        uint32_t size = cs_spirv_word_count(words[at]);
        uint32_t opcode = cs_spirv_opcode(words[at]);
        uint32_t *copy = out + length;
        memcpy(copy, words + at, size * sizeof *out);
        at += size;
        if (opcode == SpvOpDecorate && size >= 3) {
            if (copy[2] == SpvDecorationDescriptorSet)
                continue; /* dropped */
            if (copy[2] == SpvDecorationBinding && size >= 4) {
                const gl_binding *binding =
                    binding_for(compute, bindings, copy[3]);
                if (binding)
                    copy[3] = binding->unit;
            }
        } else if (opcode == SpvOpTypePointer && size >= 4 &&
                   copy[2] == SpvStorageClassPushConstant) {
            copy[2] = SpvStorageClassUniform;
        } else if (opcode == SpvOpVariable && size >= 4 &&
                   copy[3] == SpvStorageClassPushConstant) {
            copy[3] = SpvStorageClassUniform;
        }
        length += size;
    }
    if (annotations_end == count && push_variable) {
        out[length++] = (4u << 16) | SpvOpDecorate;
        out[length++] = push_variable;
        out[length++] = SpvDecorationBinding;
        out[length++] = push_unit;
    }
    *out_words = out;
    *out_word_count = length;
    return CS_OK;
}

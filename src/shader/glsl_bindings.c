/* glsl_bindings.c - the original compushady's GLSL bindings: one sequence of
 * binding numbers across kinds (0, 1, 2...), each resource mapped by kind
 * into the register space compushady.h's convention gives that kind, in
 * binding order:
 *
 *   uniform buffer                            -> bN (binding N)
 *   sampled texture, uniform texel buffer     -> tN (binding 1024 + N)
 *   storage image / texel buffer / buffer     -> uN (binding 2048 + N)
 *   sampler                                   -> sN (binding 3072 + N)
 *
 * where N counts the resources of that kind with a lower (set, binding).
 * So `sampler s` at 0, `texture2D t` at 1, `image2D i` at 2 and a uniform at
 * 3 become s0, t0, u0, b0. Variables that share a (set, binding) share the
 * register. The Binding decorations are rewritten in place. */
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

typedef enum register_kind {
    REGISTER_B,
    REGISTER_T,
    REGISTER_U,
    REGISTER_S,
    REGISTER_KINDS,
} register_kind;

static const uint32_t register_base[REGISTER_KINDS] = {
    CS_REGISTER_B_BASE, CS_REGISTER_T_BASE, CS_REGISTER_U_BASE,
    CS_REGISTER_S_BASE};

typedef struct id_info {
    uint32_t definition; /* word index of the defining instruction, 0 = none */
    bool block, buffer_block;
} id_info;

typedef struct binding_use {
    uint32_t decoration; /* word index of the OpDecorate ... Binding */
    uint32_t set, binding;
    register_kind kind;
} binding_use;

/* The kind of a descriptor variable, from its pointer type; false when the
 * variable is not a descriptor this pass knows. */
static bool kind_of_variable(const cs_spirv *module, const id_info *ids,
                             uint32_t variable, register_kind *out_kind)
{
    const uint32_t *words = module->words;
    uint32_t at = ids[variable].definition;
    if (at == 0 || cs_spirv_opcode(words[at]) != SpvOpVariable ||
        cs_spirv_word_count(words[at]) < 4)
        return false;
    uint32_t pointer = words[at + 1];
    if (pointer >= module->id_bound || ids[pointer].definition == 0)
        return false;
    const uint32_t *inst = words + ids[pointer].definition;
    if (cs_spirv_opcode(inst[0]) != SpvOpTypePointer ||
        cs_spirv_word_count(inst[0]) < 4)
        return false;
    uint32_t storage_class = inst[2];
    uint32_t type = inst[3];
    /* arrays of descriptors take the kind of their element */
    for (int depth = 0; depth < 8; depth++) {
        if (type >= module->id_bound || ids[type].definition == 0)
            return false;
        inst = words + ids[type].definition;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        if (opcode != SpvOpTypeArray && opcode != SpvOpTypeRuntimeArray)
            break;
        type = inst[2];
    }
    uint32_t opcode = cs_spirv_opcode(inst[0]);
    if (storage_class == SpvStorageClassStorageBuffer) {
        *out_kind = REGISTER_U;
        return true;
    }
    if (storage_class == SpvStorageClassUniform) {
        *out_kind = ids[type].buffer_block ? REGISTER_U : REGISTER_B;
        return true;
    }
    if (storage_class != SpvStorageClassUniformConstant)
        return false;
    switch (opcode) {
    case SpvOpTypeSampler: *out_kind = REGISTER_S; return true;
    case SpvOpTypeSampledImage: *out_kind = REGISTER_T; return true;
    case SpvOpTypeImage:
        /* operand 7 is Sampled: 2 = storage image */
        *out_kind = cs_spirv_word_count(inst[0]) > 7 && inst[7] == 2
                        ? REGISTER_U
                        : REGISTER_T;
        return true;
    default: *out_kind = REGISTER_T; return true;
    }
}

static int compare_uses(const void *a, const void *b)
{
    const binding_use *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    if (x->binding != y->binding)
        return x->binding < y->binding ? -1 : 1;
    return 0;
}

cs_status cs_spirv_assign_original_glsl_bindings(uint32_t *words,
                                                 size_t word_count)
{
    cs_spirv module;
    cs_status status = cs_spirv_open(words, word_count, &module);
    if (status != CS_OK)
        return status;
    id_info *ids = calloc(module.id_bound, sizeof *ids);
    uint32_t *sets = calloc(module.id_bound, sizeof *sets);
    size_t use_capacity = 16, use_count = 0;
    binding_use *uses = malloc(use_capacity * sizeof *uses);
    if (ids == NULL || sets == NULL || uses == NULL) {
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "cannot allocate the SPIR-V id table (%u ids)",
                         module.id_bound);
        goto done;
    }
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < word_count;
         at += cs_spirv_word_count(words[at])) {
        uint32_t opcode = cs_spirv_opcode(words[at]);
        uint32_t count = cs_spirv_word_count(words[at]);
        if (opcode == SpvOpDecorate && count >= 3 &&
            words[at + 1] < module.id_bound) {
            uint32_t target = words[at + 1];
            uint32_t decoration = words[at + 2];
            if (decoration == SpvDecorationBlock)
                ids[target].block = true;
            else if (decoration == SpvDecorationBufferBlock)
                ids[target].buffer_block = true;
            else if (decoration == SpvDecorationDescriptorSet && count >= 4)
                sets[target] = words[at + 3];
            else if (decoration == SpvDecorationBinding && count >= 4) {
                if (use_count == use_capacity) {
                    binding_use *grown =
                        realloc(uses, 2 * use_capacity * sizeof *uses);
                    if (grown == NULL) {
                        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                                         "cannot allocate the binding table");
                        goto done;
                    }
                    uses = grown;
                    use_capacity *= 2;
                }
                uses[use_count].decoration = (uint32_t)at;
                uses[use_count].binding = words[at + 3];
                use_count++;
            }
            continue;
        }
        /* every type and variable has its result id in operand 1, but
         * OpVariable (result type first) */
        uint32_t result = 0;
        if (opcode >= SpvOpTypeVoid && opcode <= SpvOpTypeForwardPointer &&
            count >= 2)
            result = words[at + 1];
        else if (opcode == SpvOpVariable && count >= 3)
            result = words[at + 2];
        if (result != 0 && result < module.id_bound)
            ids[result].definition = (uint32_t)at;
    }
    size_t kept = 0;
    for (size_t i = 0; i < use_count; i++) {
        uint32_t variable = words[uses[i].decoration + 1];
        register_kind kind;
        if (!kind_of_variable(&module, ids, variable, &kind))
            continue;
        uses[kept] = uses[i];
        uses[kept].kind = kind;
        uses[kept].set = sets[variable];
        kept++;
    }
    qsort(uses, kept, sizeof *uses, compare_uses);
    uint32_t index = 0;
    for (size_t i = 0; i < kept; i++) {
        if (i > 0 && uses[i].kind != uses[i - 1].kind)
            index = 0;
        else if (i > 0 && compare_uses(&uses[i], &uses[i - 1]) != 0)
            index++;
        words[uses[i].decoration + 3] = register_base[uses[i].kind] + index;
    }
done:
    free(ids);
    free(sets);
    free(uses);
    return status;
}

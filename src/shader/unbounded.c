/* unbounded.c - cs_spirv_make_unbounded_arrays: HLSL unbounded resource
 * arrays (`Texture2D t[]`), which hlsl_compat.c sized with
 * CS_HLSL_UNBOUNDED_ARRAY_SIZE for glslang, become runtime descriptor
 * arrays, with NonUniform on their dynamically indexed accesses
 * (shader_internal.h says what exactly). */
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

enum {
    SENTINEL = 1u << 0,   /* OpConstant of the sentinel length */
    CONSTANT = 1u << 1,   /* any constant: a uniform index */
    CANDIDATE = 1u << 2,  /* OpTypeArray of the sentinel length */
    CONVERT = 1u << 3,    /* ... pointed to by a descriptor pointer */
    ARRAY_PTR = 1u << 4,  /* pointer type to a converted array */
    ARRAY_VAR = 1u << 5,  /* variable of such a pointer type */
    NONUNIFORM = 1u << 6, /* result to decorate NonUniform */
    BUFFER_BLOCK = 1u << 7,
    OPAQUE = 1u << 8, /* image, sampler or sampled image type */
};

/* UniformBuffer..StorageTexelBufferArrayNonUniformIndexing: 5306..5312 */
#define FIRST_NONUNIFORM_CAPABILITY                                            \
    ((uint32_t)SpvCapabilityUniformBufferArrayNonUniformIndexing)

typedef struct unbounded_pass {
    const uint32_t *words;
    size_t word_count;
    uint32_t id_bound, version;
    uint16_t *flags;      /* by id */
    uint32_t *defined_at; /* word index by type id, 0 = none */
    uint32_t *pointee;    /* by variable id: the array type */
    bool needs[7];        /* by capability - FIRST_NONUNIFORM_CAPABILITY */
    size_t nonuniform_count;
} unbounded_pass;

static uint32_t count_of(const uint32_t *inst)
{
    return cs_spirv_word_count(inst[0]);
}

static const uint32_t *type_inst(const unbounded_pass *p, uint32_t id)
{
    if (id == 0 || id >= p->id_bound || p->defined_at[id] == 0)
        return NULL;
    return p->words + p->defined_at[id];
}

static bool has(const unbounded_pass *p, uint32_t id, uint16_t flag)
{
    return id < p->id_bound && (p->flags[id] & flag);
}

static void mark(unbounded_pass *p, uint32_t id, uint16_t flag)
{
    if (id == 0 || id >= p->id_bound)
        return;
    if (flag == NONUNIFORM && !(p->flags[id] & NONUNIFORM))
        p->nonuniform_count++;
    p->flags[id] |= flag;
}

/* The <kind>ArrayNonUniformIndexing capability for an array of element
 * type `element` in `storage` class. */
static uint32_t nonuniform_capability(const unbounded_pass *p, uint32_t element,
                                      uint32_t storage)
{
    const uint32_t *inst = type_inst(p, element);
    if (inst == NULL)
        return 0;
    switch (cs_spirv_opcode(inst[0])) {
    case SpvOpTypeImage:
        if (count_of(inst) < 9)
            return 0;
        if (inst[3] == SpvDimBuffer)
            return inst[7] == 2
                       ? SpvCapabilityStorageTexelBufferArrayNonUniformIndexing
                       : SpvCapabilityUniformTexelBufferArrayNonUniformIndexing;
        return inst[7] == 2 ? SpvCapabilityStorageImageArrayNonUniformIndexing
                            : SpvCapabilitySampledImageArrayNonUniformIndexing;
    case SpvOpTypeSampler:
    case SpvOpTypeSampledImage:
        return SpvCapabilitySampledImageArrayNonUniformIndexing;
    case SpvOpTypeStruct:
        if (storage == SpvStorageClassStorageBuffer ||
            has(p, element, BUFFER_BLOCK))
            return SpvCapabilityStorageBufferArrayNonUniformIndexing;
        return SpvCapabilityUniformBufferArrayNonUniformIndexing;
    default: return 0;
    }
}

static bool is_constant(uint32_t opcode)
{
    return opcode == SpvOpConstant || opcode == SpvOpConstantNull ||
           opcode == SpvOpConstantComposite || opcode == SpvOpSpecConstant ||
           opcode == SpvOpSpecConstantOp ||
           opcode == SpvOpSpecConstantComposite;
}

static void scan(unbounded_pass *p)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        uint32_t count = count_of(inst);
        if (opcode >= SpvOpTypeVoid && opcode <= SpvOpTypeForwardPointer &&
            count >= 2 && inst[1] < p->id_bound)
            p->defined_at[inst[1]] = (uint32_t)at;
        if (opcode == SpvOpTypeImage || opcode == SpvOpTypeSampler ||
            opcode == SpvOpTypeSampledImage)
            mark(p, count >= 2 ? inst[1] : 0, OPAQUE);
        if (opcode == SpvOpDecorate && count >= 3 &&
            inst[2] == SpvDecorationBufferBlock)
            mark(p, inst[1], BUFFER_BLOCK);
        if (is_constant(opcode) && count >= 3) {
            mark(p, inst[2], CONSTANT);
            const uint32_t *type = type_inst(p, inst[1]);
            if (opcode == SpvOpConstant && count == 4 && type &&
                cs_spirv_opcode(type[0]) == SpvOpTypeInt &&
                count_of(type) >= 3 && type[2] == 32 &&
                inst[3] == CS_HLSL_UNBOUNDED_ARRAY_SIZE)
                mark(p, inst[2], SENTINEL);
        }
        if (opcode == SpvOpTypeArray && count >= 4 && has(p, inst[3], SENTINEL))
            mark(p, inst[1], CANDIDATE);
        if (opcode == SpvOpTypePointer && count >= 4 &&
            (inst[2] == SpvStorageClassUniformConstant ||
             inst[2] == SpvStorageClassUniform ||
             inst[2] == SpvStorageClassStorageBuffer) &&
            has(p, inst[3], CANDIDATE)) {
            mark(p, inst[3], CONVERT);
            mark(p, inst[1], ARRAY_PTR);
        }
        if (opcode == SpvOpVariable && count >= 4 &&
            has(p, inst[1], ARRAY_PTR) && inst[2] < p->id_bound) {
            mark(p, inst[2], ARRAY_VAR);
            const uint32_t *pointer = type_inst(p, inst[1]);
            bool is_pointer = pointer &&
                              cs_spirv_opcode(pointer[0]) == SpvOpTypePointer &&
                              count_of(pointer) >= 4;
            p->pointee[inst[2]] = is_pointer ? pointer[3] : 0;
        }
        if ((opcode == SpvOpAccessChain ||
             opcode == SpvOpInBoundsAccessChain) &&
            count >= 5) {
            bool dynamic =
                has(p, inst[3], ARRAY_VAR) && !has(p, inst[4], CONSTANT);
            if (dynamic) {
                const uint32_t *array = type_inst(p, p->pointee[inst[3]]);
                const uint32_t *pointer = type_inst(p, inst[1]);
                bool well_formed =
                    array && cs_spirv_opcode(array[0]) == SpvOpTypeArray &&
                    count_of(array) >= 4 && pointer &&
                    cs_spirv_opcode(pointer[0]) == SpvOpTypePointer &&
                    count_of(pointer) >= 4;
                uint32_t capability =
                    well_formed ? nonuniform_capability(p, array[2], pointer[2])
                                : 0;
                if (capability >= FIRST_NONUNIFORM_CAPABILITY &&
                    capability < FIRST_NONUNIFORM_CAPABILITY + 7)
                    p->needs[capability - FIRST_NONUNIFORM_CAPABILITY] = true;
            }
            if (dynamic || has(p, inst[3], NONUNIFORM))
                mark(p, inst[2], NONUNIFORM);
        }
        /* images and samplers loaded through such pointers, and what is
         * made of them */
        if (opcode == SpvOpLoad && count >= 4 && has(p, inst[3], NONUNIFORM) &&
            has(p, inst[1], OPAQUE))
            mark(p, inst[2], NONUNIFORM);
        if ((opcode == SpvOpCopyObject || opcode == SpvOpImage) && count >= 4 &&
            has(p, inst[3], NONUNIFORM))
            mark(p, inst[2], NONUNIFORM);
        if (opcode == SpvOpSampledImage && count >= 5 &&
            (has(p, inst[3], NONUNIFORM) || has(p, inst[4], NONUNIFORM)))
            mark(p, inst[2], NONUNIFORM);
    }
}

static bool declares(const unbounded_pass *p, uint32_t opcode, uint32_t value)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        if (cs_spirv_opcode(inst[0]) == opcode && count_of(inst) >= 2 &&
            inst[1] == value)
            return true;
    }
    return false;
}

static const char extension[] = "SPV_EXT_descriptor_indexing";

static bool declares_extension(const unbounded_pass *p)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        char name[sizeof extension + 1];
        if (cs_spirv_opcode(inst[0]) == SpvOpExtension &&
            cs_spirv_read_string(inst, 1, name, sizeof name) &&
            strcmp(name, extension) == 0)
            return true;
    }
    return false;
}

static bool is_annotation(uint32_t opcode)
{
    return (opcode >= SpvOpDecorate && opcode <= SpvOpGroupMemberDecorate) ||
           opcode == SpvOpDecorateId || opcode == SpvOpDecorateString ||
           opcode == SpvOpMemberDecorateString;
}

typedef struct emitter {
    uint32_t *words;
    size_t count;
} emitter;

static void emit(emitter *e, const uint32_t *words, size_t count)
{
    memcpy(e->words + e->count, words, count * 4);
    e->count += count;
}

static void emit_capability(emitter *e, const unbounded_pass *p,
                            uint32_t capability)
{
    if (declares(p, SpvOpCapability, capability))
        return;
    uint32_t inst[2] = {(2u << 16) | SpvOpCapability, capability};
    emit(e, inst, 2);
}

/* Capabilities and the extension, emitted after the module's last
 * OpCapability. */
static void emit_preamble(emitter *e, const unbounded_pass *p)
{
    emit_capability(e, p, SpvCapabilityRuntimeDescriptorArray);
    if (p->nonuniform_count) {
        emit_capability(e, p, SpvCapabilityShaderNonUniform);
        for (uint32_t i = 0; i < 7; i++)
            if (p->needs[i])
                emit_capability(e, p, FIRST_NONUNIFORM_CAPABILITY + i);
    }
    if (p->version < 0x00010500u && !declares_extension(p)) {
        uint32_t inst[1 + (sizeof extension + 3) / 4] = {0};
        inst[0] = ((uint32_t)(sizeof inst / 4) << 16) | SpvOpExtension;
        memcpy(inst + 1, extension, sizeof extension);
        emit(e, inst, sizeof inst / 4);
    }
}

static void emit_module(emitter *e, const unbounded_pass *p)
{
    size_t last_capability = 0, last_annotation = 0;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        uint32_t opcode = cs_spirv_opcode(p->words[at]);
        if (opcode == SpvOpCapability)
            last_capability = at;
        if (is_annotation(opcode))
            last_annotation = at;
        if (opcode == SpvOpFunction)
            break;
    }
    emit(e, p->words, CS_SPIRV_HEADER_WORDS);
    if (last_capability == 0)
        emit_preamble(e, p);
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        if (cs_spirv_opcode(inst[0]) == SpvOpTypeArray &&
            has(p, inst[1], CONVERT)) {
            uint32_t runtime[3] = {(3u << 16) | SpvOpTypeRuntimeArray, inst[1],
                                   inst[2]};
            emit(e, runtime, 3);
        } else {
            emit(e, inst, count_of(inst));
        }
        if (at == last_capability)
            emit_preamble(e, p);
        if (at == last_annotation) {
            for (uint32_t id = 1; id < p->id_bound; id++) {
                if (!has(p, id, NONUNIFORM))
                    continue;
                uint32_t decorate[3] = {(3u << 16) | SpvOpDecorate, id,
                                        SpvDecorationNonUniform};
                emit(e, decorate, 3);
            }
        }
    }
}

cs_status cs_spirv_make_unbounded_arrays(uint32_t **io_words,
                                         size_t *io_word_count)
{
    cs_spirv module;
    cs_status status = cs_spirv_open(*io_words, *io_word_count, &module);
    if (status != CS_OK)
        return status;
    unbounded_pass p = {
        .words = module.words,
        .word_count = module.word_count,
        .id_bound = module.id_bound,
        .version = module.version,
        .flags = calloc(module.id_bound, sizeof *p.flags),
        .defined_at = calloc(module.id_bound, sizeof *p.defined_at),
        .pointee = calloc(module.id_bound, sizeof *p.pointee),
    };
    if (!p.flags || !p.defined_at || !p.pointee) {
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "out of host memory for unbounded arrays");
        goto done;
    }
    scan(&p);
    bool any = false;
    for (uint32_t id = 1; id < p.id_bound && !any; id++)
        any = has(&p, id, CONVERT);
    if (!any)
        goto done;
    /* at most: 9 capabilities, the extension, a decoration per result */
    size_t capacity = p.word_count + 9 * 2 + 1 + (sizeof extension + 3) / 4 +
                      3 * p.nonuniform_count;
    emitter e = {.words = malloc(capacity * 4)};
    if (e.words == NULL) {
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "out of host memory for unbounded arrays");
        goto done;
    }
    emit_module(&e, &p);
    free(*io_words);
    *io_words = e.words;
    *io_word_count = e.count;
done:
    free(p.flags);
    free(p.defined_at);
    free(p.pointee);
    return status;
}

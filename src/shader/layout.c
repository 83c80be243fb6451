/* layout.c - gives glslang's HLSL storage buffers D3D's packing.
 *
 * glslang lays out (RW)StructuredBuffer<T> with std430 rules (a float3
 * array has a 16-byte stride, structs align to 16). D3D packs structured
 * buffers tightly: alignment is the scalar size, structs align to their
 * largest member, array strides are the element size rounded to that
 * alignment. That is exactly Vulkan's scalar block layout, so the
 * decorations are recomputed with its rules and rewritten in place (same
 * word count). Constant buffers and push constants keep glslang's HLSL
 * offsets, which already follow cbuffer packing. */
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

enum { MAX_TYPE_DEPTH = 64 };

enum {
    REACHED_BY_STORAGE = 1u << 0, /* gets the scalar layout */
    REACHED_BY_KEPT = 1u << 1,    /* a cbuffer or push constant keeps it */
};

typedef struct type_layout {
    uint64_t size;
    uint32_t alignment;
    bool computed;
} type_layout;

typedef struct layout_pass {
    uint32_t *words;
    size_t word_count;
    uint32_t id_bound;
    uint32_t *definitions; /* word index by id, 0 = none */
    bool *buffer_block;    /* BufferBlock decoration by id */
    bool *block;           /* Block decoration by id */
    uint8_t *reached;      /* REACHED_* by id */
    type_layout *layouts;  /* scalar layout by id */
} layout_pass;

static uint32_t count_of(const uint32_t *inst)
{
    return cs_spirv_word_count(inst[0]);
}

/* The defining instruction of a type id, or NULL. */
static const uint32_t *type_of(const layout_pass *p, uint32_t id)
{
    if (id == 0 || id >= p->id_bound || p->definitions[id] == 0)
        return NULL;
    return p->words + p->definitions[id];
}

static uint32_t opcode_of(const layout_pass *p, uint32_t id)
{
    const uint32_t *inst = type_of(p, id);
    return inst ? cs_spirv_opcode(inst[0]) : 0;
}

static cs_status malformed(const char *what, uint32_t id)
{
    return cs_fail(CS_ERROR_SHADER_COMPILE,
                   "the compiler produced SPIR-V with %s (id %u); cannot "
                   "apply D3D buffer layouts",
                   what, id);
}

static cs_status index_types(layout_pass *p)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        uint32_t result = 0;
        if (opcode >= SpvOpTypeVoid && opcode <= SpvOpTypeForwardPointer)
            result = count_of(inst) >= 2 ? inst[1] : 0;
        else if (opcode == SpvOpConstant || opcode == SpvOpSpecConstant ||
                 opcode == SpvOpVariable)
            result = count_of(inst) >= 3 ? inst[2] : 0;
        else if (opcode == SpvOpDecorate && count_of(inst) >= 3 &&
                 inst[1] < p->id_bound) {
            p->block[inst[1]] |= inst[2] == SpvDecorationBlock;
            p->buffer_block[inst[1]] |= inst[2] == SpvDecorationBufferBlock;
        }
        if (result != 0 && result < p->id_bound)
            p->definitions[result] = (uint32_t)at;
    }
    return CS_OK;
}

static void mark_reached(layout_pass *p, uint32_t id, uint8_t how, int depth)
{
    const uint32_t *inst = type_of(p, id);
    if (inst == NULL || depth > MAX_TYPE_DEPTH || (p->reached[id] & how))
        return;
    p->reached[id] |= how;
    uint32_t opcode = cs_spirv_opcode(inst[0]);
    if (opcode == SpvOpTypeStruct) {
        for (uint32_t w = 2; w < count_of(inst); w++)
            mark_reached(p, inst[w], how, depth + 1);
    } else if ((opcode == SpvOpTypeArray || opcode == SpvOpTypeRuntimeArray) &&
               count_of(inst) >= 3) {
        mark_reached(p, inst[2], how, depth + 1);
    }
}

/* The struct a buffer variable points at, looking through descriptor
 * arrays; 0 when it points at something else. */
static uint32_t block_struct(const layout_pass *p, uint32_t pointee)
{
    uint32_t opcode = opcode_of(p, pointee);
    if (opcode == SpvOpTypeArray || opcode == SpvOpTypeRuntimeArray) {
        const uint32_t *array = type_of(p, pointee);
        pointee = count_of(array) >= 3 ? array[2] : 0;
    }
    return opcode_of(p, pointee) == SpvOpTypeStruct ? pointee : 0;
}

static void mark_buffers(layout_pass *p)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        if (cs_spirv_opcode(inst[0]) != SpvOpVariable || count_of(inst) < 4)
            continue;
        const uint32_t *pointer = type_of(p, inst[1]);
        if (pointer == NULL ||
            cs_spirv_opcode(pointer[0]) != SpvOpTypePointer ||
            count_of(pointer) < 4)
            continue;
        uint32_t block = block_struct(p, pointer[3]);
        if (block == 0)
            continue;
        uint32_t storage_class = inst[3];
        bool storage =
            storage_class == SpvStorageClassStorageBuffer ||
            (storage_class == SpvStorageClassUniform && p->buffer_block[block]);
        bool kept =
            storage_class == SpvStorageClassPushConstant ||
            (storage_class == SpvStorageClassUniform && p->block[block]);
        if (storage)
            mark_reached(p, block, REACHED_BY_STORAGE, 0);
        else if (kept)
            mark_reached(p, block, REACHED_BY_KEPT, 0);
    }
}

static uint64_t round_up(uint64_t value, uint32_t alignment)
{
    return alignment ? (value + alignment - 1) / alignment * alignment : value;
}

static bool array_length(const layout_pass *p, uint32_t constant_id,
                         uint32_t *out_length)
{
    const uint32_t *inst = type_of(p, constant_id);
    if (inst == NULL || count_of(inst) < 4 ||
        (cs_spirv_opcode(inst[0]) != SpvOpConstant &&
         cs_spirv_opcode(inst[0]) != SpvOpSpecConstant))
        return false;
    *out_length = inst[3];
    return true;
}

static cs_status scalar_layout(layout_pass *p, uint32_t id, int depth,
                               type_layout *out);

static cs_status struct_layout(layout_pass *p, const uint32_t *inst, int depth,
                               type_layout *out)
{
    uint64_t end = 0;
    uint32_t alignment = 1;
    for (uint32_t w = 2; w < count_of(inst); w++) {
        type_layout member;
        cs_status status = scalar_layout(p, inst[w], depth + 1, &member);
        if (status != CS_OK)
            return status;
        end = round_up(end, member.alignment) + member.size;
        if (member.alignment > alignment)
            alignment = member.alignment;
    }
    out->size = round_up(end, alignment);
    out->alignment = alignment;
    return CS_OK;
}

/* Size and alignment of a type under the scalar block layout. */
static cs_status scalar_layout(layout_pass *p, uint32_t id, int depth,
                               type_layout *out)
{
    const uint32_t *inst = type_of(p, id);
    if (inst == NULL || depth > MAX_TYPE_DEPTH)
        return malformed("an undefined or too deeply nested type", id);
    if (p->layouts[id].computed) {
        *out = p->layouts[id];
        return CS_OK;
    }
    uint32_t count = count_of(inst);
    type_layout layout = {0};
    cs_status status = CS_OK;
    switch (cs_spirv_opcode(inst[0])) {
    case SpvOpTypeBool: layout = (type_layout){4, 4, true}; break;
    case SpvOpTypeInt:
    case SpvOpTypeFloat:
        if (count < 3 || inst[2] < 8)
            return malformed("a scalar type without width", id);
        layout.size = inst[2] / 8;
        layout.alignment = inst[2] / 8;
        break;
    case SpvOpTypeVector:
    case SpvOpTypeMatrix: {
        /* a matrix is its columns back to back whatever its majorness:
         * C columns of R scalars or R rows of C scalars, tightly */
        if (count < 4)
            return malformed("a truncated vector or matrix type", id);
        type_layout element;
        status = scalar_layout(p, inst[2], depth + 1, &element);
        layout.size = element.size * inst[3];
        layout.alignment = element.alignment;
        break;
    }
    case SpvOpTypeArray:
    case SpvOpTypeRuntimeArray: {
        uint32_t length = 0;
        bool sized = cs_spirv_opcode(inst[0]) == SpvOpTypeArray;
        if (count < (sized ? 4u : 3u) ||
            (sized && !array_length(p, inst[3], &length)))
            return malformed("an array without constant length", id);
        type_layout element;
        status = scalar_layout(p, inst[2], depth + 1, &element);
        layout.size = round_up(element.size, element.alignment) * length;
        layout.alignment = element.alignment;
        break;
    }
    case SpvOpTypeStruct:
        status = struct_layout(p, inst, depth, &layout);
        break;
    case SpvOpTypePointer: layout = (type_layout){8, 8, true}; break;
    default: return malformed("a type that cannot be in a buffer", id);
    }
    if (status != CS_OK)
        return status;
    layout.computed = true;
    p->layouts[id] = layout;
    *out = layout;
    return CS_OK;
}

/* Scalar offset of member `member` of struct `struct_id`. */
static cs_status member_offset(layout_pass *p, uint32_t struct_id,
                               uint32_t member, uint64_t *out_offset)
{
    const uint32_t *inst = type_of(p, struct_id);
    if (inst == NULL || member + 2 >= count_of(inst))
        return malformed("a member decoration past the struct's members",
                         struct_id);
    uint64_t end = 0;
    for (uint32_t m = 0; m <= member; m++) {
        type_layout layout;
        cs_status status = scalar_layout(p, inst[2 + m], 0, &layout);
        if (status != CS_OK)
            return status;
        end = round_up(end, layout.alignment);
        if (m == member)
            break;
        end += layout.size;
    }
    *out_offset = end;
    return CS_OK;
}

/* The matrix inside a member's type (through arrays), or NULL. */
static const uint32_t *member_matrix(const layout_pass *p, uint32_t struct_id,
                                     uint32_t member)
{
    const uint32_t *inst = type_of(p, struct_id);
    if (inst == NULL || member + 2 >= count_of(inst))
        return NULL;
    uint32_t type = inst[2 + member];
    for (int depth = 0; depth < MAX_TYPE_DEPTH; depth++) {
        const uint32_t *t = type_of(p, type);
        if (t == NULL)
            return NULL;
        uint32_t opcode = cs_spirv_opcode(t[0]);
        if (opcode == SpvOpTypeMatrix)
            return count_of(t) >= 4 ? t : NULL;
        if ((opcode != SpvOpTypeArray && opcode != SpvOpTypeRuntimeArray) ||
            count_of(t) < 3)
            return NULL;
        type = t[2];
    }
    return NULL;
}

static bool member_is_row_major(const layout_pass *p, uint32_t struct_id,
                                uint32_t member)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        const uint32_t *inst = p->words + at;
        if (cs_spirv_opcode(inst[0]) == SpvOpMemberDecorate &&
            count_of(inst) >= 4 && inst[1] == struct_id && inst[2] == member &&
            inst[3] == SpvDecorationRowMajor)
            return true;
    }
    return false;
}

/* Matrix stride of a member: the bytes of one column, or of one row when
 * it is RowMajor. */
static cs_status member_matrix_stride(layout_pass *p, uint32_t struct_id,
                                      uint32_t member, uint64_t *out_stride)
{
    const uint32_t *matrix = member_matrix(p, struct_id, member);
    if (matrix == NULL)
        return malformed("MatrixStride on a member that is no matrix",
                         struct_id);
    const uint32_t *column = type_of(p, matrix[2]);
    if (column == NULL || count_of(column) < 4)
        return malformed("a matrix without column type", matrix[1]);
    type_layout scalar;
    cs_status status = scalar_layout(p, column[2], 0, &scalar);
    if (status != CS_OK)
        return status;
    uint32_t scalars =
        member_is_row_major(p, struct_id, member) ? matrix[3] : column[3];
    *out_stride = scalar.size * scalars;
    return CS_OK;
}

static cs_status array_stride(layout_pass *p, uint32_t array_id,
                              uint64_t *out_stride)
{
    const uint32_t *inst = type_of(p, array_id);
    if (inst == NULL || count_of(inst) < 3)
        return malformed("ArrayStride on something that is no array", array_id);
    type_layout element;
    cs_status status = scalar_layout(p, inst[2], 0, &element);
    *out_stride = round_up(element.size, element.alignment);
    return status;
}

/* Writes `value` into the decoration literal at *literal, refusing to
 * change a type that a kept block also uses. */
static cs_status rewrite_literal(const layout_pass *p, uint32_t target,
                                 uint32_t *literal, uint64_t value)
{
    if (value > UINT32_MAX)
        return cs_fail(CS_ERROR_SHADER_COMPILE,
                       "a storage buffer type (id %u) is over 4 GiB", target);
    if (*literal == value)
        return CS_OK;
    if (p->reached[target] & REACHED_BY_KEPT)
        return cs_fail(CS_ERROR_UNSUPPORTED,
                       "type %u is shared by a storage buffer and a "
                       "constant buffer but needs different layouts in "
                       "each; declare distinct types",
                       target);
    *literal = (uint32_t)value;
    return CS_OK;
}

static cs_status rewrite_decorations(layout_pass *p)
{
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        uint32_t *inst = p->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        cs_status status = CS_OK;
        uint64_t value = 0;
        if (opcode == SpvOpDecorate && count_of(inst) >= 4 &&
            inst[2] == SpvDecorationArrayStride && inst[1] < p->id_bound &&
            (p->reached[inst[1]] & REACHED_BY_STORAGE)) {
            status = array_stride(p, inst[1], &value);
            if (status == CS_OK)
                status = rewrite_literal(p, inst[1], &inst[3], value);
        } else if (opcode == SpvOpMemberDecorate && count_of(inst) >= 5 &&
                   inst[1] < p->id_bound &&
                   (p->reached[inst[1]] & REACHED_BY_STORAGE)) {
            if (inst[3] == SpvDecorationOffset)
                status = member_offset(p, inst[1], inst[2], &value);
            else if (inst[3] == SpvDecorationMatrixStride)
                status = member_matrix_stride(p, inst[1], inst[2], &value);
            else
                continue;
            if (status == CS_OK)
                status = rewrite_literal(p, inst[1], &inst[4], value);
        }
        if (status != CS_OK)
            return status;
    }
    return CS_OK;
}

cs_status cs_spirv_apply_d3d_buffer_layout(uint32_t *words, size_t word_count)
{
    cs_spirv module;
    cs_status status = cs_spirv_open(words, word_count, &module);
    if (status != CS_OK)
        return status;
    layout_pass p = {
        .words = words,
        .word_count = word_count,
        .id_bound = module.id_bound,
        .definitions = calloc(module.id_bound, sizeof(uint32_t)),
        .buffer_block = calloc(module.id_bound, sizeof(bool)),
        .block = calloc(module.id_bound, sizeof(bool)),
        .reached = calloc(module.id_bound, sizeof(uint8_t)),
        .layouts = calloc(module.id_bound, sizeof(type_layout)),
    };
    if (!p.definitions || !p.buffer_block || !p.block || !p.reached ||
        !p.layouts) {
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "cannot allocate layout tables for %u ids",
                         module.id_bound);
    } else {
        status = index_types(&p);
        if (status == CS_OK) {
            mark_buffers(&p);
            status = rewrite_decorations(&p);
        }
    }
    free(p.definitions);
    free(p.buffer_block);
    free(p.block);
    free(p.reached);
    free(p.layouts);
    return status;
}

/* layout.c - gives glslang's HLSL storage and constant buffers D3D's packing.
 *
 * glslang lays out (RW)StructuredBuffer<T> with std430 rules (a float3
 * array has a 16-byte stride, structs align to 16). D3D packs structured
 * buffers tightly: alignment is the scalar size, structs align to their
 * largest member, array strides are the element size rounded to that
 * alignment. That is exactly Vulkan's scalar block layout, so the
 * decorations are recomputed with its rules and rewritten in place (same
 * word count).
 *
 * Constant buffers (Uniform + Block: cbuffer, ConstantBuffer<T>) get FXC's
 * cbuffer packing, which DXC's DXIL and -fvk-use-dx-layout also follow.
 * glslang's hlsl_offsets get vectors right but pad arrays, structs and
 * matrices to whole 16-byte registers, where FXC lets the next member pack
 * into their last register:
 *
 * - scalars and vectors align to their scalar size and move to the next
 *   register when they would straddle a 16-byte boundary (a double3, 24
 *   bytes, starts a register and spills into the next one);
 * - arrays start a register; each element starts a register (ArrayStride =
 *   element size rounded up to 16) and the array ends where its last
 *   element ends: size = stride * (n - 1) + element size;
 * - matrices are arrays of their stored vectors (columns, or rows when
 *   row_major; HLSL's default column_major is SPIR-V's RowMajor since
 *   glslang transposes), MatrixStride 16; but an HLSL row_major matrix
 *   keeps its last register whole, as SPIRV-Tools' validator sizes SPIR-V
 *   ColMajor matrices (one known difference from FXC, see
 *   docs/hlsl-differences.md);
 * - structs start a register and end where their last member ends,
 *   unpadded, so the member after a struct may pack into its last register
 *   (FXC's reflection gives such struct sizes, e.g. 984 rather than 992).
 *
 * Member offsets given with packoffset are invisible in SPIR-V, so when
 * the source uses packoffset the blocks' own members keep glslang's offsets
 * (glslang honours packoffset) and only the types inside are repacked.
 * Push constants keep glslang's layout. Any offsets are valid for Vulkan
 * since the device enables scalarBlockLayout. */
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

enum { MAX_TYPE_DEPTH = 64 };

enum {
    REACHED_BY_STORAGE = 1u << 0, /* gets the scalar layout */
    REACHED_BY_KEPT = 1u << 1,    /* push constants keep it */
    REACHED_BY_CBUFFER = 1u << 2, /* gets the cbuffer layout */
    /* a cbuffer block whose own member offsets stay (packoffset) */
    REACHED_AS_PACKED_CBUFFER = 1u << 3,
};

/* which majorness (SPIR-V's) the matrices inside an array are used with */
enum { USED_COL_MAJOR = 1u << 0, USED_ROW_MAJOR = 1u << 1 };

enum { CBUFFER_REGISTER = 16 };

typedef struct type_layout {
    uint64_t size;
    uint32_t alignment;
    bool new_register; /* cbuffer layout: starts a 16-byte register */
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
    uint8_t *majorness;    /* USED_*_MAJOR by id */
    type_layout *layouts;  /* scalar layout by id */
    /* cbuffer layout by id * 2 + (SPIR-V RowMajor ? 1 : 0) */
    type_layout *cbuffer_layouts;
    bool keep_cbuffer_offsets;
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

static const uint32_t *member_matrix(const layout_pass *p, uint32_t struct_id,
                                     uint32_t member);
static bool member_is_row_major(const layout_pass *p, uint32_t struct_id,
                                uint32_t member);

/* Marks id and the types inside it as reached `how`; `major` says how the
 * matrices inside an array type are used (USED_*, 0 outside matrices). */
static void mark_reached(layout_pass *p, uint32_t id, uint8_t how,
                         uint8_t major, int depth)
{
    const uint32_t *inst = type_of(p, id);
    if (inst == NULL || depth > MAX_TYPE_DEPTH ||
        ((p->reached[id] & how) && (p->majorness[id] & major) == major))
        return;
    p->reached[id] |= how;
    p->majorness[id] |= major;
    uint32_t opcode = cs_spirv_opcode(inst[0]);
    if (opcode == SpvOpTypeStruct) {
        for (uint32_t w = 2; w < count_of(inst); w++) {
            uint8_t member_major = 0;
            if (member_matrix(p, id, w - 2) != NULL)
                member_major = member_is_row_major(p, id, w - 2)
                                   ? USED_ROW_MAJOR
                                   : USED_COL_MAJOR;
            mark_reached(p, inst[w], how, member_major, depth + 1);
        }
    } else if ((opcode == SpvOpTypeArray || opcode == SpvOpTypeRuntimeArray) &&
               count_of(inst) >= 3) {
        mark_reached(p, inst[2], how, major, depth + 1);
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
        bool cbuffer =
            storage_class == SpvStorageClassUniform && p->block[block];
        if (storage) {
            mark_reached(p, block, REACHED_BY_STORAGE, 0, 0);
        } else if (cbuffer) {
            mark_reached(p, block, REACHED_BY_CBUFFER, 0, 0);
            if (p->keep_cbuffer_offsets)
                p->reached[block] |= REACHED_AS_PACKED_CBUFFER;
        } else if (storage_class == SpvStorageClassPushConstant) {
            mark_reached(p, block, REACHED_BY_KEPT, 0, 0);
        }
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
    case SpvOpTypeBool:
        layout = (type_layout){.size = 4, .alignment = 4};
        break;
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
    case SpvOpTypePointer:
        layout = (type_layout){.size = 8, .alignment = 8};
        break;
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

/* >>constant buffers: FXC's cbuffer packing */

static cs_status cbuffer_layout(layout_pass *p, uint32_t id, bool row_major,
                                int depth, type_layout *out);

/* Where a member of layout `member` goes when the previous one ends at
 * `end`: aligned to its scalar size, and at the next register when it must
 * start one or would straddle a register boundary. */
static uint64_t cbuffer_place(uint64_t end, const type_layout *member)
{
    uint64_t offset = round_up(end, member->alignment);
    uint64_t within = offset % CBUFFER_REGISTER;
    if (within != 0 &&
        (member->new_register || within + member->size > CBUFFER_REGISTER))
        offset += CBUFFER_REGISTER - within;
    return offset;
}

/* Walks the members of a struct: *out_offset is the offset of member
 * `stop`, or the end of the last member when stop is past them. */
static cs_status cbuffer_walk(layout_pass *p, uint32_t struct_id, uint32_t stop,
                              int depth, uint64_t *out_offset,
                              uint32_t *out_alignment)
{
    const uint32_t *inst = type_of(p, struct_id);
    if (inst == NULL || depth > MAX_TYPE_DEPTH)
        return malformed("an undefined or too deeply nested type", struct_id);
    uint64_t end = 0;
    uint32_t alignment = 1;
    for (uint32_t m = 0; m + 2 < count_of(inst); m++) {
        bool row_major = member_matrix(p, struct_id, m) != NULL &&
                         member_is_row_major(p, struct_id, m);
        type_layout member;
        cs_status status =
            cbuffer_layout(p, inst[2 + m], row_major, depth + 1, &member);
        if (status != CS_OK)
            return status;
        uint64_t offset = cbuffer_place(end, &member);
        if (m == stop) {
            *out_offset = offset;
            return CS_OK;
        }
        end = offset + member.size;
        if (member.alignment > alignment)
            alignment = member.alignment;
    }
    *out_offset = end;
    if (out_alignment)
        *out_alignment = alignment;
    return CS_OK;
}

/* Size (unpadded), scalar alignment and register start of a type in a
 * cbuffer; row_major is the SPIR-V majorness of the matrices inside. */
static cs_status cbuffer_layout(layout_pass *p, uint32_t id, bool row_major,
                                int depth, type_layout *out)
{
    const uint32_t *inst = type_of(p, id);
    if (inst == NULL || depth > MAX_TYPE_DEPTH)
        return malformed("an undefined or too deeply nested type", id);
    type_layout *cached = &p->cbuffer_layouts[(size_t)id * 2 + row_major];
    if (cached->computed) {
        *out = *cached;
        return CS_OK;
    }
    uint32_t count = count_of(inst);
    type_layout layout = {0};
    cs_status status = CS_OK;
    switch (cs_spirv_opcode(inst[0])) {
    case SpvOpTypeBool:
    case SpvOpTypeInt:
    case SpvOpTypeFloat:
    case SpvOpTypeVector:
    case SpvOpTypePointer:
        /* packed as in the scalar layout, only never across registers */
        status = scalar_layout(p, id, depth, &layout);
        layout.new_register = false;
        break;
    case SpvOpTypeMatrix: {
        /* an array of its stored vectors: columns, or rows if RowMajor.
         * SPIRV-Tools sizes a ColMajor matrix (HLSL row_major) as whole
         * strides, so that one keeps its last register to itself: nothing
         * packs after `row_major float2x3 m;` (FXC would put a float at
         * m + 28, this gives m + 32). */
        const uint32_t *column = type_of(p, count >= 4 ? inst[2] : 0);
        if (column == NULL || count_of(column) < 4 || inst[3] == 0)
            return malformed("a matrix without column type", id);
        type_layout scalar;
        status = scalar_layout(p, column[2], depth + 1, &scalar);
        uint32_t vectors = row_major ? column[3] : inst[3];
        uint64_t vector_size = scalar.size * (row_major ? inst[3] : column[3]);
        uint64_t stride = round_up(vector_size, CBUFFER_REGISTER);
        layout.size =
            stride * (vectors - 1) + (row_major ? vector_size : stride);
        layout.alignment = scalar.alignment;
        layout.new_register = vectors > 1;
        break;
    }
    case SpvOpTypeArray: {
        uint32_t length = 0;
        if (count < 4 || !array_length(p, inst[3], &length) || length == 0)
            return malformed("an array without constant length", id);
        type_layout element;
        status = cbuffer_layout(p, inst[2], row_major, depth + 1, &element);
        layout.size = round_up(element.size, CBUFFER_REGISTER) * (length - 1) +
                      element.size;
        layout.alignment = element.alignment;
        layout.new_register = true;
        break;
    }
    case SpvOpTypeStruct:
        status = cbuffer_walk(p, id, UINT32_MAX, depth, &layout.size,
                              &layout.alignment);
        layout.new_register = true;
        break;
    default: return malformed("a type that cannot be in a constant buffer", id);
    }
    if (status != CS_OK)
        return status;
    layout.computed = true;
    *cached = layout;
    *out = layout;
    return CS_OK;
}

static cs_status cbuffer_member_offset(layout_pass *p, uint32_t struct_id,
                                       uint32_t member, uint64_t *out_offset)
{
    const uint32_t *inst = type_of(p, struct_id);
    if (inst == NULL || member + 2 >= count_of(inst))
        return malformed("a member decoration past the struct's members",
                         struct_id);
    return cbuffer_walk(p, struct_id, member, 0, out_offset, NULL);
}

/* The bytes from one stored vector of a member's matrix to the next: a
 * vector rounded up to whole registers (16 but for double3/double4). */
static cs_status cbuffer_matrix_stride(layout_pass *p, uint32_t struct_id,
                                       uint32_t member, uint64_t *out_stride)
{
    uint64_t vector_size = 0;
    cs_status status = member_matrix_stride(p, struct_id, member, &vector_size);
    *out_stride = round_up(vector_size, CBUFFER_REGISTER);
    return status;
}

/* The element stride of a cbuffer array; the same for every majorness its
 * matrices are used with, or CS_ERROR_UNSUPPORTED. */
static cs_status cbuffer_array_stride(layout_pass *p, uint32_t array_id,
                                      uint64_t *out_stride)
{
    const uint32_t *inst = type_of(p, array_id);
    if (inst == NULL || count_of(inst) < 3)
        return malformed("ArrayStride on something that is no array", array_id);
    uint8_t used =
        p->majorness[array_id] ? p->majorness[array_id] : USED_COL_MAJOR;
    bool have = false;
    for (int row_major = 0; row_major < 2; row_major++) {
        if (!(used & (row_major ? USED_ROW_MAJOR : USED_COL_MAJOR)))
            continue;
        type_layout element;
        cs_status status = cbuffer_layout(p, inst[2], row_major, 0, &element);
        if (status != CS_OK)
            return status;
        uint64_t stride = round_up(element.size, CBUFFER_REGISTER);
        if (have && stride != *out_stride)
            return cs_fail(CS_ERROR_UNSUPPORTED,
                           "array type %u holds matrices used both row_major "
                           "and column_major in constant buffers; declare "
                           "distinct types",
                           array_id);
        *out_stride = stride;
        have = true;
    }
    return CS_OK;
}

/* >>rewriting */

enum decoration_kind { ARRAY_STRIDE, MEMBER_OFFSET, MATRIX_STRIDE };

/* The value a decoration needs for the buffers of kind `how` reaching it;
 * `current` is glslang's, which push constants keep. */
static cs_status wanted_value(layout_pass *p, uint8_t how,
                              enum decoration_kind kind, uint32_t target,
                              uint32_t member, uint32_t current,
                              uint64_t *out_value)
{
    *out_value = current;
    if (how == REACHED_BY_STORAGE) {
        switch (kind) {
        case ARRAY_STRIDE: return array_stride(p, target, out_value);
        case MEMBER_OFFSET: return member_offset(p, target, member, out_value);
        case MATRIX_STRIDE:
            return member_matrix_stride(p, target, member, out_value);
        }
    } else if (how == REACHED_BY_CBUFFER) {
        switch (kind) {
        case ARRAY_STRIDE: return cbuffer_array_stride(p, target, out_value);
        case MEMBER_OFFSET:
            if (p->reached[target] & REACHED_AS_PACKED_CBUFFER)
                return CS_OK;
            return cbuffer_member_offset(p, target, member, out_value);
        case MATRIX_STRIDE:
            return cbuffer_matrix_stride(p, target, member, out_value);
        }
    }
    return CS_OK;
}

/* Rewrites the decoration literal at *literal to what every kind of buffer
 * reaching `target` needs, or fails when they need different values. */
static cs_status rewrite_literal(layout_pass *p, enum decoration_kind kind,
                                 uint32_t target, uint32_t member,
                                 uint32_t *literal)
{
    static const uint8_t kinds[] = {REACHED_BY_STORAGE, REACHED_BY_CBUFFER,
                                    REACHED_BY_KEPT};
    static const char *const names[] = {"a storage buffer", "a constant buffer",
                                        "push constants"};
    uint64_t value = *literal;
    int first = -1;
    for (int k = 0; k < 3; k++) {
        if (!(p->reached[target] & kinds[k]))
            continue;
        uint64_t wanted;
        cs_status status =
            wanted_value(p, kinds[k], kind, target, member, *literal, &wanted);
        if (status != CS_OK)
            return status;
        if (first < 0) {
            first = k;
            value = wanted;
        } else if (wanted != value) {
            return cs_fail(CS_ERROR_UNSUPPORTED,
                           "type %u is shared by %s and %s but needs "
                           "different layouts in each; declare distinct "
                           "types",
                           target, names[first], names[k]);
        }
    }
    if (value > UINT32_MAX)
        return cs_fail(CS_ERROR_SHADER_COMPILE,
                       "a buffer type (id %u) is over 4 GiB", target);
    *literal = (uint32_t)value;
    return CS_OK;
}

static cs_status rewrite_decorations(layout_pass *p)
{
    const uint8_t rewritten = REACHED_BY_STORAGE | REACHED_BY_CBUFFER;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < p->word_count;
         at += count_of(p->words + at)) {
        uint32_t *inst = p->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        cs_status status = CS_OK;
        if (opcode == SpvOpDecorate && count_of(inst) >= 4 &&
            inst[2] == SpvDecorationArrayStride && inst[1] < p->id_bound &&
            (p->reached[inst[1]] & rewritten)) {
            status = rewrite_literal(p, ARRAY_STRIDE, inst[1], 0, &inst[3]);
        } else if (opcode == SpvOpMemberDecorate && count_of(inst) >= 5 &&
                   inst[1] < p->id_bound && (p->reached[inst[1]] & rewritten)) {
            if (inst[3] == SpvDecorationOffset)
                status = rewrite_literal(p, MEMBER_OFFSET, inst[1], inst[2],
                                         &inst[4]);
            else if (inst[3] == SpvDecorationMatrixStride)
                status = rewrite_literal(p, MATRIX_STRIDE, inst[1], inst[2],
                                         &inst[4]);
        }
        if (status != CS_OK)
            return status;
    }
    return CS_OK;
}

cs_status cs_spirv_apply_d3d_buffer_layout(uint32_t *words, size_t word_count,
                                           bool keep_cbuffer_offsets)
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
        .majorness = calloc(module.id_bound, sizeof(uint8_t)),
        .layouts = calloc(module.id_bound, sizeof(type_layout)),
        .cbuffer_layouts =
            calloc((size_t)module.id_bound * 2, sizeof(type_layout)),
        .keep_cbuffer_offsets = keep_cbuffer_offsets,
    };
    if (!p.definitions || !p.buffer_block || !p.block || !p.reached ||
        !p.majorness || !p.layouts || !p.cbuffer_layouts) {
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
    free(p.majorness);
    free(p.layouts);
    free(p.cbuffer_layouts);
    return status;
}

/* reflect.c - cs_shader_reflect: what a compute shader declares (entry
 * point, workgroup size, push constants, descriptors), read from any SPIR-V
 * module without trusting it. */
#include "shader_internal.h"

#define SPV_ENABLE_UTILITY_CODE
#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

enum { MAX_TYPE_DEPTH = 64 };

typedef struct id_entry {
    uint32_t definition; /* word index of the instruction, 0 = none */
    uint32_t name;       /* word index of its OpName, 0 = none */
    uint32_t set, binding;
    uint32_t non_writable_members;
    bool has_binding;
    bool block, buffer_block, non_writable;
    bool workgroup_size_builtin;
} id_entry;

typedef struct member_layout {
    uint32_t struct_id, member, offset, matrix_stride;
    bool has_offset, row_major;
} member_layout;

typedef struct reader {
    cs_spirv module;
    id_entry *ids;
    member_layout *members; /* Offset/MatrixStride/RowMajor decorations */
    size_t member_count, member_capacity;
    uint32_t *array_strides; /* by id, 0 = none */
    /* type_size + 1 by id, 0 = not computed yet: without it, a type that
     * holds another twice, nested 64 deep, takes 2^64 steps */
    uint64_t *type_sizes;
    uint32_t entry_point; /* word index of the chosen OpEntryPoint */
    uint32_t entry_id;
} reader;

static const uint32_t *instruction(const reader *r, uint32_t word_index)
{
    return r->module.words + word_index;
}

static uint32_t count_of(const uint32_t *inst)
{
    return cs_spirv_word_count(inst[0]);
}

/* The id operand at `operand` of inst, checked against the bound; false
 * (with the failure recorded) when missing or out of range. */
static cs_status read_id(const reader *r, const uint32_t *inst,
                         uint32_t operand, uint32_t *out_id)
{
    if (operand >= count_of(inst))
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "instruction at word %zu (opcode %u) is too short: "
                       "%u words, operand %u expected",
                       (size_t)(inst - r->module.words),
                       cs_spirv_opcode(inst[0]), count_of(inst), operand);
    uint32_t id = inst[operand];
    if (id == 0 || id >= r->module.id_bound)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "instruction at word %zu uses id %u, outside the "
                       "module's id bound %u",
                       (size_t)(inst - r->module.words), id,
                       r->module.id_bound);
    *out_id = id;
    return CS_OK;
}

static cs_status need_words(const reader *r, const uint32_t *inst,
                            uint32_t count)
{
    if (count_of(inst) >= count)
        return CS_OK;
    return cs_fail(CS_ERROR_INVALID_SHADER,
                   "instruction at word %zu (opcode %u) has %u words, "
                   "expected at least %u",
                   (size_t)(inst - r->module.words), cs_spirv_opcode(inst[0]),
                   count_of(inst), count);
}

/* The defining instruction of id with the given opcode, or NULL. */
static const uint32_t *definition_of(const reader *r, uint32_t id,
                                     uint32_t opcode)
{
    if (id == 0 || id >= r->module.id_bound || r->ids[id].definition == 0)
        return NULL;
    const uint32_t *inst = instruction(r, r->ids[id].definition);
    return cs_spirv_opcode(inst[0]) == opcode ? inst : NULL;
}

static uint32_t opcode_of_id(const reader *r, uint32_t id)
{
    if (id == 0 || id >= r->module.id_bound || r->ids[id].definition == 0)
        return 0;
    return cs_spirv_opcode(instruction(r, r->ids[id].definition)[0]);
}

/* One entry per decoration, merged on lookup: deduplicating on insert would
 * cost quadratic time on hostile modules. */
static cs_status add_member_layout(reader *r, const uint32_t *inst)
{
    uint32_t decoration = inst[3];
    if (decoration != SpvDecorationOffset &&
        decoration != SpvDecorationMatrixStride &&
        decoration != SpvDecorationRowMajor)
        return CS_OK;
    if (r->member_count == r->member_capacity) {
        size_t capacity = r->member_capacity ? r->member_capacity * 2 : 32;
        member_layout *grown = realloc(r->members, capacity * sizeof *grown);
        if (grown == NULL)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "cannot allocate SPIR-V member decorations");
        r->members = grown;
        r->member_capacity = capacity;
    }
    member_layout *added = &r->members[r->member_count++];
    memset(added, 0, sizeof *added);
    added->struct_id = inst[1];
    added->member = inst[2];
    if (decoration == SpvDecorationOffset && count_of(inst) >= 5) {
        added->offset = inst[4];
        added->has_offset = true;
    } else if (decoration == SpvDecorationMatrixStride && count_of(inst) >= 5) {
        added->matrix_stride = inst[4];
    } else if (decoration == SpvDecorationRowMajor) {
        added->row_major = true;
    }
    return CS_OK;
}

static bool find_member(const reader *r, uint32_t struct_id, uint32_t member,
                        member_layout *out)
{
    bool found = false;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < r->member_count; i++) {
        const member_layout *m = &r->members[i];
        if (m->struct_id != struct_id || m->member != member)
            continue;
        found = true;
        if (m->has_offset) {
            out->offset = m->offset;
            out->has_offset = true;
        }
        if (m->matrix_stride)
            out->matrix_stride = m->matrix_stride;
        out->row_major |= m->row_major;
    }
    return found;
}

static cs_status record_decoration(reader *r, const uint32_t *inst)
{
    cs_status status = need_words(r, inst, 3);
    uint32_t target = 0;
    if (status == CS_OK)
        status = read_id(r, inst, 1, &target);
    if (status != CS_OK)
        return status;
    id_entry *entry = &r->ids[target];
    bool has_literal = count_of(inst) >= 4;
    switch (inst[2]) {
    case SpvDecorationDescriptorSet:
        if (has_literal)
            entry->set = inst[3];
        break;
    case SpvDecorationBinding:
        if (has_literal) {
            entry->binding = inst[3];
            entry->has_binding = true;
        }
        break;
    case SpvDecorationBlock: entry->block = true; break;
    case SpvDecorationBufferBlock: entry->buffer_block = true; break;
    case SpvDecorationNonWritable: entry->non_writable = true; break;
    case SpvDecorationArrayStride:
        if (has_literal)
            r->array_strides[target] = inst[3];
        break;
    case SpvDecorationBuiltIn:
        if (has_literal && inst[3] == SpvBuiltInWorkgroupSize)
            entry->workgroup_size_builtin = true;
        break;
    default: break;
    }
    return CS_OK;
}

static cs_status record_member_decoration(reader *r, const uint32_t *inst)
{
    cs_status status = need_words(r, inst, 4);
    uint32_t target = 0;
    if (status == CS_OK)
        status = read_id(r, inst, 1, &target);
    if (status != CS_OK)
        return status;
    if (inst[3] == SpvDecorationNonWritable)
        r->ids[target].non_writable_members++;
    return add_member_layout(r, inst);
}

/* Word index of the result id of instructions that define what reflection
 * looks at, or 0. */
static uint32_t result_operand(uint32_t opcode)
{
    switch (opcode) {
    case SpvOpTypeVoid:
    case SpvOpTypeBool:
    case SpvOpTypeInt:
    case SpvOpTypeFloat:
    case SpvOpTypeVector:
    case SpvOpTypeMatrix:
    case SpvOpTypeImage:
    case SpvOpTypeSampler:
    case SpvOpTypeSampledImage:
    case SpvOpTypeArray:
    case SpvOpTypeRuntimeArray:
    case SpvOpTypeStruct:
    case SpvOpTypePointer:
    case SpvOpTypeFunction:
    case SpvOpTypeAccelerationStructureKHR: return 1;
    case SpvOpConstant:
    case SpvOpSpecConstant:
    case SpvOpConstantComposite:
    case SpvOpSpecConstantComposite:
    case SpvOpVariable: return 2;
    default: return 0;
    }
}

/* Words taken by the literal string at `first` (with its terminator). */
static uint32_t string_words(const uint32_t *inst, uint32_t first)
{
    uint32_t count = count_of(inst);
    for (uint32_t w = first; w < count; w++)
        if ((inst[w] & 0xff000000u) == 0 || (inst[w] & 0x00ff0000u) == 0 ||
            (inst[w] & 0x0000ff00u) == 0 || (inst[w] & 0x000000ffu) == 0)
            return w - first + 1;
    return count - first + 1; /* unterminated: past the end */
}

static cs_status index_module(reader *r)
{
    const cs_spirv *m = &r->module;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < m->word_count;
         at += count_of(m->words + at)) {
        const uint32_t *inst = m->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        cs_status status = CS_OK;
        uint32_t id = 0;
        if (opcode == SpvOpEntryPoint) {
            status = need_words(r, inst, 4);
            if (status == CS_OK && r->entry_point == 0 &&
                inst[1] == SpvExecutionModelGLCompute) {
                status = read_id(r, inst, 2, &r->entry_id);
                r->entry_point = (uint32_t)at;
            }
        } else if (opcode == SpvOpName) {
            status = need_words(r, inst, 3);
            if (status == CS_OK)
                status = read_id(r, inst, 1, &id);
            if (status == CS_OK)
                r->ids[id].name = (uint32_t)at;
        } else if (opcode == SpvOpDecorate) {
            status = record_decoration(r, inst);
        } else if (opcode == SpvOpMemberDecorate) {
            status = record_member_decoration(r, inst);
        } else if (result_operand(opcode) != 0) {
            status = read_id(r, inst, result_operand(opcode), &id);
            if (status == CS_OK && r->ids[id].definition != 0)
                status = cs_fail(CS_ERROR_INVALID_SHADER,
                                 "id %u is defined twice (words %u and %zu)",
                                 id, r->ids[id].definition, at);
            if (status == CS_OK)
                r->ids[id].definition = (uint32_t)at;
        }
        if (status != CS_OK)
            return status;
    }
    if (r->entry_point == 0)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "SPIR-V module has no GLCompute entry point, expected "
                       "a compute shader");
    return CS_OK;
}

static bool constant_value(const reader *r, uint32_t id, uint32_t *out_value)
{
    const uint32_t *inst = definition_of(r, id, SpvOpConstant);
    if (inst == NULL)
        inst = definition_of(r, id, SpvOpSpecConstant);
    if (inst == NULL || count_of(inst) < 4)
        return false;
    *out_value = inst[3];
    return true;
}

static cs_status read_workgroup_size(const reader *r, uint32_t out_size[3])
{
    out_size[0] = out_size[1] = out_size[2] = 1;
    const cs_spirv *m = &r->module;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < m->word_count;
         at += count_of(m->words + at)) {
        const uint32_t *inst = m->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        if (opcode != SpvOpExecutionMode && opcode != SpvOpExecutionModeId)
            continue;
        if (count_of(inst) < 6 || inst[1] != r->entry_id)
            continue;
        if (inst[2] == SpvExecutionModeLocalSize) {
            memcpy(out_size, inst + 3, 3 * sizeof *out_size);
        } else if (inst[2] == SpvExecutionModeLocalSizeId) {
            for (int i = 0; i < 3; i++)
                if (!constant_value(r, inst[3 + i], &out_size[i]))
                    return cs_fail(CS_ERROR_INVALID_SHADER,
                                   "LocalSizeId operand %u is not a "
                                   "constant",
                                   inst[3 + i]);
        }
    }
    /* the WorkgroupSize built-in overrides the execution mode */
    for (uint32_t id = 1; id < m->id_bound; id++) {
        if (!r->ids[id].workgroup_size_builtin)
            continue;
        const uint32_t *inst = definition_of(r, id, SpvOpConstantComposite);
        if (inst == NULL)
            inst = definition_of(r, id, SpvOpSpecConstantComposite);
        if (inst == NULL || count_of(inst) != 6)
            continue;
        for (int i = 0; i < 3; i++)
            if (!constant_value(r, inst[3 + i], &out_size[i]))
                return cs_fail(CS_ERROR_INVALID_SHADER,
                               "WorkgroupSize component %u is not a constant",
                               inst[3 + i]);
    }
    if (out_size[0] == 0 || out_size[1] == 0 || out_size[2] == 0)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "workgroup size %ux%ux%u has a zero dimension",
                       out_size[0], out_size[1], out_size[2]);
    return CS_OK;
}

/* Bytes an explicitly laid out type takes (its last byte + 1 for structs),
 * saturating instead of overflowing; 0 for what is not sized. */
static uint64_t type_size(const reader *r, uint32_t type_id, int depth);

static uint64_t saturating_multiply(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t matrix_size(const reader *r, const uint32_t *matrix,
                            const member_layout *layout, int depth)
{
    if (count_of(matrix) < 4)
        return 0;
    const uint32_t *column = definition_of(r, matrix[2], SpvOpTypeVector);
    if (column == NULL || count_of(column) < 4)
        return 0;
    uint64_t columns = matrix[3], rows = column[3];
    uint64_t stride = layout && layout->matrix_stride
                          ? layout->matrix_stride
                          : type_size(r, matrix[2], depth + 1);
    return saturating_multiply(stride,
                               layout && layout->row_major ? rows : columns);
}

static uint64_t struct_size(const reader *r, uint32_t struct_id,
                            const uint32_t *inst, int depth)
{
    uint64_t end = 0;
    for (uint32_t member = 0; member + 2 < count_of(inst); member++) {
        member_layout found;
        const member_layout *layout =
            find_member(r, struct_id, member, &found) ? &found : NULL;
        uint32_t member_type = inst[2 + member];
        uint64_t offset = layout && layout->has_offset ? layout->offset : end;
        uint64_t size;
        uint32_t inner = member_type;
        /* bounded: an array may name itself as its element type */
        for (int hops = 0; hops <= MAX_TYPE_DEPTH; hops++) {
            uint32_t opcode = opcode_of_id(r, inner);
            if (opcode != SpvOpTypeArray && opcode != SpvOpTypeRuntimeArray)
                break;
            const uint32_t *array = instruction(r, r->ids[inner].definition);
            inner = count_of(array) >= 3 ? array[2] : 0;
        }
        if (inner != member_type || opcode_of_id(r, inner) != SpvOpTypeMatrix)
            size = type_size(r, member_type, depth + 1);
        else
            size = matrix_size(r, instruction(r, r->ids[inner].definition),
                               layout, depth);
        if (size > UINT64_MAX - offset)
            return UINT64_MAX;
        if (offset + size > end)
            end = offset + size;
    }
    return end;
}

static uint64_t compute_type_size(const reader *r, uint32_t type_id,
                                  const uint32_t *inst, int depth)
{
    uint32_t count = count_of(inst);
    switch (cs_spirv_opcode(inst[0])) {
    case SpvOpTypeBool: return 4;
    case SpvOpTypeInt:
    case SpvOpTypeFloat: return count >= 3 ? inst[2] / 8 : 0;
    case SpvOpTypeVector:
        return count >= 4 ? saturating_multiply(
                                inst[3], type_size(r, inst[2], depth + 1))
                          : 0;
    case SpvOpTypeMatrix: return matrix_size(r, inst, NULL, depth);
    case SpvOpTypeArray: {
        uint32_t length = 0;
        if (count < 4 || !constant_value(r, inst[3], &length))
            return 0;
        uint64_t stride = r->array_strides[type_id]
                              ? r->array_strides[type_id]
                              : type_size(r, inst[2], depth + 1);
        return saturating_multiply(stride, length);
    }
    case SpvOpTypeStruct: return struct_size(r, type_id, inst, depth);
    default: return 0;
    }
}

static uint64_t type_size(const reader *r, uint32_t type_id, int depth)
{
    if (depth > MAX_TYPE_DEPTH || opcode_of_id(r, type_id) == 0)
        return 0;
    if (r->type_sizes[type_id] != 0)
        return r->type_sizes[type_id] - 1;
    uint64_t size = compute_type_size(
        r, type_id, instruction(r, r->ids[type_id].definition), depth);
    if (size == UINT64_MAX)
        size = UINT64_MAX - 1; /* still saturated: > UINT32_MAX */
    r->type_sizes[type_id] = size + 1;
    return size;
}

static cs_status read_push_constant_size(const reader *r, uint32_t *out_size)
{
    *out_size = 0;
    const cs_spirv *m = &r->module;
    for (uint32_t id = 1; id < m->id_bound; id++) {
        const uint32_t *variable = definition_of(r, id, SpvOpVariable);
        if (variable == NULL || count_of(variable) < 4 ||
            variable[3] != SpvStorageClassPushConstant)
            continue;
        const uint32_t *pointer =
            definition_of(r, variable[1], SpvOpTypePointer);
        if (pointer == NULL || count_of(pointer) < 4)
            return cs_fail(CS_ERROR_INVALID_SHADER,
                           "push constant variable %u is not a pointer", id);
        uint64_t size = type_size(r, pointer[3], 0);
        if (size > UINT32_MAX)
            return cs_fail(CS_ERROR_INVALID_SHADER,
                           "push constant block of %llu bytes is too large",
                           (unsigned long long)size);
        if (size > *out_size)
            *out_size = (uint32_t)size;
    }
    return CS_OK;
}

static bool in_interface(const reader *r, uint32_t variable_id)
{
    if (r->module.version < 0x00010400u)
        return true;
    const uint32_t *entry = instruction(r, r->entry_point);
    for (uint32_t w = 3 + string_words(entry, 3); w < count_of(entry); w++)
        if (entry[w] == variable_id)
            return true;
    return false;
}

static cs_image_dim image_dim(uint32_t spirv_dim)
{
    switch (spirv_dim) {
    case SpvDim1D: return CS_IMAGE_DIM_1D;
    case SpvDim2D:
    case SpvDimRect: return CS_IMAGE_DIM_2D;
    case SpvDim3D: return CS_IMAGE_DIM_3D;
    case SpvDimCube: return CS_IMAGE_DIM_CUBE;
    case SpvDimBuffer: return CS_IMAGE_DIM_BUFFER;
    default: return CS_IMAGE_DIM_NONE;
    }
}

static cs_status describe_image(const reader *r, const uint32_t *image,
                                bool sampled_image, cs_shader_binding *out)
{
    if (count_of(image) < 9)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "OpTypeImage at word %zu has %u words, expected 9",
                       (size_t)(image - r->module.words), count_of(image));
    uint32_t dim = image[3], sampled = image[7];
    out->dim = image_dim(dim);
    const uint32_t *component = definition_of(r, image[2], SpvOpTypeInt);
    if (component != NULL && count_of(component) >= 4)
        out->component_type =
            component[3] ? CS_COMPONENT_SINT : CS_COMPONENT_UINT;
    else if (definition_of(r, image[2], SpvOpTypeFloat) != NULL)
        out->component_type = CS_COMPONENT_FLOAT;
    out->arrayed = image[5] != 0;
    out->image_format = image[8];
    if (dim == SpvDimSubpassData)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "binding %u is a subpass input, which compute shaders "
                       "cannot use",
                       out->binding);
    bool storage = sampled == 2 && !sampled_image;
    if (dim == SpvDimBuffer)
        out->type = storage ? CS_BINDING_STORAGE_TEXEL_BUFFER
                            : CS_BINDING_UNIFORM_TEXEL_BUFFER;
    else
        out->type =
            storage ? CS_BINDING_STORAGE_IMAGE : CS_BINDING_SAMPLED_IMAGE;
    return CS_OK;
}

static cs_status describe_variable(const reader *r, uint32_t id,
                                   const uint32_t *variable,
                                   cs_shader_binding *out)
{
    const id_entry *entry = &r->ids[id];
    memset(out, 0, sizeof *out);
    out->set = entry->set;
    out->binding = entry->binding;
    out->array_size = 1;
    const uint32_t *pointer = definition_of(r, variable[1], SpvOpTypePointer);
    if (pointer == NULL || count_of(pointer) < 4)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "descriptor variable %u's type is not a pointer", id);
    uint32_t type_id = pointer[3];
    uint32_t opcode = opcode_of_id(r, type_id);
    if (opcode == SpvOpTypeArray || opcode == SpvOpTypeRuntimeArray) {
        const uint32_t *array = instruction(r, r->ids[type_id].definition);
        if (count_of(array) < (opcode == SpvOpTypeArray ? 4u : 3u))
            return cs_fail(CS_ERROR_INVALID_SHADER,
                           "array type %u is truncated", type_id);
        out->array_size = 0;
        if (opcode == SpvOpTypeArray &&
            !constant_value(r, array[3], &out->array_size))
            return cs_fail(CS_ERROR_INVALID_SHADER,
                           "array type %u's length is not a constant", type_id);
        type_id = array[2];
        opcode = opcode_of_id(r, type_id);
    }
    const uint32_t *type =
        opcode ? instruction(r, r->ids[type_id].definition) : NULL;
    uint32_t storage_class = variable[3];
    switch (opcode) {
    case SpvOpTypeStruct: {
        bool storage = storage_class == SpvStorageClassStorageBuffer ||
                       r->ids[type_id].buffer_block;
        out->type =
            storage ? CS_BINDING_STORAGE_BUFFER : CS_BINDING_CONSTANT_BUFFER;
        uint32_t members = count_of(type) - 2;
        out->read_only =
            storage &&
            (entry->non_writable ||
             (members > 0 && r->ids[type_id].non_writable_members >= members));
        break;
    }
    case SpvOpTypeImage:
        if (describe_image(r, type, false, out) != CS_OK)
            return CS_ERROR_INVALID_SHADER;
        out->read_only = out->type == CS_BINDING_STORAGE_IMAGE ||
                                 out->type == CS_BINDING_STORAGE_TEXEL_BUFFER
                             ? entry->non_writable
                             : false;
        break;
    case SpvOpTypeSampledImage: {
        const uint32_t *image = count_of(type) >= 3
                                    ? definition_of(r, type[2], SpvOpTypeImage)
                                    : NULL;
        if (image == NULL)
            return cs_fail(CS_ERROR_INVALID_SHADER,
                           "sampled image type %u has no image type", type_id);
        if (describe_image(r, image, true, out) != CS_OK)
            return CS_ERROR_INVALID_SHADER;
        break;
    }
    case SpvOpTypeSampler: out->type = CS_BINDING_SAMPLER; break;
    default:
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "descriptor at set %u binding %u has a type (opcode "
                       "%u) compushady cannot bind, expected a buffer, "
                       "image or sampler",
                       out->set, out->binding, opcode);
    }
    const uint32_t *name = entry->name ? instruction(r, entry->name) : NULL;
    if (name != NULL)
        cs_spirv_read_string(name, 2, out->name, sizeof out->name);
    if (out->name[0] == '\0' && r->ids[type_id].name != 0)
        cs_spirv_read_string(instruction(r, r->ids[type_id].name), 2, out->name,
                             sizeof out->name);
    return CS_OK;
}

static bool is_descriptor_class(uint32_t storage_class)
{
    return storage_class == SpvStorageClassUniformConstant ||
           storage_class == SpvStorageClassUniform ||
           storage_class == SpvStorageClassStorageBuffer;
}

static int compare_bindings(const void *a, const void *b)
{
    const cs_shader_binding *x = a, *y = b;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    if (x->binding != y->binding)
        return x->binding < y->binding ? -1 : 1;
    return 0;
}

static cs_status read_bindings(const reader *r, cs_shader_reflection *out)
{
    uint32_t count = 0;
    for (uint32_t id = 1; id < r->module.id_bound; id++) {
        const uint32_t *variable = definition_of(r, id, SpvOpVariable);
        if (variable != NULL && count_of(variable) >= 4 &&
            is_descriptor_class(variable[3]) && r->ids[id].has_binding &&
            in_interface(r, id))
            count++;
    }
    if (count == 0)
        return CS_OK;
    cs_shader_binding *bindings = calloc(count, sizeof *bindings);
    if (bindings == NULL)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate %u shader bindings", count);
    uint32_t written = 0;
    for (uint32_t id = 1; id < r->module.id_bound; id++) {
        const uint32_t *variable = definition_of(r, id, SpvOpVariable);
        if (variable == NULL || count_of(variable) < 4 ||
            !is_descriptor_class(variable[3]) || !r->ids[id].has_binding ||
            !in_interface(r, id))
            continue;
        cs_status status =
            describe_variable(r, id, variable, &bindings[written++]);
        if (status != CS_OK) {
            free(bindings);
            return status;
        }
    }
    qsort(bindings, count, sizeof *bindings, compare_bindings);
    out->bindings = bindings;
    out->binding_count = count;
    return CS_OK;
}

/* The bytes of every Workgroup variable of the entry point, each packed
 * (the lower bound of what a driver needs; the validation layer counts the
 * same). */
static uint32_t read_workgroup_memory(const reader *r)
{
    uint64_t total = 0;
    for (uint32_t id = 1; id < r->module.id_bound; id++) {
        const uint32_t *variable = definition_of(r, id, SpvOpVariable);
        if (variable == NULL || count_of(variable) < 4 ||
            variable[3] != SpvStorageClassWorkgroup || !in_interface(r, id))
            continue;
        const uint32_t *pointer =
            definition_of(r, variable[1], SpvOpTypePointer);
        if (pointer == NULL || count_of(pointer) < 4)
            continue;
        uint64_t size = type_size(r, pointer[3], 0);
        total = size > UINT64_MAX - total ? UINT64_MAX : total + size;
    }
    return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

/* SPIRV-Headers' table of which opcodes have a result type and id; this is
 * its one external definition. */
extern void SpvHasResultAndType(SpvOp opcode, bool *hasResult,
                                bool *hasResultType);

typedef struct use_tables {
    uint32_t *origin;      /* id -> the descriptor variable it was loaded
                              from, 0 = none */
    uint32_t *result_type; /* id -> its type id, 0 = unknown */
} use_tables;

/* The index in out->bindings of the descriptor variable behind id, or -1. */
static int binding_behind(const reader *r, const use_tables *t,
                          const cs_shader_reflection *out, uint32_t id)
{
    if (id == 0 || id >= r->module.id_bound || t->origin[id] == 0)
        return -1;
    const id_entry *variable = &r->ids[t->origin[id]];
    for (uint32_t i = 0; i < out->binding_count; i++)
        if (out->bindings[i].set == variable->set &&
            out->bindings[i].binding == variable->binding)
            return (int)i;
    return -1;
}

static uint32_t components_of(const reader *r, uint32_t type_id)
{
    const uint32_t *vector = definition_of(r, type_id, SpvOpTypeVector);
    if (vector != NULL && count_of(vector) >= 4)
        return vector[3];
    return 1;
}

static cs_status add_sampling(cs_shader_reflection *out, uint32_t image,
                              uint32_t sampler, uint32_t *capacity)
{
    for (uint32_t i = 0; i < out->sampling_count; i++)
        if (out->samplings[i].image_binding == image &&
            out->samplings[i].sampler_binding == sampler)
            return CS_OK;
    if (out->sampling_count == *capacity) {
        uint32_t grown_capacity = *capacity ? *capacity * 2 : 8;
        cs_shader_sampling *grown =
            realloc(out->samplings, grown_capacity * sizeof *grown);
        if (grown == NULL)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "cannot allocate the shader's samplings");
        out->samplings = grown;
        *capacity = grown_capacity;
    }
    out->samplings[out->sampling_count++] =
        (cs_shader_sampling){image, sampler};
    return CS_OK;
}

/* What the code does with its images: which texture is sampled with which
 * sampler (OpSampledImage) and how many components each OpImageWrite gives
 * (the device checks both against the formats bound). Loads and access
 * chains are followed back to the descriptor variable; what cannot be
 * traced counts as any binding. */
static cs_status read_image_uses(const reader *r, cs_shader_reflection *out)
{
    const cs_spirv *m = &r->module;
    use_tables t = {calloc(m->id_bound, sizeof(uint32_t)),
                    calloc(m->id_bound, sizeof(uint32_t))};
    cs_status status = CS_OK;
    uint32_t capacity = 0;
    if (t.origin == NULL || t.result_type == NULL)
        status =
            cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                    "cannot allocate tables for %u SPIR-V ids", m->id_bound);
    for (size_t at = CS_SPIRV_HEADER_WORDS;
         status == CS_OK && at < m->word_count; at += count_of(m->words + at)) {
        const uint32_t *inst = m->words + at;
        uint32_t opcode = cs_spirv_opcode(inst[0]), count = count_of(inst);
        bool has_result = false, has_type = false;
        SpvHasResultAndType((SpvOp)opcode, &has_result, &has_type);
        if (has_result && has_type && count >= 3 && inst[2] != 0 &&
            inst[2] < m->id_bound)
            t.result_type[inst[2]] = inst[1];
        switch (opcode) {
        case SpvOpVariable:
            if (count >= 4 && inst[2] < m->id_bound &&
                is_descriptor_class(inst[3]))
                t.origin[inst[2]] = inst[2];
            break;
        case SpvOpLoad:
        case SpvOpAccessChain:
        case SpvOpInBoundsAccessChain:
        case SpvOpCopyObject:
            if (count >= 4 && inst[2] < m->id_bound && inst[3] < m->id_bound)
                t.origin[inst[2]] = t.origin[inst[3]];
            break;
        case SpvOpSampledImage: {
            if (count < 5)
                break;
            int image = binding_behind(r, &t, out, inst[3]);
            int sampler = binding_behind(r, &t, out, inst[4]);
            status = add_sampling(
                out, image < 0 ? CS_ANY_BINDING : out->bindings[image].binding,
                sampler < 0 ? CS_ANY_BINDING : out->bindings[sampler].binding,
                &capacity);
            break;
        }
        case SpvOpImageWrite: {
            if (count < 4)
                break;
            int image = binding_behind(r, &t, out, inst[1]);
            uint32_t texel = inst[3];
            if (image < 0 || texel >= m->id_bound || t.result_type[texel] == 0)
                break;
            uint32_t components = components_of(r, t.result_type[texel]);
            cs_shader_binding *binding = &out->bindings[image];
            if (binding->written_components == 0 ||
                components < binding->written_components)
                binding->written_components = components;
            break;
        }
        default: break;
        }
    }
    free(t.origin);
    free(t.result_type);
    return status;
}

cs_status cs_spirv_reflect(const void *spirv, size_t size,
                           cs_shader_reflection *out_reflection)
{
    if (out_reflection == NULL)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_shader_reflect needs out_reflection");
    reader r = {0};
    uint32_t *copy = NULL;
    cs_status status = cs_spirv_open_bytes(spirv, size, &r.module, &copy);
    if (status != CS_OK)
        return status;
    r.ids = calloc(r.module.id_bound, sizeof *r.ids);
    r.array_strides = calloc(r.module.id_bound, sizeof *r.array_strides);
    r.type_sizes = calloc(r.module.id_bound, sizeof *r.type_sizes);
    if (r.ids == NULL || r.array_strides == NULL || r.type_sizes == NULL)
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "cannot allocate tables for %u SPIR-V ids",
                         r.module.id_bound);
    cs_shader_reflection reflection = {0};
    if (status == CS_OK)
        status = index_module(&r);
    if (status == CS_OK) {
        cs_spirv_read_string(instruction(&r, r.entry_point), 3,
                             reflection.entry_point,
                             sizeof reflection.entry_point);
        status = read_workgroup_size(&r, reflection.workgroup_size);
    }
    if (status == CS_OK)
        status = read_push_constant_size(&r, &reflection.push_constant_size);
    if (status == CS_OK)
        status = read_bindings(&r, &reflection);
    if (status == CS_OK) {
        reflection.workgroup_memory_size = read_workgroup_memory(&r);
        status = read_image_uses(&r, &reflection);
    }
    if (status != CS_OK)
        cs_shader_reflection_free(&reflection);
    free(r.ids);
    free(r.array_strides);
    free(r.type_sizes);
    free(r.members);
    free(copy);
    if (status == CS_OK)
        *out_reflection = reflection;
    return status;
}

void cs_shader_reflection_free(cs_shader_reflection *reflection)
{
    if (reflection == NULL)
        return;
    free(reflection->bindings);
    reflection->bindings = NULL;
    reflection->binding_count = 0;
    free(reflection->samplings);
    reflection->samplings = NULL;
    reflection->sampling_count = 0;
}

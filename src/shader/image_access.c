/* image_access.c - marks storage images that a shader only writes
 * NonReadable and those it only reads NonWritable, as DXC does for RW
 * textures, so a cross-compiled GLSL says `writeonly image2D` (and MSL
 * `access::write`) like the original's output, and GLSL compiled back needs
 * no StorageImageReadWithoutFormat.
 *
 * A value derived from the variable (OpLoad, OpAccessChain, OpCopyObject)
 * that reaches anything but OpImageRead / OpImageSparseRead (a read),
 * OpImageWrite (a write) or an image size query counts as both: the
 * variable keeps no decoration. Literal words that happen to equal such an
 * id only make the pass more careful. */
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>

#include <stdlib.h>
#include <string.h>

enum { ACCESS_READ = 1, ACCESS_WRITE = 2 };

typedef struct image_variable {
    uint32_t variable;
    uint8_t access;
    bool decorated; /* already NonReadable or NonWritable */
} image_variable;

/* Whether opcode is one of the instructions that may precede the
 * annotations (decorations go right after them). */
static bool before_annotations(uint32_t opcode)
{
    switch (opcode) {
    case SpvOpCapability:
    case SpvOpExtension:
    case SpvOpExtInstImport:
    case SpvOpMemoryModel:
    case SpvOpEntryPoint:
    case SpvOpExecutionMode:
    case SpvOpExecutionModeId:
    case SpvOpString:
    case SpvOpSourceExtension:
    case SpvOpSource:
    case SpvOpSourceContinued:
    case SpvOpName:
    case SpvOpMemberName:
    case SpvOpModuleProcessed:
    case SpvOpNop: return true;
    default: return false;
    }
}

/* Whether pointer type `pointer` leads to a storage image (through
 * arrays). */
static bool is_storage_image_pointer(const uint32_t *words,
                                     const uint32_t *definitions,
                                     uint32_t id_bound, uint32_t pointer)
{
    if (pointer >= id_bound || definitions[pointer] == 0)
        return false;
    const uint32_t *inst = words + definitions[pointer];
    if (cs_spirv_opcode(inst[0]) != SpvOpTypePointer ||
        cs_spirv_word_count(inst[0]) < 4 ||
        inst[2] != SpvStorageClassUniformConstant)
        return false;
    uint32_t type = inst[3];
    for (int depth = 0; depth < 8; depth++) {
        if (type >= id_bound || definitions[type] == 0)
            return false;
        inst = words + definitions[type];
        uint32_t opcode = cs_spirv_opcode(inst[0]);
        if (opcode == SpvOpTypeImage)
            return cs_spirv_word_count(inst[0]) > 7 && inst[7] == 2;
        if (opcode != SpvOpTypeArray && opcode != SpvOpTypeRuntimeArray)
            return false;
        type = inst[2];
    }
    return false;
}

/* Whether an instruction with this opcode may use an image value: not
 * declarations (which come before the first OpFunction) nor annotations. */
static bool uses_images(uint32_t opcode)
{
    switch (opcode) {
    case SpvOpVariable:
    case SpvOpDecorate:
    case SpvOpMemberDecorate:
    case SpvOpDecorationGroup:
    case SpvOpGroupDecorate:
    case SpvOpGroupMemberDecorate:
    case SpvOpDecorateId:
    case SpvOpDecorateString:
    case SpvOpMemberDecorateString: return false;
    default: return opcode >= SpvOpFunction;
    }
}

cs_status cs_spirv_decorate_image_access(const uint32_t *words,
                                         size_t word_count,
                                         uint32_t **out_words,
                                         size_t *out_word_count)
{
    cs_spirv module;
    cs_status status = cs_spirv_open(words, word_count, &module);
    if (status != CS_OK)
        return status;
    uint32_t bound = module.id_bound;
    uint32_t *definitions = calloc(bound, sizeof *definitions);
    /* derived[id] = 1 + index of the image variable it comes from */
    uint32_t *derived = calloc(bound, sizeof *derived);
    image_variable *images = calloc(bound, sizeof *images);
    uint32_t *out = NULL;
    size_t image_count = 0;
    if (!definitions || !derived || !images) {
        status =
            cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                    "cannot allocate the SPIR-V id tables (%u ids)", bound);
        goto done;
    }
    size_t insert_at = 0;
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < word_count;
         at += cs_spirv_word_count(words[at])) {
        uint32_t opcode = cs_spirv_opcode(words[at]);
        uint32_t count = cs_spirv_word_count(words[at]);
        if (insert_at == 0 && !before_annotations(opcode))
            insert_at = at;
        if (opcode >= SpvOpTypeVoid && opcode <= SpvOpTypeForwardPointer &&
            count >= 2 && words[at + 1] < bound)
            definitions[words[at + 1]] = (uint32_t)at;
        if (opcode == SpvOpVariable && count >= 4 && words[at + 2] < bound &&
            is_storage_image_pointer(words, definitions, bound,
                                     words[at + 1])) {
            images[image_count].variable = words[at + 2];
            derived[words[at + 2]] = (uint32_t)++image_count;
        }
    }
    for (size_t at = CS_SPIRV_HEADER_WORDS; at < word_count;
         at += cs_spirv_word_count(words[at])) {
        uint32_t opcode = cs_spirv_opcode(words[at]);
        uint32_t count = cs_spirv_word_count(words[at]);
        if (opcode == SpvOpDecorate && count >= 3 && words[at + 1] < bound &&
            derived[words[at + 1]] &&
            (words[at + 2] == SpvDecorationNonReadable ||
             words[at + 2] == SpvDecorationNonWritable))
            images[derived[words[at + 1]] - 1].decorated = true;
        if (!uses_images(opcode))
            continue;
        for (uint32_t operand = 1; operand < count; operand++) {
            uint32_t id = words[at + operand];
            if (id >= bound || derived[id] == 0)
                continue;
            image_variable *image = &images[derived[id] - 1];
            bool chain = opcode == SpvOpLoad || opcode == SpvOpAccessChain ||
                         opcode == SpvOpInBoundsAccessChain ||
                         opcode == SpvOpCopyObject;
            if (chain && operand == 3 && words[at + 2] < bound)
                derived[words[at + 2]] = derived[id];
            else if ((opcode == SpvOpImageRead ||
                      opcode == SpvOpImageSparseRead) &&
                     operand == 3)
                image->access |= ACCESS_READ;
            else if (opcode == SpvOpImageWrite && operand == 1)
                image->access |= ACCESS_WRITE;
            else if (opcode >= SpvOpImageQuerySizeLod &&
                     opcode <= SpvOpImageQuerySamples && operand == 3)
                continue;
            else if (!(chain && operand == 2))
                image->access |= ACCESS_READ | ACCESS_WRITE;
        }
    }
    size_t added = 0;
    for (size_t i = 0; i < image_count; i++)
        if (!images[i].decorated && images[i].access != 0 &&
            images[i].access != (ACCESS_READ | ACCESS_WRITE))
            added++;
    if (insert_at == 0)
        insert_at = word_count;
    out = malloc((word_count + 3 * added) * sizeof *out);
    if (out == NULL) {
        status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                         "cannot allocate %zu words of SPIR-V",
                         word_count + 3 * added);
        goto done;
    }
    memcpy(out, words, insert_at * sizeof *out);
    size_t written = insert_at;
    for (size_t i = 0; i < image_count; i++) {
        uint8_t access = images[i].access;
        if (images[i].decorated || access == 0 ||
            access == (ACCESS_READ | ACCESS_WRITE))
            continue;
        out[written++] = (3u << 16) | SpvOpDecorate;
        out[written++] = images[i].variable;
        out[written++] = access == ACCESS_WRITE ? SpvDecorationNonReadable
                                                : SpvDecorationNonWritable;
    }
    memcpy(out + written, words + insert_at,
           (word_count - insert_at) * sizeof *out);
    *out_words = out;
    *out_word_count = word_count + 3 * added;
done:
    free(definitions);
    free(derived);
    free(images);
    return status;
}

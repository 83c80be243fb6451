/* hlsl_wave.c - cs_spirv_hlsl_exclusive_prefixes: HLSL's prefix wave
 * intrinsics are exclusive (WavePrefixSum is the sum over the lanes before
 * this one; lane 0 gets 0), but glslang 12 lowers WavePrefixSum and
 * WavePrefixProduct to InclusiveScan group operations, so every lane also
 * counted itself: a silent wrong answer. HLSL has no inclusive prefix
 * intrinsic at all, so every InclusiveScan of a glslang-compiled HLSL
 * module is one of these and becomes ExclusiveScan (WavePrefixCountBits is
 * already lowered right). DXC's output is never passed here. */
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>

static bool is_arithmetic_group_op(uint32_t opcode)
{
    switch (opcode) {
    case SpvOpGroupNonUniformIAdd:
    case SpvOpGroupNonUniformFAdd:
    case SpvOpGroupNonUniformIMul:
    case SpvOpGroupNonUniformFMul: return true;
    default: return false;
    }
}

void cs_spirv_hlsl_exclusive_prefixes(uint32_t *words, size_t word_count)
{
    /* instructions: word count in the high half, opcode in the low; the
     * group operation is the 4th operand word: type, id, scope, operation */
    size_t at = 5;
    while (at < word_count) {
        uint32_t count = words[at] >> 16, opcode = words[at] & 0xffff;
        if (count == 0 || at + count > word_count)
            return; /* malformed: the validator reports it later */
        if (is_arithmetic_group_op(opcode) && count >= 6 &&
            words[at + 4] == SpvGroupOperationInclusiveScan)
            words[at + 4] = SpvGroupOperationExclusiveScan;
        at += count;
    }
}

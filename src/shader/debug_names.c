/*
 * debug_names.c - keeps the names of glslang's output and drops the rest of
 * its debug information.
 *
 * Without debug information glslang's optimizer strips OpName too, and then
 * reflection (`compile --reflect`, cs_shader_reflect) has no binding names.
 * So the shader is compiled with debug information and this pass removes
 * what only a debugger needs (source text, file names, line numbers), which
 * leaves the module as small as before plus its names. Names that
 * cs_hlsl_make_glslang_compatible renamed ("texture_cs") get their source
 * spelling back.
 */
#include "shader_internal.h"

#include <spirv/unified1/spirv.h>
#include <string.h>

static bool is_line_or_source(uint32_t opcode)
{
    switch (opcode) {
    case SpvOpSourceContinued:
    case SpvOpSource:
    case SpvOpSourceExtension:
    case SpvOpString:
    case SpvOpLine:
    case SpvOpNoLine:
    case SpvOpModuleProcessed: return true;
    default: return false;
    }
}

/* The length of `name` without the rename suffix when it is one of the
 * renamed identifiers plus the suffix; otherwise strlen(name). */
static size_t source_spelling_length(const char *name)
{
    size_t length = strlen(name);
    size_t suffix = sizeof CS_HLSL_RENAME_SUFFIX - 1;
    if (length <= suffix ||
        strcmp(name + length - suffix, CS_HLSL_RENAME_SUFFIX) != 0)
        return length;
    for (const char *const *renamed = cs_hlsl_renamed_identifiers; *renamed;
         renamed++)
        if (strlen(*renamed) == length - suffix &&
            strncmp(*renamed, name, length - suffix) == 0)
            return length - suffix;
    return length;
}

/* Rewrites an OpName (first = 2) or OpMemberName (first = 3) at `out` with
 * the source spelling of its string; returns its new word count. The
 * instruction only ever shrinks, so it is rewritten in place. */
static uint32_t restore_name(uint32_t *out, uint32_t word_count, uint32_t first)
{
    if (word_count <= first)
        return word_count;
    size_t capacity = (size_t)(word_count - first) * 4;
    const char *name = (const char *)(out + first);
    if (memchr(name, '\0', capacity) == NULL)
        return word_count; /* unterminated: left for the validator */
    size_t length = source_spelling_length(name);
    if (length == strlen(name))
        return word_count;
    uint32_t new_count = first + (uint32_t)(length / 4 + 1);
    memset((char *)(out + first) + length, 0,
           (size_t)(new_count - first) * 4 - length);
    out[0] = (new_count << 16) | cs_spirv_opcode(out[0]);
    return new_count;
}

cs_status cs_spirv_keep_names_only(uint32_t *words, size_t *io_word_count)
{
    cs_spirv module;
    cs_status status = cs_spirv_open(words, *io_word_count, &module);
    if (status != CS_OK)
        return status;
    size_t read = CS_SPIRV_HEADER_WORDS, write = CS_SPIRV_HEADER_WORDS;
    while (read < *io_word_count) {
        uint32_t opcode = cs_spirv_opcode(words[read]);
        uint32_t count = cs_spirv_word_count(words[read]);
        if (!is_line_or_source(opcode)) {
            memmove(words + write, words + read, (size_t)count * 4);
            if (opcode == SpvOpName)
                write += restore_name(words + write, count, 2);
            else if (opcode == SpvOpMemberName)
                write += restore_name(words + write, count, 3);
            else
                write += count;
        }
        read += count;
    }
    *io_word_count = write;
    return CS_OK;
}

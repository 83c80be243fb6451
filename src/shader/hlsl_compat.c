/* hlsl_compat.c - renames identifiers that glslang's HLSL front end reserves
 * but DXC takes as plain names, so sources written for DXC compile.
 *
 * A candidate is renamed only where it is used as a name: when the next
 * token is neither an identifier nor `<`. Keyword and type uses always
 * precede a name or type (`precise float x`, `matrix m`) or a template
 * argument list (`vector<float, 3>`), names never do; `(matrix)` is taken
 * as a cast. An entry point with
 * one of these names cannot be found after the rename. Comments, string
 * and character literals are copied untouched, and nothing adds or removes
 * a newline, so diagnostics keep their line numbers. */
#include "shader_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Each one checked against glslang 12 in tests/c/test_shader.c and listed
 * in docs/hlsl-differences.md. */
const char *const cs_hlsl_renamed_identifiers[] = {
    "texture", "sampler",          "vector",          "matrix",
    "linear",  "centroid",         "nointerpolation", "noperspective",
    "precise", "globallycoherent", "point",           "line",
    "lineadj", "triangle",         "triangleadj",     NULL,
};

static bool is_identifier_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool is_identifier_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Index just past the comment starting at `at`, or `at` when none does. */
static size_t skip_comment(const char *source, size_t size, size_t at)
{
    if (source[at] != '/' || at + 1 >= size)
        return at;
    size_t end = at + 2;
    if (source[at + 1] == '/') {
        while (end < size && source[end] != '\n')
            end++;
        return end;
    }
    if (source[at + 1] == '*') {
        while (end + 1 < size &&
               !(source[end] == '*' && source[end + 1] == '/'))
            end++;
        return end + 1 < size ? end + 2 : size;
    }
    return at;
}

/* Index just past the string or character literal starting at `at`, or
 * `at` when none does. */
static size_t skip_literal(const char *source, size_t size, size_t at)
{
    char quote = source[at];
    if (quote != '"' && quote != '\'')
        return at;
    size_t end = at + 1;
    while (end < size && source[end] != quote && source[end] != '\n') {
        if (source[end] == '\\' && end + 1 < size)
            end++;
        end++;
    }
    return end < size && source[end] == quote ? end + 1 : end;
}

/* Index of the first byte at or after `at` that is neither blank nor in a
 * comment. */
static size_t skip_blanks_and_comments(const char *source, size_t size,
                                       size_t at)
{
    while (at < size) {
        size_t end = skip_comment(source, size, at);
        if (end == at && !isspace((unsigned char)source[at]))
            break;
        at = end == at ? at + 1 : end;
    }
    return at;
}

static bool is_renamed(const char *name, size_t length)
{
    for (size_t i = 0; cs_hlsl_renamed_identifiers[i] != NULL; i++) {
        const char *candidate = cs_hlsl_renamed_identifiers[i];
        if (strlen(candidate) == length && memcmp(candidate, name, length) == 0)
            return true;
    }
    return false;
}

/* Whether the candidate ending at `end` is a name rather than a keyword or
 * type: see the top of this file. */
static bool used_as_name(const char *source, size_t size, size_t end,
                         char previous)
{
    size_t next = skip_blanks_and_comments(source, size, end);
    if (next >= size)
        return true;
    if (is_identifier_start(source[next]) || source[next] == '<')
        return false;
    return !(previous == '(' && source[next] == ')');
}

cs_status cs_hlsl_make_glslang_compatible(const char *source, size_t size,
                                          char **out_source, size_t *out_size)
{
    /* every renamed identifier is at least 2 bytes and followed by a
     * non-identifier, so at most size/3+1 renames fit */
    size_t capacity = size + (size / 3 + 1) * strlen(CS_HLSL_RENAME_SUFFIX) + 1;
    char *out = malloc(capacity);
    if (out == NULL)
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate %zu bytes for the HLSL source",
                       capacity);
    size_t written = 0;
    size_t at = 0;
    char previous = '\0'; /* last byte outside blanks and comments */
    while (at < size) {
        size_t end = skip_comment(source, size, at);
        if (end == at)
            end = skip_literal(source, size, at);
        if (end == at && is_identifier_start(source[at])) {
            end = at + 1;
            while (end < size && is_identifier_char(source[end]))
                end++;
        } else if (end == at && isdigit((unsigned char)source[at])) {
            /* a pp-number such as 1e5f or 0x1F holds no identifier */
            end = at + 1;
            while (end < size &&
                   (is_identifier_char(source[end]) || source[end] == '.'))
                end++;
        } else if (end == at) {
            end = at + 1;
        }
        memcpy(out + written, source + at, end - at);
        written += end - at;
        if (is_identifier_start(source[at]) &&
            is_renamed(source + at, end - at) &&
            used_as_name(source, size, end, previous)) {
            memcpy(out + written, CS_HLSL_RENAME_SUFFIX,
                   strlen(CS_HLSL_RENAME_SUFFIX));
            written += strlen(CS_HLSL_RENAME_SUFFIX);
        }
        bool comment = skip_comment(source, size, at) != at;
        if (!comment && !isspace((unsigned char)source[at]))
            previous = source[end - 1];
        at = end;
    }
    out[written] = '\0';
    *out_source = out;
    *out_size = written;
    return CS_OK;
}

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
        size_t end = cs_source_skip_comment(source, size, at);
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
    if (cs_source_identifier_start(source[next]) || source[next] == '<')
        return false;
    return !(previous == '(' && source[next] == ')');
}

static cs_status rename_identifiers(const char *source, size_t size,
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
        size_t end = cs_source_skip_comment(source, size, at);
        if (end == at)
            end = skip_literal(source, size, at);
        if (end == at && cs_source_identifier_start(source[at])) {
            end = at + 1;
            while (end < size && cs_source_identifier_char(source[end]))
                end++;
        } else if (end == at && isdigit((unsigned char)source[at])) {
            /* a pp-number such as 1e5f or 0x1F holds no identifier */
            end = at + 1;
            while (end < size && (cs_source_identifier_char(source[end]) ||
                                  source[end] == '.'))
                end++;
        } else if (end == at) {
            end = at + 1;
        }
        memcpy(out + written, source + at, end - at);
        written += end - at;
        if (cs_source_identifier_start(source[at]) &&
            is_renamed(source + at, end - at) &&
            used_as_name(source, size, end, previous)) {
            memcpy(out + written, CS_HLSL_RENAME_SUFFIX,
                   strlen(CS_HLSL_RENAME_SUFFIX));
            written += strlen(CS_HLSL_RENAME_SUFFIX);
        }
        bool comment = cs_source_skip_comment(source, size, at) != at;
        if (!comment && !isspace((unsigned char)source[at]))
            previous = source[end - 1];
        at = end;
    }
    out[written] = '\0';
    *out_source = out;
    *out_size = written;
    return CS_OK;
}

/* >>resource rewrites: a second pass over the renamed source.
 *
 * 1. `name[]` in a global resource declaration (`Texture2D<float4> t[] :
 *    register(t0);`) becomes `name[CS_HLSL_UNBOUNDED_ARRAY_SIZE]`, which
 *    cs_spirv_make_unbounded_arrays turns into a runtime array: glslang 12
 *    would size it by its constant indices instead. "Global resource
 *    declaration": brace and parenthesis depth 0, and a resource type name
 *    (below) earlier in the same statement, so `static const float k[] =
 *    {...}` keeps its size.
 * 2. `name.GetDimensions(args)` for a name declared (RW)ByteAddressBuffer
 *    anywhere becomes `(name.GetDimensions(args), (args) *= 4)`: glslang
 *    returns the size in 4-byte words, DXC in bytes. `args` is evaluated
 *    twice (it is an out argument, a plain variable in practice); a copy
 *    drops comments and newlines so lines keep their numbers. */

static const char *const resource_types[] = {
    "Buffer",
    "RWBuffer",
    "ByteAddressBuffer",
    "RWByteAddressBuffer",
    "StructuredBuffer",
    "RWStructuredBuffer",
    "AppendStructuredBuffer",
    "ConsumeStructuredBuffer",
    "ConstantBuffer",
    "Texture1D",
    "Texture1DArray",
    "Texture2D",
    "Texture2DArray",
    "Texture2DMS",
    "Texture2DMSArray",
    "Texture3D",
    "TextureCube",
    "TextureCubeArray",
    "RWTexture1D",
    "RWTexture1DArray",
    "RWTexture2D",
    "RWTexture2DArray",
    "RWTexture3D",
    "SamplerState",
    "SamplerComparisonState",
    NULL,
};

static bool token_is(const char *token, size_t length, const char *word)
{
    return strlen(word) == length && memcmp(token, word, length) == 0;
}

static bool is_resource_type(const char *token, size_t length)
{
    for (size_t i = 0; resource_types[i] != NULL; i++)
        if (token_is(token, length, resource_types[i]))
            return true;
    return false;
}

typedef struct name_list {
    const char **names;
    size_t *lengths;
    size_t count, capacity;
} name_list;

static bool listed(const name_list *list, const char *name, size_t length)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->lengths[i] == length &&
            memcmp(list->names[i], name, length) == 0)
            return true;
    return false;
}

static bool add_name(name_list *list, const char *name, size_t length)
{
    if (listed(list, name, length))
        return true;
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 8;
        const char **names = realloc(list->names, capacity * sizeof *names);
        if (names == NULL)
            return false;
        list->names = names;
        size_t *lengths = realloc(list->lengths, capacity * sizeof *lengths);
        if (lengths == NULL)
            return false;
        list->lengths = lengths;
        list->capacity = capacity;
    }
    list->names[list->count] = name;
    list->lengths[list->count] = length;
    list->count++;
    return true;
}

/* Index just past the token starting at `at` (a comment, literal,
 * identifier, pp-number or single byte). */
static size_t token_end(const char *source, size_t size, size_t at)
{
    size_t end = cs_source_skip_comment(source, size, at);
    if (end == at)
        end = skip_literal(source, size, at);
    if (end != at)
        return end;
    end = at + 1;
    if (cs_source_identifier_start(source[at])) {
        while (end < size && cs_source_identifier_char(source[end]))
            end++;
    } else if (isdigit((unsigned char)source[at])) {
        while (end < size &&
               (cs_source_identifier_char(source[end]) || source[end] == '.'))
            end++;
    }
    return end;
}

/* Every name declared with a byte-address buffer type, at any scope. */
static bool find_byte_address_names(const char *source, size_t size,
                                    name_list *list)
{
    for (size_t at = 0; at < size;) {
        size_t end = token_end(source, size, at);
        if (cs_source_identifier_start(source[at]) &&
            (token_is(source + at, end - at, "ByteAddressBuffer") ||
             token_is(source + at, end - at, "RWByteAddressBuffer"))) {
            size_t name = skip_blanks_and_comments(source, size, end);
            if (name < size && cs_source_identifier_start(source[name])) {
                size_t name_end = token_end(source, size, name);
                if (!add_name(list, source + name, name_end - name))
                    return false;
            }
        }
        at = end;
    }
    return true;
}

/* For `name . GetDimensions (` at `at` (name ending at name_end): the index
 * of the `(` and of the matching `)`, or false. */
static bool find_get_dimensions(const char *source, size_t size,
                                size_t name_end, size_t *out_open,
                                size_t *out_close)
{
    size_t dot = skip_blanks_and_comments(source, size, name_end);
    if (dot >= size || source[dot] != '.')
        return false;
    size_t method = skip_blanks_and_comments(source, size, dot + 1);
    if (method >= size || !cs_source_identifier_start(source[method]))
        return false;
    size_t method_end = token_end(source, size, method);
    if (!token_is(source + method, method_end - method, "GetDimensions"))
        return false;
    size_t open = skip_blanks_and_comments(source, size, method_end);
    if (open >= size || source[open] != '(')
        return false;
    int depth = 0;
    for (size_t at = open; at < size;) {
        size_t end = token_end(source, size, at);
        if (end == at + 1 && source[at] == '(')
            depth++;
        if (end == at + 1 && source[at] == ')' && --depth == 0) {
            *out_open = open;
            *out_close = at;
            return true;
        }
        at = end;
    }
    return false;
}

/* Appends source[from, to) without comments, newlines as spaces. */
static void append_flattened(cs_text *t, const char *source, size_t from,
                             size_t to)
{
    for (size_t at = from; at < to;) {
        size_t end = token_end(source, to, at);
        if (cs_source_skip_comment(source, to, at) != at || source[at] == '\n')
            cs_text_append(t, " ", 1);
        else
            cs_text_append(t, source + at, end - at);
        at = end;
    }
}

static cs_status rewrite_resources(const char *source, size_t size,
                                   char **out_source, size_t *out_size)
{
    name_list byte_address = {0};
    cs_text out = {0};
    if (!find_byte_address_names(source, size, &byte_address))
        out.failed = true;
    int braces = 0, parens = 0;
    bool resource_statement = false;
    char previous = '\0'; /* last byte outside blanks and comments */
    for (size_t at = 0; at < size && !out.failed;) {
        size_t end = token_end(source, size, at);
        bool single = end == at + 1;
        char c = source[at];
        size_t open, close;
        if (cs_source_identifier_start(c) && previous != '.' &&
            listed(&byte_address, source + at, end - at) &&
            find_get_dimensions(source, size, end, &open, &close)) {
            cs_text_append(&out, "(", 1);
            cs_text_append(&out, source + at, close + 1 - at);
            cs_text_append(&out, ", (", 3);
            append_flattened(&out, source, open + 1, close);
            cs_text_append(&out, ") *= 4)", 7);
            previous = ')';
            at = close + 1;
            continue;
        }
        if (cs_source_identifier_start(c) && braces == 0 &&
            is_resource_type(source + at, end - at))
            resource_statement = true;
        if (single && c == '[' && braces == 0 && parens == 0 &&
            resource_statement) {
            size_t next = skip_blanks_and_comments(source, size, end);
            if (next < size && source[next] == ']') {
                cs_text_append(&out, "[" CS_HLSL_UNBOUNDED_ARRAY_SIZE_TEXT,
                               1 + strlen(CS_HLSL_UNBOUNDED_ARRAY_SIZE_TEXT));
                cs_text_append(&out, source + end, next + 1 - end);
                previous = ']';
                at = next + 1;
                continue;
            }
        }
        if (single && (c == ';' || c == '{' || c == '}'))
            resource_statement = false;
        if (single) {
            braces += c == '{' ? 1 : c == '}' && braces > 0 ? -1 : 0;
            parens += c == '(' ? 1 : c == ')' && parens > 0 ? -1 : 0;
        }
        cs_text_append(&out, source + at, end - at);
        bool comment = cs_source_skip_comment(source, size, at) != at;
        if (!comment && !isspace((unsigned char)c))
            previous = source[end - 1];
        at = end;
    }
    free(byte_address.names);
    free(byte_address.lengths);
    cs_text_append(&out, "", 0);
    if (out.failed) {
        free(out.bytes);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate the rewritten HLSL source");
    }
    out.bytes[out.size] = '\0';
    *out_source = out.bytes;
    *out_size = out.size;
    return CS_OK;
}

cs_status cs_hlsl_make_glslang_compatible(const char *source, size_t size,
                                          char **out_source, size_t *out_size)
{
    char *renamed = NULL;
    size_t renamed_size = 0;
    cs_status status =
        rename_identifiers(source, size, &renamed, &renamed_size);
    if (status != CS_OK)
        return status;
    char *resources = NULL;
    size_t resources_size = 0;
    status =
        rewrite_resources(renamed, renamed_size, &resources, &resources_size);
    free(renamed);
    if (status != CS_OK)
        return status;
    char *partial = NULL;
    size_t partial_size = 0;
    status = cs_hlsl_expand_partial_writes(resources, resources_size, &partial,
                                           &partial_size);
    free(resources);
    if (status != CS_OK)
        return status;
    status = cs_hlsl_split_shared_constant_buffers(partial, partial_size,
                                                   out_source, out_size);
    free(partial);
    return status;
}

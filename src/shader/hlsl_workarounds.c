/* hlsl_workarounds.c - two HLSL constructs that DXC compiles and glslang 12
 * does not, rewritten in the source before glslang sees it. Comments and
 * literals are copied untouched and no newline is added or removed, so
 * diagnostics keep their line numbers.
 *
 * 1. Writes to some components of an RWBuffer or RWTexture element
 *    ("unimplemented: partial image updates"):
 *
 *      output2[tid.z].r = data.b;
 *
 *    become a read, a write of the components and a write of the element
 *    (on one line):
 *
 *      { float4 cs_partial = output2[tid.z]; cs_partial.r = data.b;
 *        output2[tid.z] = cs_partial; }
 *
 *    The element type comes from the resource's declaration
 *    (`RWBuffer<float4> output2`). Only statements are rewritten: the
 *    assignment must follow `;`, `{`, `}`, `)` or `else`, and the text from
 *    the name to the swizzle must hold no newline or comment (the index is
 *    evaluated twice, as DXC's own read-modify-write does).
 *
 * 2. `ConstantBuffer<Data> data` whose struct is also the element of a
 *    writable resource (`RWStructuredBuffer<Data> out`): glslang then takes
 * every use of Data as uniform and refuses writes to `out` ("can't modify a
 *    uniform"). Such a declaration becomes `cbuffer data : register(b0) {
 *    Data data; }`: the same bytes (the struct at offset 0 of the block),
 *    the same name and register. Arrays of ConstantBuffer are left alone. */
#include "shader_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const rw_image_types[] = {
    "RWBuffer",    "RWTexture1D",      "RWTexture1DArray",
    "RWTexture2D", "RWTexture2DArray", "RWTexture3D",
    NULL,
};

static const char *const assignment_operators[] = {
    "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "=", NULL,
};

/* Index past the comment or literal at `at`, or `at` when none starts. */
static size_t skip_opaque(const char *s, size_t size, size_t at)
{
    size_t end = cs_source_skip_comment(s, size, at);
    if (end != at)
        return end;
    if (s[at] == '"' || s[at] == '\'') {
        char quote = s[at++];
        while (at < size && s[at] != quote && s[at] != '\n')
            at += s[at] == '\\' ? 2 : 1;
        return at < size ? at + 1 : size;
    }
    return at;
}

static size_t skip_blanks(const char *s, size_t size, size_t at)
{
    while (at < size) {
        size_t end = skip_opaque(s, size, at);
        if (end != at && s[at] != '"' && s[at] != '\'') {
            at = end;
            continue;
        }
        if (!isspace((unsigned char)s[at]))
            break;
        at++;
    }
    return at;
}

static size_t identifier_end(const char *s, size_t size, size_t at)
{
    while (at < size && cs_source_identifier_char(s[at]))
        at++;
    return at;
}

/* The start of the first identifier at or after `at` that is code (not
 * inside a comment or literal, nor the tail of another identifier), with
 * *end past it; size when there is none. */
static size_t next_identifier(const char *s, size_t size, size_t at,
                              size_t *end)
{
    while (at < size) {
        size_t skipped = skip_opaque(s, size, at);
        if (skipped != at) {
            at = skipped;
            continue;
        }
        if (cs_source_identifier_start(s[at]) &&
            (at == 0 || !cs_source_identifier_char(s[at - 1]))) {
            *end = identifier_end(s, size, at);
            return at;
        }
        at++;
    }
    return size;
}

/* Index of the byte matching the opener at `at` ('[' or '<'), skipping
 * comments and literals, or size when unmatched. */
static size_t matching(const char *s, size_t size, size_t at)
{
    char open = s[at], close = open == '[' ? ']' : open == '<' ? '>' : ')';
    int depth = 0;
    while (at < size) {
        size_t end = skip_opaque(s, size, at);
        if (end != at) {
            at = end;
            continue;
        }
        if (s[at] == open)
            depth++;
        else if (s[at] == close && --depth == 0)
            return at;
        else if (s[at] == ';')
            return size;
        at++;
    }
    return size;
}

typedef struct rw_image {
    size_t name, name_length, type, type_length; /* offsets in the source */
} rw_image;

static bool is_word(const char *s, size_t at, size_t end, const char *word)
{
    return end - at == strlen(word) && memcmp(s + at, word, end - at) == 0;
}

/* The RW images declared in the source: `RWTexture2D<T> name`. */
static size_t find_rw_images(const char *s, size_t size, rw_image *images,
                             size_t capacity)
{
    size_t count = 0;
    size_t at = 0, end = 0;
    while ((at = next_identifier(s, size, at, &end)) < size) {
        bool rw = false;
        for (size_t i = 0; rw_image_types[i] && !rw; i++)
            rw = is_word(s, at, end, rw_image_types[i]);
        at = end;
        if (!rw)
            continue;
        size_t open = skip_blanks(s, size, end);
        if (open >= size || s[open] != '<')
            continue;
        size_t close = matching(s, size, open);
        if (close >= size)
            continue;
        size_t name = skip_blanks(s, size, close + 1);
        if (name >= size || !cs_source_identifier_start(s[name]))
            continue;
        if (count < capacity) {
            images[count].type = open + 1;
            images[count].type_length = close - open - 1;
            images[count].name = name;
            images[count].name_length = identifier_end(s, size, name) - name;
            count++;
        }
        at = name;
    }
    return count;
}

static const rw_image *image_named(const char *s, const rw_image *images,
                                   size_t count, size_t at, size_t end)
{
    for (size_t i = 0; i < count; i++)
        if (images[i].name_length == end - at &&
            memcmp(s + images[i].name, s + at, end - at) == 0)
            return &images[i];
    return NULL;
}

/* Whether the statement context allows a block at `at`: the previous
 * significant byte is ; { } ) or the word `else`. */
static bool starts_statement(const char *s, size_t at)
{
    while (at > 0 && isspace((unsigned char)s[at - 1]))
        at--;
    if (at == 0)
        return false;
    char c = s[at - 1];
    if (c == ';' || c == '{' || c == '}' || c == ')')
        return true;
    return at >= 4 && memcmp(s + at - 4, "else", 4) == 0 &&
           (at == 4 || !cs_source_identifier_char(s[at - 5]));
}

/* The partial write at `at` (the image name), as offsets; false when the
 * text there is not one this file rewrites. */
typedef struct partial_write {
    size_t index_open, index_close; /* the [ and ] */
    size_t swizzle, swizzle_end;
    size_t op, op_end;
    size_t semicolon;
} partial_write;

static bool read_partial_write(const char *s, size_t size, size_t name_end,
                               partial_write *w)
{
    w->index_open = skip_blanks(s, size, name_end);
    if (w->index_open >= size || s[w->index_open] != '[')
        return false;
    w->index_close = matching(s, size, w->index_open);
    if (w->index_close >= size)
        return false;
    size_t dot = skip_blanks(s, size, w->index_close + 1);
    if (dot >= size || s[dot] != '.')
        return false;
    w->swizzle = skip_blanks(s, size, dot + 1);
    if (w->swizzle >= size || !cs_source_identifier_start(s[w->swizzle]))
        return false;
    w->swizzle_end = identifier_end(s, size, w->swizzle);
    /* the name, index and swizzle are copied twice and what lies between
     * them dropped: they must not hold a newline or a comment */
    for (size_t i = name_end; i < w->swizzle_end; i++)
        if (s[i] == '\n' ||
            (s[i] == '/' && (s[i + 1] == '/' || s[i + 1] == '*')))
            return false;
    w->op = skip_blanks(s, size, w->swizzle_end);
    w->op_end = 0;
    for (size_t i = 0; assignment_operators[i] && !w->op_end; i++) {
        size_t length = strlen(assignment_operators[i]);
        if (w->op + length < size &&
            memcmp(s + w->op, assignment_operators[i], length) == 0 &&
            s[w->op + length] != '=')
            w->op_end = w->op + length;
    }
    if (!w->op_end)
        return false;
    /* the statement's end: the first ; outside brackets */
    int depth = 0;
    for (size_t at = w->op_end; at < size;) {
        size_t end = skip_opaque(s, size, at);
        if (end != at) {
            at = end;
            continue;
        }
        char c = s[at];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}') {
            if (--depth < 0)
                return false;
        } else if (c == ';' && depth == 0) {
            w->semicolon = at;
            return true;
        }
        at++;
    }
    return false;
}

enum { MAX_RW_IMAGES = 256 };

cs_status cs_hlsl_expand_partial_writes(const char *s, size_t size,
                                        char **out_source, size_t *out_size)
{
    rw_image images[MAX_RW_IMAGES];
    size_t count = find_rw_images(s, size, images, MAX_RW_IMAGES);
    cs_text out = {0};
    cs_text_append(&out, "", 0);
    size_t copied = 0, at = 0, end = 0;
    while (count > 0 && (at = next_identifier(s, size, at, &end)) < size) {
        if (at > 0 && s[at - 1] == '.') { /* a member, not an image */
            at = end;
            continue;
        }
        const rw_image *image = image_named(s, images, count, at, end);
        partial_write w;
        if (image == NULL || !starts_statement(s, at) ||
            !read_partial_write(s, size, end, &w)) {
            at = end;
            continue;
        }
        const char *name = s + at;
        size_t name_length = end - at;
        const char *index = s + w.index_open;
        size_t index_length = w.index_close + 1 - w.index_open;
        cs_text_append(&out, s + copied, at - copied);
        cs_text_append(&out, "{ ", 2);
        cs_text_append(&out, s + image->type, image->type_length);
        cs_text_append(&out, " cs_partial = ", 14);
        cs_text_append(&out, name, name_length);
        cs_text_append(&out, index, index_length);
        cs_text_append(&out, "; cs_partial.", 13);
        /* the swizzle, operator and value, with their newlines */
        cs_text_append(&out, s + w.swizzle, w.semicolon - w.swizzle);
        cs_text_append(&out, "; ", 2);
        cs_text_append(&out, name, name_length);
        cs_text_append(&out, index, index_length);
        cs_text_append(&out, " = cs_partial; }", 16);
        copied = at = w.semicolon + 1;
    }
    cs_text_append(&out, s + copied, size - copied);
    if (out.failed) {
        free(out.bytes);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate the rewritten HLSL source");
    }
    *out_source = out.bytes;
    *out_size = out.size;
    return CS_OK;
}

/* Whether the identifier just before `<` at `at` names a writable
 * resource: RW*, AppendStructuredBuffer, ConsumeStructuredBuffer. */
static bool after_writable_resource(const char *s, size_t at)
{
    while (at > 0 && isspace((unsigned char)s[at - 1]))
        at--;
    size_t end = at;
    while (at > 0 && cs_source_identifier_char(s[at - 1]))
        at--;
    size_t length = end - at;
    return (length > 2 && memcmp(s + at, "RW", 2) == 0) ||
           (length > 6 && memcmp(s + at, "Append", 6) == 0) ||
           (length > 7 && memcmp(s + at, "Consume", 7) == 0);
}

/* Whether `<T>` (blanks allowed) follows a writable resource type in the
 * source (glslang then refuses writes to it once ConstantBuffer<T> exists);
 * `except` is the '<' of the declaration being rewritten. */
static bool used_as_template_argument(const char *s, size_t size,
                                      const char *type, size_t type_length,
                                      size_t except)
{
    for (size_t at = 0; at < size;) {
        size_t end = skip_opaque(s, size, at);
        if (end != at) {
            at = end;
            continue;
        }
        if (s[at] != '<' || at == except || !after_writable_resource(s, at)) {
            at++;
            continue;
        }
        size_t first = skip_blanks(s, size, at + 1);
        size_t after = first + type_length;
        if (after <= size && memcmp(s + first, type, type_length) == 0 &&
            (after == size || !cs_source_identifier_char(s[after]))) {
            size_t close = skip_blanks(s, size, after);
            if (close < size && s[close] == '>')
                return true;
        }
        at++;
    }
    return false;
}

cs_status cs_hlsl_split_shared_constant_buffers(const char *s, size_t size,
                                                char **out_source,
                                                size_t *out_size)
{
    cs_text out = {0};
    cs_text_append(&out, "", 0);
    size_t copied = 0, at = 0, end = 0;
    while ((at = next_identifier(s, size, at, &end)) < size) {
        if (!is_word(s, at, end, "ConstantBuffer")) {
            at = end;
            continue;
        }
        size_t start = at;
        at = end;
        size_t open = skip_blanks(s, size, end);
        if (open >= size || s[open] != '<')
            continue;
        size_t close = matching(s, size, open);
        if (close >= size)
            continue;
        size_t type = skip_blanks(s, size, open + 1);
        size_t type_end = close;
        while (type_end > type && isspace((unsigned char)s[type_end - 1]))
            type_end--;
        size_t name = skip_blanks(s, size, close + 1);
        if (name >= size || !cs_source_identifier_start(s[name]))
            continue;
        size_t name_end = identifier_end(s, size, name);
        size_t semicolon = name_end;
        while (semicolon < size && s[semicolon] != ';' && s[semicolon] != '[' &&
               s[semicolon] != '{' && s[semicolon] != '=')
            semicolon++;
        if (semicolon >= size || s[semicolon] != ';' || type_end <= type ||
            !used_as_template_argument(s, size, s + type, type_end - type,
                                       open))
            continue;
        cs_text_append(&out, s + copied, start - copied);
        cs_text_append(&out, "cbuffer ", 8);
        cs_text_append(&out, s + name, name_end - name);
        cs_text_append(&out, s + name_end,
                       semicolon - name_end); /* ": register(b0)" */
        cs_text_append(&out, " { ", 3);
        cs_text_append(&out, s + type, type_end - type);
        cs_text_append(&out, " ", 1);
        cs_text_append(&out, s + name, name_end - name);
        cs_text_append(&out, "; }", 3);
        copied = at = semicolon + 1;
    }
    cs_text_append(&out, s + copied, size - copied);
    if (out.failed) {
        free(out.bytes);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate the rewritten HLSL source");
    }
    *out_source = out.bytes;
    *out_size = out.size;
    return CS_OK;
}

/* glsl_compat.c - GLSL written for the original compushady, which compiled
 * GLSL through naga, made acceptable to glslang's Vulkan rules.
 *
 * Such a source has no #version line (glslang then compiles it as GLSL 450,
 * see compile.c) and may declare a uniform of a plain type outside any block
 * (`layout(binding = 3) uniform float multiplier;`), which naga takes as a
 * uniform buffer holding that value and Vulkan GLSL forbids. Each such
 * declaration is wrapped in a uniform block of its own, with an instance-less
 * block so the names stay global:
 *
 *   layout(binding = 3) uniform compushady_uniform_0 { float multiplier; };
 *
 * naga also takes an image's texel type from its format: `layout(r32ui)
 * uniform image1D` is a uimage1D there, an error in glslang. Such image
 * types get the `u` or `i` prefix their integer format implies.
 *
 * Only text is inserted, never a newline, so diagnostics keep their line
 * numbers. Comments, literals and preprocessor lines are copied untouched.
 * The bindings are renumbered afterwards, on the SPIR-V (glsl_bindings.c). */
#include "shader_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the end of the preprocessor line whose '#' is at `at`, backslash
 * continuations included. */
static size_t skip_directive(const char *source, size_t size, size_t at)
{
    while (at < size && source[at] != '\n') {
        if (source[at] == '\\' && at + 1 < size && source[at + 1] == '\n')
            at++;
        at++;
    }
    return at;
}

/* A token of the source: [start, end), or the single byte at start. */
typedef struct token {
    size_t start, end;
    bool directive; /* a whole preprocessor line */
} token;

typedef struct scanner {
    const char *source;
    size_t size, at;
    bool line_start; /* only blanks and comments since the last newline */
} scanner;

/* The next token, skipping blanks and comments; false at the end. */
static bool next_token(scanner *s, token *out)
{
    const char *source = s->source;
    while (s->at < s->size) {
        size_t end = cs_source_skip_comment(source, s->size, s->at);
        if (end != s->at) {
            for (size_t i = s->at; i < end; i++)
                if (source[i] == '\n')
                    s->line_start = true;
            s->at = end;
            continue;
        }
        char c = source[s->at];
        if (isspace((unsigned char)c)) {
            if (c == '\n')
                s->line_start = true;
            s->at++;
            continue;
        }
        out->start = s->at;
        out->directive = false;
        if (c == '#' && s->line_start) {
            end = skip_directive(source, s->size, s->at);
            out->directive = true;
        } else if (cs_source_identifier_start(c)) {
            end = s->at + 1;
            while (end < s->size && cs_source_identifier_char(source[end]))
                end++;
        } else if (isdigit((unsigned char)c)) {
            end = s->at + 1;
            while (end < s->size && (cs_source_identifier_char(source[end]) ||
                                     source[end] == '.'))
                end++;
        } else {
            end = s->at + 1;
        }
        s->line_start = false;
        s->at = end;
        out->end = end;
        return true;
    }
    return false;
}

static bool token_is(const scanner *s, const token *t, const char *word)
{
    size_t length = strlen(word);
    return t->end - t->start == length &&
           memcmp(s->source + t->start, word, length) == 0;
}

static bool token_starts_with(const scanner *s, const token *t,
                              const char *prefix)
{
    size_t length = strlen(prefix);
    return t->end - t->start >= length &&
           memcmp(s->source + t->start, prefix, length) == 0;
}

bool cs_glsl_has_version_directive(const char *source, size_t size)
{
    scanner s = {source, size, 0, true};
    token t;
    while (next_token(&s, &t)) {
        if (!t.directive)
            continue;
        size_t at = t.start + 1;
        while (at < t.end && (source[at] == ' ' || source[at] == '\t'))
            at++;
        if (t.end - at >= 7 && memcmp(source + at, "version", 7) == 0 &&
            (at + 7 == t.end || !cs_source_identifier_char(source[at + 7])))
            return true;
    }
    return false;
}

/* Qualifiers that may stand between `uniform` and the type. */
static const char *const qualifiers[] = {
    "highp",    "mediump",   "lowp",     "precise",  "invariant", "const",
    "readonly", "writeonly", "coherent", "volatile", "restrict",  NULL,
};

/* Types that are legal outside a block in Vulkan GLSL: samplers, textures,
 * images and the like. Everything else is a value naga puts in a uniform
 * buffer. */
static const char *const opaque_prefixes[] = {
    "sampler",       "isampler",
    "usampler",      "texture",
    "itexture",      "utexture",
    "image",         "iimage",
    "uimage",        "subpassInput",
    "isubpassInput", "usubpassInput",
    "atomic_uint",   "accelerationStructure",
    "rayQuery",      NULL,
};

static bool is_qualifier(const scanner *s, const token *t)
{
    for (size_t i = 0; qualifiers[i]; i++)
        if (token_is(s, t, qualifiers[i]))
            return true;
    return false;
}

static bool is_opaque_type(const scanner *s, const token *t)
{
    for (size_t i = 0; opaque_prefixes[i]; i++)
        if (token_starts_with(s, t, opaque_prefixes[i]))
            return true;
    return false;
}

/* What follows a `uniform` keyword at global scope. */
typedef enum declaration_kind {
    DECLARATION_OTHER,         /* a block, an opaque type, ... */
    DECLARATION_LOOSE_UNIFORM, /* a plain type outside a block */
    DECLARATION_FLOAT_IMAGE,   /* image*, whose texel type the format sets */
} declaration_kind;

/* Where a loose uniform declaration begins (just past `uniform`) and ends
 * (just past its `;`), or where an image type name starts. */
typedef struct declaration {
    size_t after_keyword, after_semicolon, type_start;
} declaration;

/* Reads the declaration after the `uniform` token `keyword`, filling *out
 * for the kinds this file rewrites. Leaves the scanner past the declaration
 * (or past the token that showed it is something else). */
static declaration_kind read_declaration(scanner *s, const token *keyword,
                                         declaration *out)
{
    token t;
    bool typed = false;
    while (next_token(s, &t)) {
        if (t.directive)
            return DECLARATION_OTHER;
        if (!typed) {
            if (is_qualifier(s, &t))
                continue;
            if (token_starts_with(s, &t, "image")) {
                out->type_start = t.start;
                return DECLARATION_FLOAT_IMAGE;
            }
            if (!cs_source_identifier_start(s->source[t.start]) ||
                is_opaque_type(s, &t))
                return DECLARATION_OTHER;
            typed = true;
            continue;
        }
        char c = s->source[t.start];
        if (c == '{') {
            s->at = t.start; /* a block: let the caller count the brace */
            return DECLARATION_OTHER;
        }
        if (c == ';') {
            out->after_keyword = keyword->end;
            out->after_semicolon = t.end;
            return DECLARATION_LOOSE_UNIFORM;
        }
    }
    return DECLARATION_OTHER;
}

/* The prefix ('u', 'i') that a layout qualifier's integer image format
 * (r32ui, rgba8i, ...) gives the image type, or 0; the scanner is just past
 * `layout` and is left past the closing parenthesis. */
static char read_layout_format(scanner *s)
{
    token t;
    char prefix = 0;
    int depth = 0;
    while (next_token(s, &t) && !t.directive) {
        char c = s->source[t.start];
        if (c == '(')
            depth++;
        else if (c == ')' && --depth <= 0)
            break;
        else if (c == 'r' && t.end - t.start >= 3) {
            const char *name = s->source + t.start;
            size_t length = t.end - t.start;
            bool format = true;
            for (size_t i = 0; i < length && format; i++)
                format = strchr("rgba0123456789_ui", name[i]) != NULL;
            if (format && name[length - 1] == 'i')
                prefix = name[length - 2] == 'u' ? 'u' : 'i';
        }
    }
    return prefix;
}

typedef struct text {
    char *bytes;
    size_t size, capacity;
} text;

static bool append(text *out, const char *bytes, size_t size)
{
    if (out->size + size + 1 > out->capacity) {
        size_t capacity = (out->size + size + 1) * 2;
        char *grown = realloc(out->bytes, capacity);
        if (grown == NULL)
            return false;
        out->bytes = grown;
        out->capacity = capacity;
    }
    memcpy(out->bytes + out->size, bytes, size);
    out->size += size;
    out->bytes[out->size] = '\0';
    return true;
}

cs_status cs_glsl_wrap_loose_uniforms(const char *source, size_t size,
                                      char **out_source, size_t *out_size)
{
    text out = {NULL, 0, 0};
    scanner s = {source, size, 0, true};
    size_t copied = 0; /* source bytes already in out */
    unsigned depth = 0, wrapped = 0;
    char image_prefix = 0; /* of the last layout(...) at global scope */
    bool ok = append(&out, "", 0);
    token t;
    while (ok && next_token(&s, &t)) {
        char c = source[t.start];
        if (t.directive)
            continue;
        if (c == '{')
            depth++;
        else if (c == '}' && depth > 0)
            depth--;
        if (c == ';' || c == '{' || c == '}')
            image_prefix = 0;
        else if (depth == 0 && token_is(&s, &t, "layout"))
            image_prefix = read_layout_format(&s);
        else if (depth == 0 && token_is(&s, &t, "uniform")) {
            declaration loose;
            declaration_kind kind = read_declaration(&s, &t, &loose);
            if (kind == DECLARATION_FLOAT_IMAGE && image_prefix) {
                ok = append(&out, source + copied, loose.type_start - copied) &&
                     append(&out, &image_prefix, 1);
                copied = loose.type_start;
                continue;
            }
            if (kind != DECLARATION_LOOSE_UNIFORM)
                continue;
            char opening[64];
            int length = snprintf(opening, sizeof opening,
                                  " compushady_uniform_%u {", wrapped++);
            ok = append(&out, source + copied, loose.after_keyword - copied) &&
                 append(&out, opening, (size_t)length) &&
                 append(&out, source + loose.after_keyword,
                        loose.after_semicolon - loose.after_keyword) &&
                 append(&out, " };", 3);
            copied = loose.after_semicolon;
        }
    }
    ok = ok && append(&out, source + copied, size - copied);
    if (!ok) {
        free(out.bytes);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate %zu bytes for the GLSL source",
                       size * 2);
    }
    *out_source = out.bytes;
    *out_size = out.size;
    return CS_OK;
}

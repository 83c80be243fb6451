/* source_text.c - what the source rewrites (hlsl_compat.c,
 * hlsl_workarounds.c, glsl_compat.c) share: identifier characters,
 * comments, and a growing output text. */
#include "shader_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool cs_source_identifier_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

bool cs_source_identifier_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

size_t cs_source_skip_comment(const char *source, size_t size, size_t at)
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

void cs_text_append(cs_text *text, const char *bytes, size_t size)
{
    if (text->failed)
        return;
    if (text->size + size + 1 > text->capacity) {
        size_t capacity = (text->size + size + 1) * 2;
        char *grown = realloc(text->bytes, capacity);
        if (grown == NULL) {
            text->failed = true;
            return;
        }
        text->bytes = grown;
        text->capacity = capacity;
    }
    memcpy(text->bytes + text->size, bytes, size);
    text->size += size;
    text->bytes[text->size] = '\0';
}

/* wgsl.c - the front end's driver: the arena, diagnostics with the source
 * line and a caret, and cs_wgsl_to_glsl. */
#include "wgsl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wgsl_block {
    wgsl_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

_Noreturn void wgsl_out_of_memory(wgsl_ctx *ctx)
{
    ctx->out_of_memory = true;
    free(ctx->message);
    ctx->message = NULL;
    longjmp(ctx->fail, 1);
}

void *wgsl_alloc(wgsl_ctx *ctx, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    wgsl_block *block = ctx->blocks;
    if (block == NULL || block->size - block->used < size) {
        size_t capacity = size > 60000 ? size : 60000;
        if (ctx->arena_used + capacity > WGSL_MAX_ARENA)
            wgsl_error(ctx, 1, 1,
                       "the shader needs more than %d MiB of compiler memory",
                       WGSL_MAX_ARENA >> 20);
        block = malloc(sizeof *block + capacity);
        if (block == NULL)
            wgsl_out_of_memory(ctx);
        block->size = capacity;
        block->used = 0;
        block->next = ctx->blocks;
        ctx->blocks = block;
        ctx->arena_used += capacity;
    }
    void *memory = block->data + block->used;
    block->used += size;
    memset(memory, 0, size);
    return memory;
}

char *wgsl_strndup(wgsl_ctx *ctx, const char *text, size_t length)
{
    char *copy = wgsl_alloc(ctx, length + 1);
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

void wgsl_arena_free(wgsl_ctx *ctx)
{
    wgsl_block *block = ctx->blocks;
    while (block) {
        wgsl_block *next = block->next;
        free(block);
        block = next;
    }
    ctx->blocks = NULL;
}

_Noreturn void wgsl_error(wgsl_ctx *ctx, int line, int column,
                          const char *format, ...)
{
    char text[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    /* the source line, tabs kept so that the caret lines up */
    const char *start = ctx->source, *end = ctx->source + ctx->size;
    for (int l = 1; l < line && start < end; start++)
        if (*start == '\n')
            l++;
    const char *stop = start;
    while (stop < end && *stop != '\n' && *stop != '\r')
        stop++;
    int length = (int)(stop - start);
    if (length > 200)
        length = 200;
    char caret[220];
    int at = 0;
    for (int i = 0; i < column - 1 && i < length && at < 210; i++)
        caret[at++] = start[i] == '\t' ? '\t' : ' ';
    caret[at++] = '^';
    caret[at] = '\0';
    size_t size = strlen(ctx->file_name) + strlen(text) + (size_t)length +
                  strlen(caret) + 64;
    char *message = malloc(size);
    if (message) {
        char line_text[210];
        memcpy(line_text, start, (size_t)length);
        line_text[length] = '\0';
        for (int i = 0; i < length; i++)
            if ((unsigned char)line_text[i] < 0x20 && line_text[i] != '\t')
                line_text[i] = ' ';
        snprintf(message, size, "%s:%d:%d: error: %s\n  %s\n  %s",
                 ctx->file_name, line, column, text, line_text, caret);
    }
    free(ctx->message);
    ctx->message = message;
    if (!message)
        ctx->out_of_memory = true;
    longjmp(ctx->fail, 1);
}

bool cs_wgsl_to_glsl(const char *source, size_t size,
                     const wgsl_options *options, char **out_glsl,
                     size_t *out_glsl_size, char **out_error,
                     bool *out_of_memory)
{
    const char *entry_point = options->entry_point;
    const char *file_name = options->file_name;
    wgsl_ctx *ctx = calloc(1, sizeof *ctx);
    *out_glsl = NULL;
    *out_error = NULL;
    *out_of_memory = false;
    if (ctx == NULL) {
        *out_of_memory = true;
        return false;
    }
    ctx->source = source;
    ctx->size = size;
    ctx->file_name = file_name;
    ctx->constants = options->constants;
    ctx->constant_count = options->constant_count;
    char *glsl = NULL;
    size_t glsl_size = 0;
    if (setjmp(ctx->fail) == 0) {
        if (size > WGSL_MAX_SOURCE)
            wgsl_error(ctx, 1, 1,
                       "the source is %zu bytes, more than this compiler's "
                       "limit of %d",
                       size, WGSL_MAX_SOURCE);
        for (size_t i = 0; i < size; i++)
            if (source[i] == '\0') {
                int line = 1, column = 1;
                for (size_t j = 0; j < i; j++) {
                    if (source[j] == '\n') {
                        line++;
                        column = 1;
                    } else {
                        column++;
                    }
                }
                wgsl_error(ctx, line, column,
                           "the source contains a NUL character");
            }
        wgsl_tokens tokens;
        wgsl_lex(ctx, &tokens);
        wgsl_program *program = wgsl_parse(ctx, &tokens);
        ctx->program = program;
        wgsl_decl *entry = wgsl_check(ctx, program, entry_point);
        wgsl_emit_glsl(ctx, program, entry, &glsl, &glsl_size);
        wgsl_arena_free(ctx);
        free(ctx);
        *out_glsl = glsl;
        *out_glsl_size = glsl_size;
        return true;
    }
    wgsl_arena_free(ctx);
    *out_error = ctx->message;
    *out_of_memory = ctx->out_of_memory;
    free(ctx);
    return false;
}

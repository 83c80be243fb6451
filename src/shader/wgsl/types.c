/* types.c - interned WGSL types, their names, and WGSL's memory layout
 * (AlignOf/SizeOf, array strides, struct member offsets with @align and
 * @size), which the lowering reproduces in GLSL with std430 blocks and
 * padding members. */
#include "wgsl_internal.h"

#include <stdio.h>
#include <string.h>

const wgsl_format wgsl_formats[] = {
    {"rgba8unorm", "rgba8", WT_F32},    {"rgba8snorm", "rgba8_snorm", WT_F32},
    {"rgba8uint", "rgba8ui", WT_U32},   {"rgba8sint", "rgba8i", WT_I32},
    {"rgba16uint", "rgba16ui", WT_U32}, {"rgba16sint", "rgba16i", WT_I32},
    {"rgba16float", "rgba16f", WT_F32}, {"r32uint", "r32ui", WT_U32},
    {"r32sint", "r32i", WT_I32},        {"r32float", "r32f", WT_F32},
    {"rg32uint", "rg32ui", WT_U32},     {"rg32sint", "rg32i", WT_I32},
    {"rg32float", "rg32f", WT_F32},     {"rgba32uint", "rgba32ui", WT_U32},
    {"rgba32sint", "rgba32i", WT_I32},  {"rgba32float", "rgba32f", WT_F32},
    {"bgra8unorm", NULL, WT_F32},
};
const int wgsl_format_count = sizeof wgsl_formats / sizeof wgsl_formats[0];

enum { TYPE_BUCKETS = 1024 };

static bool same(const wgsl_type *a, const wgsl_type *b)
{
    return a->kind == b->kind && a->n == b->n && a->rows == b->rows &&
           a->elem == b->elem && a->count == b->count && a->st == b->st &&
           a->space == b->space && a->access == b->access && a->dim == b->dim &&
           a->multisampled == b->multisampled && a->depth == b->depth &&
           a->format == b->format;
}

static size_t hash(const wgsl_type *t)
{
    size_t h = (size_t)t->kind * 31u + (size_t)t->n * 7u +
               (size_t)t->rows * 13u + ((size_t)(uintptr_t)t->elem >> 4) +
               (size_t)t->count * 17u + ((size_t)(uintptr_t)t->st >> 4) +
               (size_t)t->space * 5u + (size_t)t->access * 11u +
               (size_t)t->dim * 19u + (size_t)t->format * 23u;
    return h % TYPE_BUCKETS;
}

static const wgsl_type **buckets(wgsl_ctx *ctx)
{
    if (ctx->type_table == NULL)
        ctx->type_table = wgsl_alloc(ctx, TYPE_BUCKETS * sizeof(wgsl_type *));
    return (const wgsl_type **)ctx->type_table;
}

const wgsl_type *wgsl_type_get(wgsl_ctx *ctx, wgsl_type key)
{
    key.next = NULL;
    const wgsl_type **table = buckets(ctx);
    size_t h = hash(&key);
    for (const wgsl_type *t = table[h]; t; t = t->next)
        if (same(t, &key))
            return t;
    wgsl_type *t = wgsl_alloc(ctx, sizeof *t);
    *t = key;
    t->next = table[h];
    table[h] = t;
    return t;
}

const wgsl_type *wgsl_scalar(wgsl_ctx *ctx, wgsl_kind kind)
{
    return wgsl_type_get(ctx, (wgsl_type){.kind = kind});
}
const wgsl_type *wgsl_vec(wgsl_ctx *ctx, int n, const wgsl_type *elem)
{
    return wgsl_type_get(ctx,
                         (wgsl_type){.kind = WT_VEC, .n = n, .elem = elem});
}
const wgsl_type *wgsl_mat(wgsl_ctx *ctx, int columns, int rows,
                          const wgsl_type *elem)
{
    return wgsl_type_get(
        ctx,
        (wgsl_type){.kind = WT_MAT, .n = columns, .rows = rows, .elem = elem});
}
const wgsl_type *wgsl_array(wgsl_ctx *ctx, const wgsl_type *elem, int64_t count)
{
    return wgsl_type_get(
        ctx, (wgsl_type){.kind = WT_ARRAY, .elem = elem, .count = count});
}
const wgsl_type *wgsl_ptr(wgsl_ctx *ctx, wgsl_space space,
                          const wgsl_type *elem, wgsl_access access)
{
    return wgsl_type_get(ctx, (wgsl_type){.kind = WT_PTR,
                                          .space = space,
                                          .elem = elem,
                                          .access = access});
}

bool wgsl_is_scalar(const wgsl_type *t)
{
    return t->kind >= WT_BOOL && t->kind <= WT_F16;
}
bool wgsl_is_numeric_scalar(const wgsl_type *t)
{
    return t->kind >= WT_AINT && t->kind <= WT_F16;
}
bool wgsl_is_integer_scalar(const wgsl_type *t)
{
    return t->kind == WT_AINT || t->kind == WT_I32 || t->kind == WT_U32;
}
bool wgsl_is_float_scalar(const wgsl_type *t)
{
    return t->kind == WT_AFLOAT || t->kind == WT_F32 || t->kind == WT_F16;
}
bool wgsl_is_abstract(const wgsl_type *t)
{
    if (t->kind == WT_AINT || t->kind == WT_AFLOAT)
        return true;
    if (t->kind == WT_VEC || t->kind == WT_MAT || t->kind == WT_ARRAY)
        return wgsl_is_abstract(t->elem);
    return false;
}
const wgsl_type *wgsl_scalar_of(const wgsl_type *t)
{
    while (t->kind == WT_VEC || t->kind == WT_MAT || t->kind == WT_ARRAY ||
           t->kind == WT_ATOMIC)
        t = t->elem;
    return t;
}
bool wgsl_is_constructible(const wgsl_type *t)
{
    switch (t->kind) {
    case WT_BOOL:
    case WT_AINT:
    case WT_AFLOAT:
    case WT_I32:
    case WT_U32:
    case WT_F32:
    case WT_F16:
    case WT_VEC:
    case WT_MAT: return true;
    case WT_ARRAY: return t->count > 0 && wgsl_is_constructible(t->elem);
    case WT_STRUCT:
        for (int i = 0; i < t->st->member_count; i++)
            if (!wgsl_is_constructible(t->st->members[i].type))
                return false;
        return true;
    default: return false;
    }
}
bool wgsl_is_host_shareable(const wgsl_type *t)
{
    switch (t->kind) {
    case WT_I32:
    case WT_U32:
    case WT_F32:
    case WT_F16: return true;
    case WT_VEC:
    case WT_MAT:
    case WT_ATOMIC: return wgsl_is_host_shareable(t->elem);
    case WT_ARRAY: return wgsl_is_host_shareable(t->elem);
    case WT_STRUCT:
        for (int i = 0; i < t->st->member_count; i++)
            if (!wgsl_is_host_shareable(t->st->members[i].type))
                return false;
        return true;
    default: return false;
    }
}

static void append(char *out, size_t capacity, const char *text)
{
    size_t length = strlen(out);
    snprintf(out + length, capacity - length, "%s", text);
}

static void name_into(const wgsl_type *t, char *out, size_t capacity)
{
    static const char *const dims[] = {"",   "1d",   "2d",        "2d_array",
                                       "3d", "cube", "cube_array"};
    char buffer[64];
    switch (t->kind) {
    case WT_VOID: append(out, capacity, "void"); return;
    case WT_BOOL: append(out, capacity, "bool"); return;
    case WT_AINT: append(out, capacity, "abstract-int"); return;
    case WT_AFLOAT: append(out, capacity, "abstract-float"); return;
    case WT_I32: append(out, capacity, "i32"); return;
    case WT_U32: append(out, capacity, "u32"); return;
    case WT_F32: append(out, capacity, "f32"); return;
    case WT_F16: append(out, capacity, "f16"); return;
    case WT_VEC:
        snprintf(buffer, sizeof buffer, "vec%d<", t->n);
        append(out, capacity, buffer);
        name_into(t->elem, out, capacity);
        append(out, capacity, ">");
        return;
    case WT_MAT:
        snprintf(buffer, sizeof buffer, "mat%dx%d<", t->n, t->rows);
        append(out, capacity, buffer);
        name_into(t->elem, out, capacity);
        append(out, capacity, ">");
        return;
    case WT_ARRAY:
        append(out, capacity, "array<");
        name_into(t->elem, out, capacity);
        if (t->count > 0) {
            snprintf(buffer, sizeof buffer, ", %lld", (long long)t->count);
            append(out, capacity, buffer);
        }
        append(out, capacity, ">");
        return;
    case WT_STRUCT: append(out, capacity, t->st->name); return;
    case WT_ATOMIC:
        append(out, capacity, "atomic<");
        name_into(t->elem, out, capacity);
        append(out, capacity, ">");
        return;
    case WT_PTR: {
        static const char *const spaces[] = {"",          "function", "private",
                                             "workgroup", "uniform",  "storage",
                                             "handle"};
        append(out, capacity, "ptr<");
        append(out, capacity, spaces[t->space]);
        append(out, capacity, ", ");
        name_into(t->elem, out, capacity);
        if (t->space == SPACE_STORAGE)
            append(out, capacity,
                   t->access == ACCESS_READ_WRITE ? ", read_write" : ", read");
        append(out, capacity, ">");
        return;
    }
    case WT_SAMPLER: append(out, capacity, "sampler"); return;
    case WT_SAMPLER_COMPARISON:
        append(out, capacity, "sampler_comparison");
        return;
    case WT_TEXTURE:
        if (t->depth) {
            append(out, capacity, "texture_depth_");
            append(out, capacity, dims[t->dim]);
            return;
        }
        append(out, capacity,
               t->multisampled ? "texture_multisampled_" : "texture_");
        append(out, capacity, dims[t->dim]);
        append(out, capacity, "<");
        name_into(t->elem, out, capacity);
        append(out, capacity, ">");
        return;
    case WT_STORAGE_TEXTURE: {
        static const char *const accesses[] = {"", "read", "write",
                                               "read_write"};
        append(out, capacity, "texture_storage_");
        append(out, capacity, dims[t->dim]);
        append(out, capacity, "<");
        append(out, capacity, wgsl_formats[t->format].wgsl);
        append(out, capacity, ", ");
        append(out, capacity, accesses[t->access]);
        append(out, capacity, ">");
        return;
    }
    }
}

const char *wgsl_type_name(wgsl_ctx *ctx, const wgsl_type *type)
{
    char buffer[256] = "";
    name_into(type, buffer, sizeof buffer);
    return wgsl_strndup(ctx, buffer, strlen(buffer));
}

/* >>layout (WGSL "Alignment and Size") ------------------------------------ */

static uint64_t round_up(uint64_t k, uint64_t n)
{
    return (n + k - 1) / k * k;
}

uint32_t wgsl_align_of(wgsl_ctx *ctx, const wgsl_type *t)
{
    switch (t->kind) {
    case WT_I32:
    case WT_U32:
    case WT_F32:
    case WT_BOOL: return 4;
    case WT_F16: return 2;
    case WT_ATOMIC: return 4;
    case WT_VEC: {
        uint32_t e = wgsl_align_of(ctx, t->elem);
        return e * (t->n == 2 ? 2 : 4);
    }
    case WT_MAT: return wgsl_align_of(ctx, wgsl_vec(ctx, t->rows, t->elem));
    case WT_ARRAY: return wgsl_align_of(ctx, t->elem);
    case WT_STRUCT: wgsl_layout_struct(ctx, t->st); return t->st->align;
    default: return 4;
    }
}

uint64_t wgsl_size_of(wgsl_ctx *ctx, const wgsl_type *t)
{
    switch (t->kind) {
    case WT_I32:
    case WT_U32:
    case WT_F32:
    case WT_BOOL:
    case WT_ATOMIC: return 4;
    case WT_F16: return 2;
    case WT_VEC: return wgsl_size_of(ctx, t->elem) * (uint64_t)t->n;
    case WT_MAT:
        return (uint64_t)t->n *
               round_up(wgsl_align_of(ctx, wgsl_vec(ctx, t->rows, t->elem)),
                        wgsl_size_of(ctx, wgsl_vec(ctx, t->rows, t->elem)));
    case WT_ARRAY:
        return (uint64_t)(t->count > 0 ? t->count : 1) *
               wgsl_array_stride(ctx, t);
    case WT_STRUCT: wgsl_layout_struct(ctx, t->st); return t->st->size;
    default: return 4;
    }
}

uint64_t wgsl_array_stride(wgsl_ctx *ctx, const wgsl_type *array)
{
    return round_up(wgsl_align_of(ctx, array->elem),
                    wgsl_size_of(ctx, array->elem));
}

void wgsl_layout_struct(wgsl_ctx *ctx, wgsl_struct *st)
{
    if (st->laid_out)
        return;
    uint64_t offset = 0;
    uint32_t align = 1;
    for (int i = 0; i < st->member_count; i++) {
        wgsl_member *m = &st->members[i];
        uint32_t a = m->align_attr ? (uint32_t)m->align_attr
                                   : wgsl_align_of(ctx, m->type);
        uint64_t size =
            m->size_attr ? (uint64_t)m->size_attr : wgsl_size_of(ctx, m->type);
        offset = round_up(a, offset);
        if (offset > UINT32_MAX / 2)
            wgsl_error(ctx, m->line, m->column,
                       "struct '%s' is larger than 2 GiB", st->name);
        m->offset = (uint32_t)offset;
        offset += size;
        if (a > align)
            align = a;
    }
    uint64_t size = round_up(align, offset);
    if (size > UINT32_MAX / 2)
        wgsl_error(ctx, st->line, st->column,
                   "struct '%s' is larger than 2 GiB", st->name);
    st->size = (uint32_t)size;
    st->align = align;
    st->laid_out = true;
}

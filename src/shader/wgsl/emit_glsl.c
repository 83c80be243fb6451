/* emit_glsl.c - lowers the checked program to GLSL 450 for glslang.
 *
 * Names: every WGSL name gets a 'w' prefix and each '_' becomes "_0", so no
 * name can be a GLSL keyword, builtin or reserved ("gl_", "__"); locals get
 * a "_<n>" suffix so that shadowing never clashes in GLSL.
 * Layouts: buffers are std430 blocks (uniform ones too, through
 * GL_EXT_scalar_block_layout); WGSL's layout equals std430's except where
 * @align/@size move a member or grow a struct, and there padding members
 * put every member at its WGSL offset.
 * Semantics GLSL lacks come as helper functions (_w*): integer division
 * and remainder by zero, float remainder, float-to-int saturation, bit
 * counting and field extraction with WGSL's clamping, the 8-bit packings.
 */
#include "wgsl_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sbuf {
    wgsl_ctx *ctx;
    char *data;
    size_t length, capacity;
} sbuf;

static void put(sbuf *b, const char *text, size_t length)
{
    if (b->length + length + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity * 2 : 4096;
        while (capacity < b->length + length + 1)
            capacity *= 2;
        if (capacity > WGSL_MAX_OUTPUT)
            wgsl_error(b->ctx, 1, 1,
                       "the shader is too large for this compiler (more "
                       "than %d MiB of generated code)",
                       WGSL_MAX_OUTPUT >> 20);
        char *data = wgsl_alloc(b->ctx, capacity);
        if (b->length)
            memcpy(data, b->data, b->length);
        b->data = data;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, text, length);
    b->length += length;
    b->data[b->length] = '\0';
}

static void puts_(sbuf *b, const char *text)
{
    put(b, text, strlen(text));
}

CS_PRINTF_FORMAT(2, 3) static void putf(sbuf *b, const char *format, ...)
{
    char text[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(text, sizeof text, format, args);
    va_end(args);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof text) {
        char *big = wgsl_alloc(b->ctx, (size_t)n + 1);
        va_start(args, format);
        vsnprintf(big, (size_t)n + 1, format, args);
        va_end(args);
        put(b, big, (size_t)n);
        return;
    }
    put(b, text, (size_t)n);
}

typedef struct loop_ctx {
    wgsl_stmt *loop; /* ST_LOOP with a continuing block, or NULL */
    int flag;        /* the break-if flag's number */
    struct loop_ctx *parent;
} loop_ctx;

typedef struct emitter {
    wgsl_ctx *ctx;
    wgsl_program *program;
    sbuf structs, zeros, globals, fns;
    int indent;
    int temp;
    int zero_serial;
    loop_ctx *loop;
} emitter;

/* >>names ------------------------------------------------------------------ */

static void put_name(sbuf *b, const char *name)
{
    puts_(b, "w");
    for (const char *p = name; *p; p++) {
        if (*p == '_')
            puts_(b, "_0");
        else
            put(b, p, 1);
    }
}

static void put_sym(sbuf *b, wgsl_sym *sym)
{
    put_name(b, sym->name);
    if (sym->unique)
        putf(b, "_%d", sym->unique);
}

/* >>types -------------------------------------------------------------------
 */

static void put_struct_name(sbuf *b, wgsl_struct *st)
{
    if (st->builtin_result) {
        putf(b, "_W%s", st->name);
        return;
    }
    puts_(b, "S");
    put_name(b, st->name);
}

static void put_type_base(emitter *m, sbuf *b, const wgsl_type *t);

/* GLSL name of a type: arrays as base[N][M] (outermost first). */
static void put_type(emitter *m, sbuf *b, const wgsl_type *t)
{
    const wgsl_type *base = t;
    while (base->kind == WT_ARRAY)
        base = base->elem;
    put_type_base(m, b, base);
    for (const wgsl_type *a = t; a->kind == WT_ARRAY; a = a->elem) {
        if (a->count)
            putf(b, "[%lld]", (long long)a->count);
        else
            puts_(b, "[]");
    }
}

static const char *scalar_glsl(wgsl_kind k)
{
    switch (k) {
    case WT_BOOL: return "bool";
    case WT_I32:
    case WT_AINT: return "int";
    case WT_U32: return "uint";
    case WT_F32:
    case WT_AFLOAT: return "float";
    case WT_F16: return "float16_t";
    default: return "void";
    }
}

static const char *vec_prefix(wgsl_kind k)
{
    switch (k) {
    case WT_BOOL: return "bvec";
    case WT_I32:
    case WT_AINT: return "ivec";
    case WT_U32: return "uvec";
    case WT_F16: return "f16vec";
    default: return "vec";
    }
}

static void emit_struct(emitter *m, wgsl_struct *st);

static void put_type_base(emitter *m, sbuf *b, const wgsl_type *t)
{
    switch (t->kind) {
    case WT_VOID: puts_(b, "void"); return;
    case WT_VEC: putf(b, "%s%d", vec_prefix(t->elem->kind), t->n); return;
    case WT_MAT:
        putf(b, "%smat%dx%d", t->elem->kind == WT_F16 ? "f16" : "", t->n,
             t->rows);
        return;
    case WT_STRUCT:
        emit_struct(m, t->st);
        put_struct_name(b, t->st);
        return;
    case WT_ATOMIC: puts_(b, scalar_glsl(t->elem->kind)); return;
    case WT_SAMPLER: puts_(b, "sampler"); return;
    case WT_SAMPLER_COMPARISON: puts_(b, "samplerShadow"); return;
    case WT_TEXTURE:
    case WT_STORAGE_TEXTURE: {
        static const char *const dims[] = {"",   "1D",   "2D",       "2DArray",
                                           "3D", "Cube", "CubeArray"};
        wgsl_kind channel = t->kind == WT_TEXTURE
                                ? t->elem->kind
                                : wgsl_formats[t->format].channel;
        const char *prefix = channel == WT_I32   ? "i"
                             : channel == WT_U32 ? "u"
                                                 : "";
        if (t->kind == WT_TEXTURE)
            putf(b, "%stexture%s%s", prefix, dims[t->dim],
                 t->multisampled ? "MS" : "");
        else
            putf(b, "%simage%s", prefix, dims[t->dim]);
        return;
    }
    default: puts_(b, scalar_glsl(t->kind)); return;
    }
}

/* >>values ------------------------------------------------------------------
 */

static void put_float(sbuf *b, double x, wgsl_kind kind)
{
    char text[64];
    if (kind == WT_F16) {
        snprintf(text, sizeof text, "float16_t(%.9g)", x);
        puts_(b, text);
        return;
    }
    snprintf(text, sizeof text, "%.9g", x);
    if (!strpbrk(text, ".eEn"))
        strcat(text, ".0");
    puts_(b, text);
}

static void put_scalar(sbuf *b, const wgsl_value *v, int k, wgsl_kind kind)
{
    switch (kind) {
    case WT_BOOL: puts_(b, v->i[k] ? "true" : "false"); return;
    case WT_I32:
    case WT_AINT:
        if (v->i[k] == INT32_MIN)
            puts_(b, "(-2147483647 - 1)");
        else
            putf(b, "%lld", (long long)v->i[k]);
        return;
    case WT_U32:
        putf(b, "%lluu", (unsigned long long)(uint32_t)v->i[k]);
        return;
    default: put_float(b, v->f[k], kind); return;
    }
}

static void put_value(emitter *m, sbuf *b, const wgsl_value *v)
{
    const wgsl_type *t = v->type;
    if (wgsl_is_scalar(t)) {
        if (t->kind == WT_AINT || t->kind == WT_AFLOAT) {
            /* an abstract value where no type was asked: i32 / f32 */
            put_scalar(b, v, 0, t->kind == WT_AINT ? WT_I32 : WT_F32);
            return;
        }
        put_scalar(b, v, 0, t->kind);
        return;
    }
    if (t->kind == WT_VEC || t->kind == WT_MAT) {
        put_type(m, b, t);
        puts_(b, "(");
        wgsl_kind kind = t->elem->kind;
        for (int k = 0; k < v->count; k++) {
            if (k)
                puts_(b, ", ");
            put_scalar(b, v, k, kind);
        }
        puts_(b, ")");
        return;
    }
    if (t->kind == WT_ARRAY) {
        put_type(m, b, t);
        puts_(b, "(");
        for (int k = 0; k < v->count; k++) {
            if (k)
                puts_(b, ", ");
            put_value(m, b, v->elems[k]);
        }
        puts_(b, ")");
        return;
    }
    if (t->kind == WT_STRUCT) {
        put_struct_name(b, t->st);
        puts_(b, "(");
        wgsl_struct *st = t->st;
        for (int k = 0; k < v->count; k++) {
            if (k)
                puts_(b, ", ");
            put_value(m, b, v->elems[k]);
        }
        (void)st;
        puts_(b, ")");
        return;
    }
}

static void emit_struct(emitter *m, wgsl_struct *st);

/* A zero value of t as an expression. */
static void put_zero(emitter *m, sbuf *b, const wgsl_type *t)
{
    switch (t->kind) {
    case WT_BOOL: puts_(b, "false"); return;
    case WT_I32:
    case WT_ATOMIC:
        if (t->kind == WT_ATOMIC && t->elem->kind == WT_U32)
            puts_(b, "0u");
        else
            puts_(b, "0");
        return;
    case WT_U32: puts_(b, "0u"); return;
    case WT_F32: puts_(b, "0.0"); return;
    case WT_F16: puts_(b, "float16_t(0.0)"); return;
    case WT_VEC:
    case WT_MAT:
        put_type(m, b, t);
        puts_(b, "(");
        put_zero(m, b, t->elem);
        puts_(b, ")");
        return;
    default: break;
    }
    /* arrays and structs: a generated function (arrays may be large),
     * written aside first: it may need other zero functions itself */
    int serial = ++m->zero_serial;
    sbuf z = {m->ctx, NULL, 0, 0};
    if (t->kind == WT_STRUCT)
        emit_struct(m, t->st);
    put_type(m, &z, t);
    putf(&z, " _wzero%d() {\n    ", serial);
    put_type(m, &z, t);
    puts_(&z, " r;\n");
    if (t->kind == WT_ARRAY) {
        putf(&z,
             "    for (int i = 0; i < %lld; i++) r[i] = ", (long long)t->count);
        put_zero(m, &z, t->elem);
        puts_(&z, ";\n");
    } else {
        for (int i = 0; i < t->st->member_count; i++) {
            puts_(&z, "    r.");
            put_name(&z, t->st->members[i].name);
            puts_(&z, " = ");
            put_zero(m, &z, t->st->members[i].type);
            puts_(&z, ";\n");
        }
    }
    puts_(&z, "    return r;\n}\n");
    put(&m->zeros, z.data, z.length);
    putf(b, "_wzero%d()", serial);
}

/* >>structs -----------------------------------------------------------------
 */

static void emit_struct(emitter *m, wgsl_struct *st)
{
    if (st->emitted)
        return;
    st->emitted = true;
    for (int i = 0; i < st->member_count; i++) {
        const wgsl_type *t = st->members[i].type;
        while (t->kind == WT_ARRAY)
            t = t->elem;
        if (t->kind == WT_STRUCT)
            emit_struct(m, t->st);
    }
    sbuf *b = &m->structs;
    puts_(b, "struct ");
    put_struct_name(b, st);
    puts_(b, " {\n");
    bool shareable = !st->builtin_result &&
                     wgsl_is_host_shareable(wgsl_type_get(
                         m->ctx, (wgsl_type){.kind = WT_STRUCT, .st = st}));
    if (shareable)
        wgsl_layout_struct(m->ctx, st);
    uint64_t at = 0;
    int pad = 0;
    for (int i = 0; i < st->member_count; i++) {
        wgsl_member *mb = &st->members[i];
        if (shareable) {
            uint32_t align = wgsl_align_of(m->ctx, mb->type);
            uint64_t natural = (at + align - 1) / align * align;
            if (mb->offset > natural)
                for (; at + 4 <= mb->offset; at += 4)
                    putf(b, "    uint _pad%d;\n", pad++);
            at = mb->offset + wgsl_size_of(m->ctx, mb->type);
        }
        puts_(b, "    ");
        const wgsl_type *base = mb->type;
        while (base->kind == WT_ARRAY)
            base = base->elem;
        put_type_base(m, b, base);
        puts_(b, " ");
        put_name(b, mb->name);
        for (const wgsl_type *a = mb->type; a->kind == WT_ARRAY; a = a->elem)
            putf(b, "[%lld]", (long long)a->count);
        puts_(b, ";\n");
    }
    if (shareable)
        for (; at + 4 <= st->size; at += 4)
            putf(b, "    uint _pad%d;\n", pad++);
    puts_(b, "};\n");
}

/* >>expressions -------------------------------------------------------------
 */

static void emit_expr(emitter *m, sbuf *b, wgsl_expr *e);

/* The memory a pointer expression designates, as a GLSL lvalue. */
static void emit_pointer(emitter *m, sbuf *b, wgsl_expr *e)
{
    if (e->kind == EX_PAREN) {
        emit_pointer(m, b, e->a);
        return;
    }
    if (e->kind == EX_UNARY && e->op == TK_AMP) {
        emit_expr(m, b, e->a);
        return;
    }
    if (e->kind == EX_IDENT && e->sym && e->sym->pointer_expr) {
        emit_pointer(m, b, e->sym->pointer_expr);
        return;
    }
    emit_expr(m, b, e); /* a pointer parameter: the inout name */
}

static bool is_vec(const wgsl_type *t)
{
    return t->kind == WT_VEC;
}

static void put_splat(emitter *m, sbuf *b, const wgsl_type *want, wgsl_expr *e)
{
    if (is_vec(want) && !is_vec(e->type)) {
        put_type(m, b, want);
        puts_(b, "(");
        emit_expr(m, b, e);
        puts_(b, ")");
    } else {
        emit_expr(m, b, e);
    }
}

static void emit_binary_parts(emitter *m, sbuf *b, wgsl_tok op,
                              const wgsl_type *result, wgsl_expr *a,
                              wgsl_expr *c)
{
    const wgsl_type *ta = a->type, *tc = c->type;
    const wgsl_type *shape = is_vec(ta) ? ta : tc;
    wgsl_kind el = wgsl_scalar_of(ta)->kind;
    bool vec = is_vec(ta) || is_vec(tc);
    const char *fn = NULL;
    switch (op) {
    case TK_SLASH:
    case TK_PERCENT:
        if (el == WT_I32 || el == WT_U32)
            fn = op == TK_SLASH ? "_wdiv" : "_wrem";
        else if (op == TK_PERCENT)
            fn = "_wfrem";
        if (fn) {
            putf(b, "%s(", fn);
            put_splat(m, b, shape, a);
            puts_(b, ", ");
            put_splat(m, b, shape, c);
            puts_(b, ")");
            return;
        }
        break;
    case TK_SHL:
    case TK_SHR:
        puts_(b, "(");
        emit_expr(m, b, a);
        puts_(b, op == TK_SHL ? " << (" : " >> (");
        emit_expr(m, b, c);
        puts_(b, " & 31u))");
        return;
    case TK_EQEQ:
    case TK_NE:
    case TK_LT:
    case TK_GT:
    case TK_LE:
    case TK_GE:
        if (vec) {
            const char *name = op == TK_EQEQ ? "equal"
                               : op == TK_NE ? "notEqual"
                               : op == TK_LT ? "lessThan"
                               : op == TK_GT ? "greaterThan"
                               : op == TK_LE ? "lessThanEqual"
                                             : "greaterThanEqual";
            putf(b, "%s(", name);
            emit_expr(m, b, a);
            puts_(b, ", ");
            emit_expr(m, b, c);
            puts_(b, ")");
            return;
        }
        break;
    case TK_AMP:
    case TK_PIPE:
        if (el == WT_BOOL) {
            if (vec) {
                putf(b, "bvec%d(uvec%d(", shape->n, shape->n);
                emit_expr(m, b, a);
                putf(b, ") %s uvec%d(", op == TK_AMP ? "&" : "|", shape->n);
                emit_expr(m, b, c);
                puts_(b, "))");
            } else {
                puts_(b, "bool(uint(");
                emit_expr(m, b, a);
                puts_(b, op == TK_AMP ? ") & uint(" : ") | uint(");
                emit_expr(m, b, c);
                puts_(b, "))");
            }
            return;
        }
        break;
    default: break;
    }
    (void)result;
    puts_(b, "(");
    emit_expr(m, b, a);
    putf(b, " %s ", wgsl_token_name(op));
    emit_expr(m, b, c);
    puts_(b, ")");
}

static void emit_args(emitter *m, sbuf *b, wgsl_expr *e, int from, int to)
{
    for (int i = from; i < to; i++) {
        if (i > from)
            puts_(b, ", ");
        emit_expr(m, b, e->args[i]);
    }
}

static void put_fn1(emitter *m, sbuf *b, const char *fn, wgsl_expr *e)
{
    putf(b, "%s(", fn);
    emit_args(m, b, e, 0, e->nargs);
    puts_(b, ")");
}

/* Integer coordinates for GLSL: ivecN / int. */
static void put_coords(emitter *m, sbuf *b, wgsl_expr *coords, wgsl_expr *layer)
{
    const wgsl_type *t = coords->type;
    int n = is_vec(t) ? t->n : 1;
    if (layer) {
        putf(b, "ivec%d(", n + 1);
        emit_expr(m, b, coords);
        puts_(b, ", int(");
        emit_expr(m, b, layer);
        puts_(b, "))");
        return;
    }
    if (n == 1)
        puts_(b, "int(");
    else
        putf(b, "ivec%d(", n);
    emit_expr(m, b, coords);
    puts_(b, ")");
}

static const char *sampler_ctor(const wgsl_type *t, bool shadow)
{
    switch (t->dim) {
    case DIM_1D: return "sampler1D";
    case DIM_2D: return shadow ? "sampler2DShadow" : "sampler2D";
    case DIM_2D_ARRAY:
        return shadow ? "sampler2DArrayShadow" : "sampler2DArray";
    case DIM_3D: return "sampler3D";
    case DIM_CUBE: return shadow ? "samplerCubeShadow" : "samplerCube";
    default: return shadow ? "samplerCubeArrayShadow" : "samplerCubeArray";
    }
}

static void emit_texture_builtin(emitter *m, sbuf *b, wgsl_expr *e)
{
    const wgsl_type *t = e->args[0]->type;
    bool storage = t->kind == WT_STORAGE_TEXTURE;
    bool arrayed = t->dim == DIM_2D_ARRAY || t->dim == DIM_CUBE_ARRAY;
    switch (e->builtin) {
    case BI_TEXTURE_DIMENSIONS: {
        int dims = t->dim == DIM_1D ? 1 : t->dim == DIM_3D ? 3 : 2;
        if (dims == 1)
            puts_(b, "uint(");
        else
            putf(b, "uvec%d(", dims);
        if (storage) {
            puts_(b, "imageSize(");
            emit_expr(m, b, e->args[0]);
            puts_(b, ")");
        } else {
            puts_(b, "textureSize(");
            emit_expr(m, b, e->args[0]);
            if (!t->multisampled) {
                puts_(b, ", ");
                if (e->nargs > 1) {
                    puts_(b, "int(");
                    emit_expr(m, b, e->args[1]);
                    puts_(b, ")");
                } else {
                    puts_(b, "0");
                }
            }
            puts_(b, ")");
        }
        if (arrayed || (dims == 2 && t->dim == DIM_CUBE))
            puts_(b, ".xy");
        puts_(b, ")");
        return;
    }
    case BI_TEXTURE_NUM_LEVELS:
        puts_(b, "uint(textureQueryLevels(");
        emit_expr(m, b, e->args[0]);
        puts_(b, "))");
        return;
    case BI_TEXTURE_NUM_SAMPLES:
        puts_(b, "uint(textureSamples(");
        emit_expr(m, b, e->args[0]);
        puts_(b, "))");
        return;
    case BI_TEXTURE_NUM_LAYERS:
        puts_(b, storage ? "uint(imageSize(" : "uint(textureSize(");
        emit_expr(m, b, e->args[0]);
        puts_(b, storage ? ").z)" : ", 0).z)");
        return;
    case BI_TEXTURE_LOAD:
        if (storage) {
            puts_(b, "imageLoad(");
            emit_expr(m, b, e->args[0]);
            puts_(b, ", ");
            put_coords(m, b, e->args[1], arrayed ? e->args[2] : NULL);
            puts_(b, ")");
            return;
        }
        puts_(b, "texelFetch(");
        emit_expr(m, b, e->args[0]);
        puts_(b, ", ");
        put_coords(m, b, e->args[1], arrayed ? e->args[2] : NULL);
        puts_(b, ", int(");
        emit_expr(m, b, e->args[e->nargs - 1]);
        puts_(b, "))");
        if (t->depth)
            puts_(b, ".x");
        return;
    case BI_TEXTURE_STORE:
        puts_(b, "imageStore(");
        emit_expr(m, b, e->args[0]);
        puts_(b, ", ");
        put_coords(m, b, e->args[1], arrayed ? e->args[2] : NULL);
        puts_(b, ", ");
        emit_expr(m, b, e->args[e->nargs - 1]);
        puts_(b, ")");
        return;
    case BI_TEXTURE_SAMPLE_LEVEL:
    case BI_TEXTURE_SAMPLE_GRAD:
    case BI_TEXTURE_SAMPLE_COMPARE_LEVEL: {
        bool grad = e->builtin == BI_TEXTURE_SAMPLE_GRAD;
        bool compare = e->builtin == BI_TEXTURE_SAMPLE_COMPARE_LEVEL;
        int at = 3 + arrayed;
        int base = at + (grad ? 2 : 1);
        bool offset = e->nargs > base;
        const char *fn = grad ? (offset ? "textureGradOffset" : "textureGrad")
                              : (offset ? "textureLodOffset" : "textureLod");
        putf(b, "%s(%s(", fn, sampler_ctor(t, compare));
        emit_expr(m, b, e->args[0]);
        puts_(b, ", ");
        emit_expr(m, b, e->args[1]);
        puts_(b, "), ");
        const wgsl_type *ct = e->args[2]->type;
        int n = is_vec(ct) ? ct->n : 1;
        int extra = arrayed + (compare || (t->depth && !compare) ? 0 : 0);
        if (arrayed || compare) {
            putf(b, "vec%d(", n + extra + (compare ? 1 : 0));
            emit_expr(m, b, e->args[2]);
            if (arrayed) {
                puts_(b, ", float(");
                emit_expr(m, b, e->args[3]);
                puts_(b, ")");
            }
            if (compare) {
                puts_(b, ", ");
                emit_expr(m, b, e->args[at]);
            }
            puts_(b, ")");
        } else {
            emit_expr(m, b, e->args[2]);
        }
        if (grad) {
            puts_(b, ", ");
            emit_expr(m, b, e->args[at]);
            puts_(b, ", ");
            emit_expr(m, b, e->args[at + 1]);
        } else if (compare) {
            puts_(b, ", 0.0");
        } else {
            puts_(b, ", float(");
            emit_expr(m, b, e->args[at]);
            puts_(b, ")");
        }
        if (offset) {
            puts_(b, ", ");
            emit_expr(m, b, e->args[base]);
        }
        puts_(b, ")");
        if (t->depth && !compare)
            puts_(b, ".x");
        return;
    }
    case BI_TEXTURE_SAMPLE_BASE_CLAMP_TO_EDGE: {
        /* level 0, coordinates kept half a texel inside the edges */
        sbuf half = {m->ctx, NULL, 0, 0};
        puts_(&half, "(vec2(0.5) / vec2(textureSize(");
        emit_expr(m, &half, e->args[0]);
        puts_(&half, ", 0)))");
        puts_(b, "textureLod(sampler2D(");
        emit_expr(m, b, e->args[0]);
        puts_(b, ", ");
        emit_expr(m, b, e->args[1]);
        puts_(b, "), clamp(");
        emit_expr(m, b, e->args[2]);
        putf(b, ", %s, vec2(1.0) - %s), 0.0)", half.data, half.data);
        return;
    }
    default:
        wgsl_error(m->ctx, e->line, e->column, "unsupported texture builtin");
    }
}

/* textureGather -> textureGather(Offset)(samplerX(t, s), P, [offset,] comp) */
static void emit_gather(emitter *m, sbuf *b, wgsl_expr *e)
{
    int first = e->args[0]->type->kind == WT_TEXTURE ? 0 : 1;
    const wgsl_type *t = e->args[first]->type;
    bool arrayed = t->dim == DIM_2D_ARRAY || t->dim == DIM_CUBE_ARRAY;
    int base = first + 3 + arrayed;
    bool offset = e->nargs > base;
    putf(b, "%s(%s(", offset ? "textureGatherOffset" : "textureGather",
         sampler_ctor(t, false));
    emit_expr(m, b, e->args[first]);
    puts_(b, ", ");
    emit_expr(m, b, e->args[first + 1]);
    puts_(b, "), ");
    if (arrayed) {
        int n = t->dim == DIM_2D_ARRAY ? 2 : 3;
        putf(b, "vec%d(", n + 1);
        emit_expr(m, b, e->args[first + 2]);
        puts_(b, ", float(");
        emit_expr(m, b, e->args[first + 3]);
        puts_(b, "))");
    } else {
        emit_expr(m, b, e->args[first + 2]);
    }
    if (offset) {
        puts_(b, ", ");
        emit_expr(m, b, e->args[base]);
    }
    puts_(b, ", ");
    if (first) {
        puts_(b, "int(");
        emit_expr(m, b, e->args[0]);
        puts_(b, ")");
    } else {
        puts_(b, "0");
    }
    puts_(b, ")");
}

/* bitcast between f16 pairs and 32-bit values: packFloat2x16 and
 * unpackFloat2x16 keep the bits. */
static void emit_bitcast_f16(emitter *m, sbuf *b, wgsl_expr *arg,
                             const wgsl_type *from, const wgsl_type *to)
{
    wgsl_kind wide =
        wgsl_scalar_of(wgsl_scalar_of(from)->kind == WT_F16 ? to : from)->kind;
    const char *to_bits = wide == WT_F32   ? "floatBitsToUint"
                          : wide == WT_I32 ? "uint"
                                           : "";
    const char *from_bits = wide == WT_F32   ? "uintBitsToFloat"
                            : wide == WT_I32 ? "int"
                                             : "";
    sbuf value = {m->ctx, NULL, 0, 0};
    emit_expr(m, &value, arg);
    if (wgsl_scalar_of(from)->kind == WT_F16) {
        if (from->n == 2) {
            putf(b, "%s(packFloat2x16(%s))", from_bits, value.data);
        } else {
            const char *v2 = wide == WT_F32   ? "uintBitsToFloat"
                             : wide == WT_I32 ? "ivec2"
                                              : "";
            putf(b,
                 "%s(uvec2(packFloat2x16((%s).xy), "
                 "packFloat2x16((%s).zw)))",
                 v2, value.data, value.data);
        }
        return;
    }
    if (to->n == 2) {
        putf(b, "unpackFloat2x16(%s(%s))", to_bits, value.data);
        return;
    }
    const char *u2 = wide == WT_F32 ? "floatBitsToUint" : "uvec2";
    putf(b, "f16vec4(unpackFloat2x16(%s(%s).x), unpackFloat2x16(%s(%s).y))", u2,
         value.data, u2, value.data);
}

static void emit_builtin(emitter *m, sbuf *b, wgsl_expr *e)
{
    static const struct {
        wgsl_builtin_id id;
        const char *glsl;
    } direct[] = {
        {BI_ACOS, "acos"},
        {BI_ACOSH, "acosh"},
        {BI_ASIN, "asin"},
        {BI_ASINH, "asinh"},
        {BI_ATAN, "atan"},
        {BI_ATANH, "atanh"},
        {BI_CEIL, "ceil"},
        {BI_COS, "cos"},
        {BI_COSH, "cosh"},
        {BI_DEGREES, "degrees"},
        {BI_EXP, "exp"},
        {BI_EXP2, "exp2"},
        {BI_FLOOR, "floor"},
        {BI_FRACT, "fract"},
        {BI_INVERSE_SQRT, "inversesqrt"},
        {BI_LOG, "log"},
        {BI_LOG2, "log2"},
        {BI_RADIANS, "radians"},
        {BI_ROUND, "roundEven"},
        {BI_SIN, "sin"},
        {BI_SINH, "sinh"},
        {BI_SQRT, "sqrt"},
        {BI_TAN, "tan"},
        {BI_TANH, "tanh"},
        {BI_TRUNC, "trunc"},
        {BI_ATAN2, "atan"},
        {BI_POW, "pow"},
        {BI_STEP, "step"},
        {BI_SMOOTHSTEP, "smoothstep"},
        {BI_FMA, "fma"},
        {BI_MIX, "mix"},
        {BI_ABS, "abs"},
        {BI_MAX, "max"},
        {BI_MIN, "min"},
        {BI_SIGN, "sign"},
        {BI_CLAMP, "clamp"},
        {BI_CROSS, "cross"},
        {BI_DISTANCE, "distance"},
        {BI_DOT, "dot"},
        {BI_LENGTH, "length"},
        {BI_NORMALIZE, "normalize"},
        {BI_FACE_FORWARD, "faceforward"},
        {BI_REFLECT, "reflect"},
        {BI_REFRACT, "refract"},
        {BI_DETERMINANT, "determinant"},
        {BI_TRANSPOSE, "transpose"},
        {BI_LDEXP, "ldexp"},
        {BI_PACK4X8SNORM, "packSnorm4x8"},
        {BI_PACK4X8UNORM, "packUnorm4x8"},
        {BI_PACK2X16SNORM, "packSnorm2x16"},
        {BI_PACK2X16UNORM, "packUnorm2x16"},
        {BI_PACK2X16FLOAT, "packHalf2x16"},
        {BI_UNPACK4X8SNORM, "unpackSnorm4x8"},
        {BI_UNPACK4X8UNORM, "unpackUnorm4x8"},
        {BI_UNPACK2X16SNORM, "unpackSnorm2x16"},
        {BI_UNPACK2X16UNORM, "unpackUnorm2x16"},
        {BI_UNPACK2X16FLOAT, "unpackHalf2x16"},
        {BI_REVERSE_BITS, "bitfieldReverse"},
        {BI_QUANTIZE_TO_F16, "_wquantize"},
        {BI_SATURATE, "_wsaturate"},
        {BI_COUNT_LEADING_ZEROS, "_wclz"},
        {BI_COUNT_TRAILING_ZEROS, "_wctz"},
        {BI_COUNT_ONE_BITS, "_wpopcount"},
        {BI_FIRST_LEADING_BIT, "_wfirstLeadingBit"},
        {BI_FIRST_TRAILING_BIT, "_wfirstTrailingBit"},
        {BI_EXTRACT_BITS, "_wextractBits"},
        {BI_INSERT_BITS, "_winsertBits"},
        {BI_PACK4XI8, "_wpack4xI8"},
        {BI_PACK4XU8, "_wpack4xU8"},
        {BI_PACK4XI8_CLAMP, "_wpack4xI8Clamp"},
        {BI_PACK4XU8_CLAMP, "_wpack4xU8Clamp"},
        {BI_UNPACK4XI8, "_wunpack4xI8"},
        {BI_UNPACK4XU8, "_wunpack4xU8"},
        {BI_DOT4U8_PACKED, "_wdot4U8Packed"},
        {BI_DOT4I8_PACKED, "_wdot4I8Packed"},
        {BI_FREXP, "_wfrexp"},
        {BI_MODF, "_wmodf"},
    };
    for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++)
        if (direct[i].id == (wgsl_builtin_id)e->builtin) {
            if (e->builtin == BI_FREXP || e->builtin == BI_MODF) {
                /* result structs differ per type: name them */
                wgsl_struct *st = e->type->st;
                emit_struct(m, st);
                putf(b, "_W%s_make(", st->name);
                emit_args(m, b, e, 0, e->nargs);
                puts_(b, ")");
                return;
            }
            put_fn1(m, b, direct[i].glsl, e);
            return;
        }
    switch (e->builtin) {
    case BI_SELECT:
        if (is_vec(e->args[2]->type)) {
            puts_(b, "mix(");
            emit_args(m, b, e, 0, 3);
            puts_(b, ")");
        } else {
            puts_(b, "(");
            emit_expr(m, b, e->args[2]);
            puts_(b, " ? ");
            emit_expr(m, b, e->args[1]);
            puts_(b, " : ");
            emit_expr(m, b, e->args[0]);
            puts_(b, ")");
        }
        return;
    case BI_ALL:
    case BI_ANY:
        if (is_vec(e->args[0]->type)) {
            put_fn1(m, b, e->builtin == BI_ALL ? "all" : "any", e);
        } else {
            puts_(b, "(");
            emit_expr(m, b, e->args[0]);
            puts_(b, ")");
        }
        return;
    case BI_ARRAY_LENGTH:
        puts_(b, "uint(");
        emit_pointer(m, b, e->args[0]);
        puts_(b, ".length())");
        return;
    case BI_BITCAST: {
        const wgsl_type *from = e->args[0]->type, *to = e->ctor;
        wgsl_kind fk = wgsl_scalar_of(from)->kind,
                  tk = wgsl_scalar_of(to)->kind;
        const char *fn = NULL;
        if (fk == WT_F16 || tk == WT_F16) {
            emit_bitcast_f16(m, b, e->args[0], from, to);
            return;
        }
        if (fk == tk)
            fn = "";
        else if (fk == WT_F32)
            fn = tk == WT_I32 ? "floatBitsToInt" : "floatBitsToUint";
        else if (tk == WT_F32)
            fn = fk == WT_I32 ? "intBitsToFloat" : "uintBitsToFloat";
        if (fn) {
            putf(b, "%s(", fn);
            emit_expr(m, b, e->args[0]);
            puts_(b, ")");
        } else {
            put_type(m, b, to);
            puts_(b, "(");
            emit_expr(m, b, e->args[0]);
            puts_(b, ")");
        }
        return;
    }
    case BI_ATOMIC_LOAD:
        puts_(b, "atomicAdd(");
        emit_pointer(m, b, e->args[0]);
        puts_(b, wgsl_scalar_of(e->type)->kind == WT_U32 ? ", 0u)" : ", 0)");
        return;
    case BI_ATOMIC_STORE:
        puts_(b, "atomicExchange(");
        emit_pointer(m, b, e->args[0]);
        puts_(b, ", ");
        emit_expr(m, b, e->args[1]);
        puts_(b, ")");
        return;
    case BI_ATOMIC_ADD:
    case BI_ATOMIC_SUB:
    case BI_ATOMIC_MAX:
    case BI_ATOMIC_MIN:
    case BI_ATOMIC_AND:
    case BI_ATOMIC_OR:
    case BI_ATOMIC_XOR:
    case BI_ATOMIC_EXCHANGE: {
        static const char *const names[] = {
            "atomicAdd", "atomicAdd", "atomicMax", "atomicMin",
            "atomicAnd", "atomicOr",  "atomicXor", "atomicExchange"};
        putf(b, "%s(", names[e->builtin - BI_ATOMIC_ADD]);
        emit_pointer(m, b, e->args[0]);
        puts_(b, e->builtin == BI_ATOMIC_SUB ? ", -(" : ", (");
        emit_expr(m, b, e->args[1]);
        puts_(b, "))");
        return;
    }
    case BI_ATOMIC_COMPARE_EXCHANGE_WEAK: {
        wgsl_struct *st = e->type->st;
        emit_struct(m, st);
        putf(b, "_W%s_make(atomicCompSwap(", st->name);
        emit_pointer(m, b, e->args[0]);
        puts_(b, ", ");
        emit_expr(m, b, e->args[1]);
        puts_(b, ", ");
        emit_expr(m, b, e->args[2]);
        puts_(b, "), ");
        emit_expr(m, b, e->args[1]);
        puts_(b, ")");
        return;
    }
    case BI_WORKGROUP_BARRIER: puts_(b, "_wworkgroupBarrier()"); return;
    case BI_STORAGE_BARRIER: puts_(b, "_wstorageBarrier()"); return;
    case BI_TEXTURE_BARRIER: puts_(b, "_wtextureBarrier()"); return;
    case BI_WORKGROUP_UNIFORM_LOAD: {
        /* barrier, load, barrier: the load is a comma expression between
         * two barrier calls */
        puts_(b, "(_wworkgroupBarrier(), ");
        if (e->args[0]->type->elem->kind == WT_ATOMIC) {
            puts_(b, "atomicAdd(");
            emit_pointer(m, b, e->args[0]);
            puts_(b,
                  wgsl_scalar_of(e->type)->kind == WT_U32 ? ", 0u)" : ", 0)");
        } else {
            emit_pointer(m, b, e->args[0]);
        }
        puts_(b, ")");
        return;
    }
    case BI_TEXTURE_GATHER: emit_gather(m, b, e); return;
    default: emit_texture_builtin(m, b, e);
    }
}

static void emit_conversion(emitter *m, sbuf *b, const wgsl_type *to,
                            wgsl_expr *arg)
{
    wgsl_kind tk = wgsl_scalar_of(to)->kind;
    wgsl_kind fk = wgsl_scalar_of(arg->type)->kind;
    if ((tk == WT_I32 || tk == WT_U32) && (fk == WT_F32 || fk == WT_F16)) {
        puts_(b, tk == WT_I32 ? "_wf2i(" : "_wf2u(");
        emit_expr(m, b, arg);
        puts_(b, ")");
        return;
    }
    put_type(m, b, to);
    puts_(b, "(");
    emit_expr(m, b, arg);
    puts_(b, ")");
}

static void emit_call(emitter *m, sbuf *b, wgsl_expr *e)
{
    if (e->sym) {
        put_sym(b, e->sym);
        puts_(b, "(");
        for (int i = 0; i < e->nargs; i++) {
            if (i)
                puts_(b, ", ");
            if (e->args[i]->type->kind == WT_PTR)
                emit_pointer(m, b, e->args[i]);
            else
                emit_expr(m, b, e->args[i]);
        }
        puts_(b, ")");
        return;
    }
    if (e->builtin) {
        emit_builtin(m, b, e);
        return;
    }
    const wgsl_type *t = e->ctor;
    if (e->nargs == 0) {
        put_zero(m, b, t);
        return;
    }
    if (wgsl_is_scalar(t) ||
        ((t->kind == WT_VEC || t->kind == WT_MAT) && e->nargs == 1 &&
         e->args[0]->type->kind == t->kind)) {
        emit_conversion(m, b, t, e->args[0]);
        return;
    }
    if (t->kind == WT_VEC && e->nargs == 1 &&
        wgsl_scalar_of(e->args[0]->type) != t->elem) {
        /* vecN<T>(scalar of another type): convert, then splat */
        put_type(m, b, t);
        puts_(b, "(");
        emit_conversion(m, b, t->elem, e->args[0]);
        puts_(b, ")");
        return;
    }
    if (t->kind == WT_STRUCT) {
        put_struct_name(b, t->st);
        puts_(b, "(");
        wgsl_struct *st = t->st;
        bool shareable = wgsl_is_host_shareable(t);
        uint64_t at = 0;
        bool first = true;
        for (int i = 0; i < e->nargs; i++) {
            if (shareable) {
                wgsl_member *mb = &st->members[i];
                uint32_t align = wgsl_align_of(m->ctx, mb->type);
                uint64_t natural = (at + align - 1) / align * align;
                if (mb->offset > natural)
                    for (; at + 4 <= mb->offset; at += 4) {
                        puts_(b, first ? "0u" : ", 0u");
                        first = false;
                    }
                at = mb->offset + wgsl_size_of(m->ctx, mb->type);
            }
            if (!first)
                puts_(b, ", ");
            first = false;
            emit_expr(m, b, e->args[i]);
        }
        if (shareable)
            for (; at + 4 <= st->size; at += 4)
                puts_(b, ", 0u");
        puts_(b, ")");
        return;
    }
    put_type(m, b, t);
    puts_(b, "(");
    emit_args(m, b, e, 0, e->nargs);
    puts_(b, ")");
}

static void emit_expr(emitter *m, sbuf *b, wgsl_expr *e)
{
    if (e->value && !e->is_ref &&
        !(e->kind == EX_IDENT && e->sym && e->sym->kind == SYM_OVERRIDE)) {
        put_value(m, b, e->value);
        return;
    }
    switch (e->kind) {
    case EX_INT:
    case EX_FLOAT:
    case EX_BOOL: put_value(m, b, wgsl_eval(m->ctx, e)); return;
    case EX_PAREN:
        puts_(b, "(");
        emit_expr(m, b, e->a);
        puts_(b, ")");
        return;
    case EX_IDENT: {
        wgsl_sym *sym = e->sym;
        if (sym->pointer_expr) {
            emit_pointer(m, b, sym->pointer_expr);
            return;
        }
        if (sym->kind == SYM_PARAM && sym->decl->builtin_value) {
            put_sym(b, sym);
            return;
        }
        put_sym(b, sym);
        wgsl_decl *d = sym->decl;
        if (sym->kind == SYM_VAR && d && d->is_resource &&
            (d->space == SPACE_UNIFORM || d->space == SPACE_STORAGE)) {
            const wgsl_type *t = d->type;
            bool flat =
                t->kind == WT_STRUCT &&
                t->st->members[t->st->member_count - 1].type->kind ==
                    WT_ARRAY &&
                t->st->members[t->st->member_count - 1].type->count == 0;
            if (!flat)
                puts_(b, ".v");
        }
        return;
    }
    case EX_UNARY:
        switch (e->op) {
        case TK_AMP: emit_expr(m, b, e->a); return;
        case TK_STAR: emit_pointer(m, b, e->a); return;
        case TK_BANG:
            if (is_vec(e->type)) {
                puts_(b, "not(");
                emit_expr(m, b, e->a);
                puts_(b, ")");
                return;
            }
            puts_(b, "(!");
            emit_expr(m, b, e->a);
            puts_(b, ")");
            return;
        default:
            putf(b, "(%s", wgsl_token_name(e->op));
            emit_expr(m, b, e->a);
            puts_(b, ")");
            return;
        }
    case EX_BINARY: emit_binary_parts(m, b, e->op, e->type, e->a, e->b); return;
    case EX_MEMBER: {
        const wgsl_type *t = e->a->type;
        if (t->kind == WT_PTR && !e->a->is_ref) {
            emit_pointer(m, b, e->a);
            t = t->elem;
        } else {
            emit_expr(m, b, e->a);
        }
        puts_(b, ".");
        if (t->kind == WT_STRUCT) {
            put_name(b, e->name);
        } else {
            for (const char *p = e->name; *p; p++) {
                static const char xyzw[] = "xyzw";
                int index = strchr("xr", *p)   ? 0
                            : strchr("yg", *p) ? 1
                            : strchr("zb", *p) ? 2
                                               : 3;
                put(b, &xyzw[index], 1);
            }
        }
        return;
    }
    case EX_INDEX: {
        const wgsl_type *t = e->a->type;
        if (t->kind == WT_PTR && !e->a->is_ref)
            emit_pointer(m, b, e->a);
        else
            emit_expr(m, b, e->a);
        if (e->hoisted) {
            putf(b, "[_wp%d]", e->hoisted);
            return;
        }
        puts_(b, "[");
        emit_expr(m, b, e->b);
        puts_(b, "]");
        return;
    }
    case EX_CALL: emit_call(m, b, e); return;
    }
}

/* >>statements --------------------------------------------------------------
 */

static void indent(emitter *m, sbuf *b)
{
    for (int i = 0; i < m->indent; i++)
        puts_(b, "    ");
}

static void emit_block(emitter *m, sbuf *b, wgsl_stmt *s);
static void emit_stmt(emitter *m, sbuf *b, wgsl_stmt *s);

/* Assignments, increments and calls as GLSL expressions (also used in a
 * for loop header). */
static void emit_simple(emitter *m, sbuf *b, wgsl_stmt *s)
{
    switch (s->kind) {
    case ST_ASSIGN:
        if (!s->a) {
            emit_expr(m, b, s->b);
            return;
        }
        emit_expr(m, b, s->a);
        puts_(b, " = ");
        if (s->op == TK_EQ) {
            emit_expr(m, b, s->b);
        } else {
            static const struct {
                wgsl_tok assign, op;
            } ops[] = {{TK_PLUSEQ, TK_PLUS},       {TK_MINUSEQ, TK_MINUS},
                       {TK_STAREQ, TK_STAR},       {TK_SLASHEQ, TK_SLASH},
                       {TK_PERCENTEQ, TK_PERCENT}, {TK_AMPEQ, TK_AMP},
                       {TK_PIPEEQ, TK_PIPE},       {TK_CARETEQ, TK_CARET},
                       {TK_SHLEQ, TK_SHL},         {TK_SHREQ, TK_SHR}};
            wgsl_tok op = TK_PLUS;
            for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
                if (ops[i].assign == s->op)
                    op = ops[i].op;
            emit_binary_parts(m, b, op, s->a->type, s->a, s->b);
        }
        return;
    case ST_INCDEC:
        emit_expr(m, b, s->a);
        puts_(b, s->op == TK_PLUSPLUS ? "++" : "--");
        return;
    case ST_CALL: emit_expr(m, b, s->a); return;
    default: return;
    }
}

/* WGSL evaluates the indices of `let p = &a[i][j]` once; the lowering
 * replaces *p by the designated lvalue at each use, so every index that is
 * not a constant is computed once, into a temporary, here. */
static void hoist_indices(emitter *m, sbuf *b, wgsl_expr *e)
{
    while (e) {
        if (e->kind == EX_INDEX && !e->b->value) {
            e->hoisted = ++m->temp;
            indent(m, b);
            put_type(m, b, e->b->type);
            putf(b, " _wp%d = ", e->hoisted);
            emit_expr(m, b, e->b);
            puts_(b, ";\n");
        }
        if (e->kind == EX_IDENT && e->sym && e->sym->pointer_expr)
            return; /* another pointer let: hoisted where it was declared */
        e = e->kind == EX_CALL ? NULL : e->a;
    }
}

static void emit_decl(emitter *m, sbuf *b, wgsl_decl *d)
{
    if (d->kind == DECL_CONST)
        return;
    if (d->kind == DECL_LET && d->type->kind == WT_PTR) {
        hoist_indices(m, b, d->init);
        return;
    }
    indent(m, b);
    put_type(m, b, d->type);
    puts_(b, " ");
    put_sym(b, d->sym);
    puts_(b, " = ");
    if (d->init)
        emit_expr(m, b, d->init);
    else
        put_zero(m, b, d->type);
    puts_(b, ";\n");
}

static void emit_continuing(emitter *m, sbuf *b, loop_ctx *l)
{
    wgsl_stmt *cont = l->loop->continuing;
    for (int i = 0; i < cont->count; i++) {
        wgsl_stmt *s = cont->stmts[i];
        if (s->kind == ST_BREAK_IF) {
            indent(m, b);
            puts_(b, "if (");
            emit_expr(m, b, s->a);
            putf(b, ") _wexit%d = true;\n", l->flag);
        } else {
            emit_stmt(m, b, s);
        }
    }
}

static void emit_stmt(emitter *m, sbuf *b, wgsl_stmt *s)
{
    switch (s->kind) {
    case ST_BLOCK:
        indent(m, b);
        emit_block(m, b, s);
        puts_(b, "\n");
        return;
    case ST_VAR:
    case ST_LET:
    case ST_CONST: emit_decl(m, b, s->decl); return;
    case ST_ASSIGN:
    case ST_INCDEC:
    case ST_CALL:
        indent(m, b);
        emit_simple(m, b, s);
        puts_(b, ";\n");
        return;
    case ST_IF:
        indent(m, b);
        for (;;) {
            puts_(b, "if (");
            emit_expr(m, b, s->a);
            puts_(b, ") ");
            emit_block(m, b, s->then);
            if (!s->otherwise)
                break;
            puts_(b, " else ");
            if (s->otherwise->kind != ST_IF) {
                emit_block(m, b, s->otherwise);
                break;
            }
            s = s->otherwise;
        }
        puts_(b, "\n");
        return;
    case ST_SWITCH: {
        indent(m, b);
        puts_(b, "switch (");
        emit_expr(m, b, s->a);
        puts_(b, ") {\n");
        for (int i = 0; i < s->ncases; i++) {
            wgsl_case *k = &s->cases[i];
            for (int j = 0; j < k->count; j++) {
                indent(m, b);
                if (!k->selectors[j]) {
                    puts_(b, "default:\n");
                } else {
                    puts_(b, "case ");
                    emit_expr(m, b, k->selectors[j]);
                    puts_(b, ":\n");
                }
            }
            m->indent++;
            indent(m, b);
            emit_block(m, b, k->body);
            puts_(b, "\n");
            indent(m, b);
            puts_(b, "break;\n");
            m->indent--;
        }
        indent(m, b);
        puts_(b, "}\n");
        /* a 'continue' inside the switch may have asked the loop to end */
        if (m->loop && m->loop->loop) {
            indent(m, b);
            putf(b, "if (_wexit%d) break;\n", m->loop->flag);
        }
        return;
    }
    case ST_LOOP: {
        loop_ctx l = {s->continuing ? s : NULL, ++m->temp, m->loop};
        m->loop = &l;
        indent(m, b);
        putf(b, "bool _wexit%d = false;\n", l.flag);
        indent(m, b);
        puts_(b, "while (true) {\n");
        m->indent++;
        indent(m, b);
        putf(b, "if (_wexit%d) break;\n", l.flag);
        for (int i = 0; i < s->body->count; i++)
            emit_stmt(m, b, s->body->stmts[i]);
        if (l.loop) {
            emit_continuing(m, b, &l);
        }
        m->indent--;
        indent(m, b);
        puts_(b, "}\n");
        m->loop = l.parent;
        return;
    }
    case ST_FOR: {
        loop_ctx l = {NULL, 0, m->loop};
        m->loop = &l;
        indent(m, b);
        puts_(b, "{\n");
        m->indent++;
        if (s->init) {
            if (s->init->kind == ST_VAR || s->init->kind == ST_LET ||
                s->init->kind == ST_CONST) {
                emit_decl(m, b, s->init->decl);
            } else {
                indent(m, b);
                emit_simple(m, b, s->init);
                puts_(b, ";\n");
            }
        }
        indent(m, b);
        puts_(b, "for (; ");
        if (s->a)
            emit_expr(m, b, s->a);
        puts_(b, "; ");
        if (s->update)
            emit_simple(m, b, s->update);
        puts_(b, ") ");
        emit_block(m, b, s->body);
        puts_(b, "\n");
        m->indent--;
        indent(m, b);
        puts_(b, "}\n");
        m->loop = l.parent;
        return;
    }
    case ST_WHILE: {
        loop_ctx l = {NULL, 0, m->loop};
        m->loop = &l;
        indent(m, b);
        puts_(b, "while (");
        emit_expr(m, b, s->a);
        puts_(b, ") ");
        emit_block(m, b, s->body);
        puts_(b, "\n");
        m->loop = l.parent;
        return;
    }
    case ST_BREAK:
        indent(m, b);
        puts_(b, "break;\n");
        return;
    case ST_CONTINUE:
        if (m->loop && m->loop->loop) {
            indent(m, b);
            puts_(b, "{\n");
            m->indent++;
            loop_ctx *l = m->loop;
            emit_continuing(m, b, l);
            indent(m, b);
            puts_(b, "continue;\n");
            m->indent--;
            indent(m, b);
            puts_(b, "}\n");
            return;
        }
        indent(m, b);
        puts_(b, "continue;\n");
        return;
    case ST_RETURN:
        indent(m, b);
        if (s->a) {
            puts_(b, "return ");
            emit_expr(m, b, s->a);
            puts_(b, ";\n");
        } else {
            puts_(b, "return;\n");
        }
        return;
    default: return;
    }
}

static void emit_block(emitter *m, sbuf *b, wgsl_stmt *s)
{
    puts_(b, "{\n");
    m->indent++;
    for (int i = 0; i < s->count; i++)
        emit_stmt(m, b, s->stmts[i]);
    m->indent--;
    indent(m, b);
    puts_(b, "}");
}

/* >>functions ---------------------------------------------------------------
 */

static void emit_fn(emitter *m, wgsl_decl *d);

static void visit_calls_expr(emitter *m, wgsl_expr *e)
{
    if (!e)
        return;
    if (e->kind == EX_CALL && e->sym && e->sym->decl)
        emit_fn(m, e->sym->decl);
    if (e->kind == EX_IDENT && e->sym && e->sym->pointer_expr)
        visit_calls_expr(m, e->sym->pointer_expr);
    visit_calls_expr(m, e->a);
    if (e->kind != EX_MEMBER)
        visit_calls_expr(m, e->b);
    for (int i = 0; i < e->nargs; i++)
        visit_calls_expr(m, e->args[i]);
}

static void visit_calls(emitter *m, wgsl_stmt *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->count; i++)
        visit_calls(m, s->stmts[i]);
    if (s->decl)
        visit_calls_expr(m, s->decl->init);
    visit_calls_expr(m, s->a);
    visit_calls_expr(m, s->b);
    visit_calls(m, s->then);
    visit_calls(m, s->otherwise);
    visit_calls(m, s->body);
    visit_calls(m, s->continuing);
    visit_calls(m, s->init);
    visit_calls(m, s->update);
    for (int i = 0; i < s->ncases; i++)
        visit_calls(m, s->cases[i].body);
}

static void emit_fn(emitter *m, wgsl_decl *d)
{
    if (d->order >= 0)
        return;
    if (d->order == -1)
        wgsl_error(m->ctx, d->line, d->column,
                   "function '%s' is part of a call cycle: recursion is not "
                   "allowed in WGSL",
                   d->name);
    d->order = -1;
    visit_calls(m, d->body);
    d->order = 1;
    sbuf *b = &m->fns;
    if (d->type)
        put_type(m, b, d->type);
    else
        puts_(b, "void");
    puts_(b, " ");
    put_sym(b, d->sym);
    puts_(b, "(");
    for (int i = 0; i < d->nparams; i++) {
        wgsl_decl *p = d->params[i];
        if (i)
            puts_(b, ", ");
        if (p->type->kind == WT_PTR) {
            puts_(b, "inout ");
            put_type(m, b, p->type->elem);
        } else {
            put_type(m, b, p->type);
        }
        puts_(b, " ");
        put_sym(b, p->sym);
    }
    puts_(b, ") ");
    m->indent = 0;
    emit_block(m, b, d->body);
    puts_(b, "\n\n");
}

/* >>globals -----------------------------------------------------------------
 */

static bool flattened(const wgsl_type *t)
{
    return t->kind == WT_STRUCT &&
           t->st->members[t->st->member_count - 1].type->kind == WT_ARRAY &&
           t->st->members[t->st->member_count - 1].type->count == 0;
}

static void emit_struct_deps(emitter *m, const wgsl_type *t)
{
    while (t->kind == WT_ARRAY)
        t = t->elem;
    if (flattened(t)) {
        /* a buffer block of its own, never a GLSL struct */
        for (int i = 0; i < t->st->member_count; i++)
            emit_struct_deps(m, t->st->members[i].type);
        return;
    }
    if (t->kind == WT_STRUCT)
        emit_struct(m, t->st);
}

static void emit_resource(emitter *m, wgsl_decl *d)
{
    sbuf *b = &m->globals;
    const wgsl_type *t = d->type;
    uint32_t binding = d->register_binding;
    if (d->space == SPACE_UNIFORM || d->space == SPACE_STORAGE) {
        emit_struct_deps(m, t);
        if (flattened(t))
            for (int i = 0; i < t->st->member_count; i++)
                emit_struct_deps(m, t->st->members[i].type);
        putf(b, "layout(std430, set = 0, binding = %u) ", binding);
        if (d->space == SPACE_UNIFORM)
            puts_(b, "uniform ");
        else
            puts_(b, d->access == ACCESS_READ ? "readonly buffer " : "buffer ");
        puts_(b, "B");
        put_name(b, d->name);
        puts_(b, " {\n");
        if (flattened(t)) {
            wgsl_struct *st = t->st;
            wgsl_layout_struct(m->ctx, st);
            uint64_t at = 0;
            int pad = 0;
            for (int i = 0; i < st->member_count; i++) {
                wgsl_member *mb = &st->members[i];
                uint32_t align = wgsl_align_of(m->ctx, mb->type);
                uint64_t natural = (at + align - 1) / align * align;
                if (mb->offset > natural)
                    for (; at + 4 <= mb->offset; at += 4)
                        putf(b, "    uint _pad%d;\n", pad++);
                at = mb->offset + wgsl_size_of(m->ctx, mb->type);
                puts_(b, "    ");
                const wgsl_type *base = mb->type;
                while (base->kind == WT_ARRAY)
                    base = base->elem;
                put_type_base(m, b, base);
                puts_(b, " ");
                put_name(b, mb->name);
                for (const wgsl_type *a = mb->type; a->kind == WT_ARRAY;
                     a = a->elem) {
                    if (a->count)
                        putf(b, "[%lld]", (long long)a->count);
                    else
                        puts_(b, "[]");
                }
                puts_(b, ";\n");
            }
        } else {
            puts_(b, "    ");
            const wgsl_type *base = t;
            while (base->kind == WT_ARRAY)
                base = base->elem;
            put_type_base(m, b, base);
            puts_(b, " v");
            for (const wgsl_type *a = t; a->kind == WT_ARRAY; a = a->elem) {
                if (a->count)
                    putf(b, "[%lld]", (long long)a->count);
                else
                    puts_(b, "[]");
            }
            puts_(b, ";\n");
        }
        puts_(b, "} ");
        put_name(b, d->name);
        puts_(b, ";\n");
        return;
    }
    static const char *const dims[] = {"",   "1D",   "2D",       "2DArray",
                                       "3D", "Cube", "CubeArray"};
    if (t->kind == WT_SAMPLER || t->kind == WT_SAMPLER_COMPARISON) {
        putf(b, "layout(set = 0, binding = %u) uniform %s ", binding,
             t->kind == WT_SAMPLER ? "sampler" : "samplerShadow");
    } else if (t->kind == WT_TEXTURE) {
        const char *prefix = t->elem->kind == WT_I32   ? "i"
                             : t->elem->kind == WT_U32 ? "u"
                                                       : "";
        putf(b, "layout(set = 0, binding = %u) uniform %stexture%s%s ", binding,
             prefix, dims[t->dim], t->multisampled ? "MS" : "");
    } else {
        const wgsl_format *f = &wgsl_formats[t->format];
        const char *prefix = f->channel == WT_I32   ? "i"
                             : f->channel == WT_U32 ? "u"
                                                    : "";
        const char *format = f->glsl;
        putf(b, "layout(set = 0, binding = %u%s%s) uniform %s%simage%s ",
             binding, format ? ", " : "", format ? format : "",
             t->access == ACCESS_READ    ? "readonly "
             : t->access == ACCESS_WRITE ? "writeonly "
                                         : "",
             prefix, dims[t->dim]);
    }
    put_name(b, d->name);
    puts_(b, ";\n");
}

/* Zeroes (or initializes) a variable with statements: WGSL zero-fills
 * private and workgroup memory. */
static void zero_store(emitter *m, sbuf *b, const char *lvalue,
                       const wgsl_type *t, int depth)
{
    if (t->kind == WT_ARRAY) {
        char inner[600];
        snprintf(inner, sizeof inner, "%s[_wi%d]", lvalue, depth);
        indent(m, b);
        putf(b, "for (int _wi%d = 0; _wi%d < %lld; _wi%d++) {\n", depth, depth,
             (long long)t->count, depth);
        m->indent++;
        zero_store(m, b, inner, t->elem, depth + 1);
        m->indent--;
        indent(m, b);
        puts_(b, "}\n");
        return;
    }
    if (t->kind == WT_STRUCT) {
        for (int i = 0; i < t->st->member_count; i++) {
            sbuf name = {m->ctx, NULL, 0, 0};
            puts_(&name, lvalue);
            puts_(&name, ".");
            put_name(&name, t->st->members[i].name);
            if (name.length > 500)
                wgsl_error(m->ctx, t->st->line, t->st->column,
                           "struct nesting is too deep to zero-initialize");
            zero_store(m, b, name.data, t->st->members[i].type, depth);
        }
        return;
    }
    indent(m, b);
    putf(b, "%s = ", lvalue);
    put_zero(m, b, t);
    puts_(b, ";\n");
}

static const char helpers[] =
    "void _wworkgroupBarrier() { memoryBarrierShared(); barrier(); }\n"
    "void _wstorageBarrier() { memoryBarrierBuffer(); barrier(); }\n"
    "void _wtextureBarrier() { memoryBarrierImage(); barrier(); }\n";

/* Overloads of the helpers for every integer/float shape. */
static void emit_helpers(emitter *m, sbuf *b)
{
    (void)m;
    puts_(b, helpers);
    puts_(b, "int _wsafe1(int a, int b) { return (b == 0 || (a == (-2147483647 "
             "- 1) && b == -1)) ? 1 : b; }\n");
    for (int n = 1; n <= 4; n++) {
        char it[16], ut[16], ft[16];
        snprintf(it, sizeof it, n == 1 ? "int" : "ivec%d", n);
        snprintf(ut, sizeof ut, n == 1 ? "uint" : "uvec%d", n);
        snprintf(ft, sizeof ft, n == 1 ? "float" : "vec%d", n);
        /* signed: per component */
        putf(b, "%s _wdiv(%s a, %s b) { %s d = b; ", it, it, it, it);
        if (n == 1)
            puts_(b, "d = _wsafe1(a, b); ");
        else
            for (int k = 0; k < n; k++)
                putf(b, "d[%d] = _wsafe1(a[%d], b[%d]); ", k, k, k);
        puts_(b, "return a / d; }\n");
        putf(b, "%s _wrem(%s a, %s b) { %s d = b; ", it, it, it, it);
        if (n == 1)
            puts_(b, "d = _wsafe1(a, b); ");
        else
            for (int k = 0; k < n; k++)
                putf(b, "d[%d] = _wsafe1(a[%d], b[%d]); ", k, k, k);
        puts_(b, "return a - d * (a / d); }\n");
        if (n == 1)
            puts_(b, "uint _wdiv(uint a, uint b) { return b == 0u ? a : a / "
                     "b; }\n");
        else
            putf(b,
                 "%s _wdiv(%s a, %s b) { return a / mix(b, %s(1u), equal(b, "
                 "%s(0u))); }\n",
                 ut, ut, ut, ut, ut);
        if (n == 1) {
            puts_(b, "uint _wrem(uint a, uint b) { return b == 0u ? 0u : a % "
                     "b; }\n");
        } else {
            putf(b,
                 "%s _wrem(%s a, %s b) { %s d = mix(b, %s(1u), equal(b, "
                 "%s(0u))); return mix(a %% d, %s(0u), equal(b, %s(0u))); "
                 "}\n",
                 ut, ut, ut, ut, ut, ut, ut, ut);
        }
        putf(b, "%s _wfrem(%s a, %s b) { return a - b * trunc(a / b); }\n", ft,
             ft, ft);
        putf(b,
             "%s _wf2i(%s x) { return %s(clamp(x, -2147483648.0, "
             "2147483520.0)); }\n",
             it, ft, it);
        putf(b, "%s _wf2u(%s x) { return %s(clamp(x, 0.0, 4294967040.0)); }\n",
             ut, ft, ut);
        putf(b, "%s _wsaturate(%s x) { return clamp(x, 0.0, 1.0); }\n", ft, ft);
        putf(b,
             "%s _wquantize(%s x) { %s r; for (int i = 0; i < %d; i++) r%s "
             "= unpackHalf2x16(packHalf2x16(vec2(x%s, 0.0))).x; return r; "
             "}\n",
             ft, ft, ft, n, n == 1 ? "" : "[i]", n == 1 ? "" : "[i]");
        for (int s = 0; s < 2; s++) {
            const char *t = s ? it : ut;
            const char *cast = s ? "int" : "uint";
            putf(b, "%s _wpopcount(%s x) { return %s(bitCount(x)); }\n", t, t,
                 n == 1 ? cast : t);
            putf(b, "%s _wfirstTrailingBit(%s x) { return %s(findLSB(x)); }\n",
                 t, t, n == 1 ? cast : t);
            putf(b, "%s _wfirstLeadingBit(%s x) { return %s(findMSB(x)); }\n",
                 t, t, n == 1 ? cast : t);
            char vt[16];
            snprintf(vt, sizeof vt, n == 1 ? "int" : "ivec%d", n);
            char uvt[16];
            snprintf(uvt, sizeof uvt, n == 1 ? "uint" : "uvec%d", n);
            if (n == 1) {
                putf(b,
                     "%s _wclz(%s x) { uint u = uint(x); return u == 0u ? "
                     "%s(32) : %s(31 - findMSB(u)); }\n",
                     t, t, cast, cast);
                putf(b,
                     "%s _wctz(%s x) { int r = findLSB(x); return r < 0 ? "
                     "%s(32) : %s(r); }\n",
                     t, t, cast, cast);
            } else {
                putf(b,
                     "%s _wclz(%s x) { %s u = %s(x); %s r = %s(31) - "
                     "findMSB(u); return %s(mix(r, %s(32), equal(u, "
                     "%s(0u)))); }\n",
                     t, t, uvt, uvt, vt, vt, t, vt, uvt);
                putf(b,
                     "%s _wctz(%s x) { %s r = findLSB(x); return %s(mix(r, "
                     "%s(32), equal(r, %s(-1)))); }\n",
                     t, t, vt, t, vt, vt);
            }
            putf(b,
                 "%s _wextractBits(%s e, uint offset, uint count) { uint o "
                 "= min(offset, 32u); uint c = min(count, 32u - o); return c "
                 "== 0u ? %s(0) : bitfieldExtract(e, int(o), int(c)); }\n",
                 t, t, t);
            putf(b,
                 "%s _winsertBits(%s e, %s v, uint offset, uint count) { "
                 "uint o = min(offset, 32u); uint c = min(count, 32u - o); "
                 "return c == 0u ? e : bitfieldInsert(e, v, int(o), "
                 "int(c)); }\n",
                 t, t, t);
        }
    }
    puts_(b,
          "uint _wpack4xI8(ivec4 v) { uvec4 u = uvec4(v) & 255u; return u.x "
          "| (u.y << 8) | (u.z << 16) | (u.w << 24); }\n"
          "uint _wpack4xU8(uvec4 v) { uvec4 u = v & 255u; return u.x | (u.y "
          "<< 8) | (u.z << 16) | (u.w << 24); }\n"
          "uint _wpack4xI8Clamp(ivec4 v) { return _wpack4xI8(clamp(v, -128, "
          "127)); }\n"
          "uint _wpack4xU8Clamp(uvec4 v) { return _wpack4xU8(min(v, 255u)); "
          "}\n"
          "ivec4 _wunpack4xI8(uint x) { return (ivec4(int(x)) << ivec4(24, "
          "16, 8, 0)) >> 24; }\n"
          "uvec4 _wunpack4xU8(uint x) { return (uvec4(x) >> uvec4(0u, 8u, "
          "16u, 24u)) & 255u; }\n"
          "uint _wdot4U8Packed(uint a, uint b) { uvec4 x = _wunpack4xU8(a), "
          "y = _wunpack4xU8(b); return x.x * y.x + x.y * y.y + x.z * y.z + "
          "x.w * y.w; }\n"
          "int _wdot4I8Packed(uint a, uint b) { ivec4 x = _wunpack4xI8(a), y "
          "= _wunpack4xI8(b); return x.x * y.x + x.y * y.y + x.z * y.z + x.w "
          "* y.w; }\n");
}

/* Constructors for the frexp/modf/atomicCompareExchangeWeak results. */
static void emit_result_makers(emitter *m, sbuf *b)
{
    for (wgsl_result_cache *k = m->ctx->results; k; k = k->next) {
        wgsl_struct *st = k->st;
        if (!st->emitted)
            continue;
        const wgsl_type *t = k->type;
        put_struct_name(b, st);
        putf(b, " _W%s_make(", st->name);
        put_type(m, b, t);
        if (k->id == BI_ATOMIC_COMPARE_EXCHANGE_WEAK) {
            puts_(b, " old, ");
            put_type(m, b, t);
            puts_(b, " cmp) { return ");
            put_struct_name(b, st);
            puts_(b, "(old, old == cmp); }\n");
        } else if (k->id == BI_FREXP) {
            puts_(b, " x) { ");
            put_type(m, b, st->members[1].type);
            puts_(b, " e; ");
            put_type(m, b, t);
            puts_(b, " f = frexp(x, e); return ");
            put_struct_name(b, st);
            puts_(b, "(f, e); }\n");
        } else {
            puts_(b, " x) { ");
            put_type(m, b, t);
            puts_(b, " w; ");
            put_type(m, b, t);
            puts_(b, " f = modf(x, w); return ");
            put_struct_name(b, st);
            puts_(b, "(f, w); }\n");
        }
    }
}

void wgsl_emit_glsl(wgsl_ctx *ctx, wgsl_program *program, wgsl_decl *entry,
                    char **out, size_t *out_size)
{
    emitter em = {0}, *m = &em;
    m->ctx = ctx;
    m->program = program;
    m->structs.ctx = m->zeros.ctx = m->globals.ctx = m->fns.ctx = ctx;
    /* functions first: they decide which structs and zero helpers exist */
    emit_fn(m, entry);
    sbuf main = {ctx, NULL, 0, 0};
    /* the entry wrapper: zero-fill private and workgroup memory, then call
     * the WGSL entry with the built-in values */
    puts_(&main, "void main() {\n");
    m->indent = 1;
    bool workgroup = false;
    for (int i = 0; i < program->count; i++) {
        wgsl_decl *d = program->decls[i];
        if (d->kind != DECL_VAR)
            continue;
        emit_struct_deps(m, d->type);
        if (d->space == SPACE_PRIVATE) {
            sbuf name = {ctx, NULL, 0, 0};
            put_sym(&name, d->sym);
            if (d->init) {
                indent(m, &main);
                putf(&main, "%s = ", name.data);
                emit_expr(m, &main, d->init);
                puts_(&main, ";\n");
            } else {
                zero_store(m, &main, name.data, d->type, 0);
            }
        } else if (d->space == SPACE_WORKGROUP) {
            workgroup = true;
            sbuf name = {ctx, NULL, 0, 0};
            put_sym(&name, d->sym);
            if (d->type->kind == WT_ARRAY) {
                /* arrays: the elements shared out among the invocations */
                putf(&main,
                     "    for (uint _wz = gl_LocalInvocationIndex; _wz < "
                     "%lldu; _wz += gl_WorkGroupSize.x * gl_WorkGroupSize.y "
                     "* gl_WorkGroupSize.z) {\n",
                     (long long)d->type->count);
                puts_(&name, "[_wz]");
                m->indent = 2;
                zero_store(m, &main, name.data, d->type->elem, 0);
                puts_(&main, "    }\n");
            } else {
                puts_(&main, "    if (gl_LocalInvocationIndex == 0u) {\n");
                m->indent = 2;
                zero_store(m, &main, name.data, d->type, 0);
                puts_(&main, "    }\n");
            }
            m->indent = 1;
        }
    }
    if (workgroup)
        puts_(&main, "    _wworkgroupBarrier();\n");
    puts_(&main, "    ");
    put_sym(&main, entry->sym);
    puts_(&main, "(");
    for (int i = 0; i < entry->nparams; i++) {
        static const char *const values[] = {"",
                                             "gl_GlobalInvocationID",
                                             "gl_LocalInvocationID",
                                             "gl_LocalInvocationIndex",
                                             "gl_WorkGroupID",
                                             "gl_NumWorkGroups"};
        if (i)
            puts_(&main, ", ");
        puts_(&main, values[entry->params[i]->builtin_value]);
    }
    puts_(&main, ");\n}\n");

    /* globals */
    for (int i = 0; i < program->count; i++) {
        wgsl_decl *d = program->decls[i];
        if (d->kind == DECL_OVERRIDE) {
            int id = d->override_id;
            if (id < 0) {
                id = 0;
                for (int j = 0; j < i; j++)
                    if (program->decls[j]->kind == DECL_OVERRIDE)
                        id++;
                id += 1000;
            }
            putf(&m->globals, "layout(constant_id = %d) const ", id);
            put_type(m, &m->globals, d->type);
            puts_(&m->globals, " ");
            put_sym(&m->globals, d->sym);
            puts_(&m->globals, " = ");
            put_value(m, &m->globals, d->sym->value);
            puts_(&m->globals, ";\n");
        } else if (d->kind == DECL_VAR) {
            if (d->is_resource) {
                emit_resource(m, d);
                continue;
            }
            if (d->space == SPACE_WORKGROUP)
                puts_(&m->globals, "shared ");
            put_type(m, &m->globals, d->type);
            puts_(&m->globals, " ");
            put_sym(&m->globals, d->sym);
            puts_(&m->globals, ";\n");
        }
    }

    sbuf all = {ctx, NULL, 0, 0};
    puts_(&all, "#version 450\n"
                "#extension GL_EXT_scalar_block_layout : require\n"
                "#extension GL_EXT_samplerless_texture_functions : require\n");
    if (program->enable_f16)
        puts_(&all,
              "#extension GL_EXT_shader_explicit_arithmetic_types_float16 "
              ": require\n"
              "#extension GL_EXT_shader_16bit_storage : require\n");
    /* workgroup size: constants, or overrides as specialization constants */
    puts_(&all, "layout(");
    static const char axes[] = "xyz";
    for (int i = 0; i < 3; i++) {
        wgsl_expr *w = entry->workgroup_size[i];
        if (i)
            puts_(&all, ", ");
        if (!w) {
            putf(&all, "local_size_%c = 1", axes[i]);
        } else if (w->value) {
            putf(&all, "local_size_%c = %lld", axes[i],
                 (long long)w->value->i[0]);
        } else {
            wgsl_decl *o = w->sym->decl;
            int id = o->override_id;
            if (id < 0) {
                id = 1000;
                for (int j = 0; j < program->count && program->decls[j] != o;
                     j++)
                    if (program->decls[j]->kind == DECL_OVERRIDE)
                        id++;
            }
            putf(&all, "local_size_%c = %lld, local_size_%c_id = %d", axes[i],
                 (long long)o->sym->value->i[0], axes[i], id);
        }
    }
    puts_(&all, ") in;\n");
    put(&all, m->structs.data ? m->structs.data : "", m->structs.length);
    sbuf makers = {ctx, NULL, 0, 0};
    emit_result_makers(m, &makers);
    put(&all, makers.data ? makers.data : "", makers.length);
    put(&all, m->zeros.data ? m->zeros.data : "", m->zeros.length);
    put(&all, m->globals.data ? m->globals.data : "", m->globals.length);
    emit_helpers(m, &all);
    put(&all, m->fns.data ? m->fns.data : "", m->fns.length);
    put(&all, main.data, main.length);
    char *text = malloc(all.length + 1);
    if (!text)
        wgsl_out_of_memory(ctx);
    memcpy(text, all.data, all.length + 1);
    *out = text;
    *out_size = all.length;
}

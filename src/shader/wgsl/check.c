/* check.c - resolves names and types, applies WGSL's conversion rules for
 * abstract-int and abstract-float values (every abstract expression is a
 * constant, so it is evaluated and materialized in its concrete type),
 * checks statements and calls, resolves builtin functions, and picks the
 * entry point. Every type error is reported here with its position. */
#include "wgsl_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct scope {
    wgsl_sym *syms;
    struct scope *parent;
} scope;

typedef struct checker {
    wgsl_ctx *ctx;
    wgsl_program *program;
    scope *globals;
    scope *current;
    wgsl_decl *fn; /* the function being checked */
    int loop_depth, switch_depth, continuing_depth;
    int unique;
    bool f16;
} checker;

#define FAIL(e, ...) wgsl_error(c->ctx, (e)->line, (e)->column, __VA_ARGS__)

static const char *tname(checker *c, const wgsl_type *t)
{
    return wgsl_type_name(c->ctx, t);
}

/* >>scopes ----------------------------------------------------------------- */

static wgsl_sym *lookup_in(scope *s, const char *name)
{
    for (wgsl_sym *sym = s->syms; sym; sym = sym->next)
        if (strcmp(sym->name, name) == 0)
            return sym;
    return NULL;
}

static wgsl_sym *lookup(checker *c, const char *name)
{
    for (scope *s = c->current; s; s = s->parent) {
        wgsl_sym *sym = lookup_in(s, name);
        if (sym)
            return sym;
    }
    return NULL;
}

static void push_scope(checker *c)
{
    scope *s = wgsl_alloc(c->ctx, sizeof *s);
    s->parent = c->current;
    c->current = s;
}
static void pop_scope(checker *c)
{
    c->current = c->current->parent;
}

static bool is_builtin_name(const char *name);
static bool is_type_name(const char *name);

static wgsl_sym *declare(checker *c, wgsl_sym_kind kind, const char *name,
                         wgsl_decl *decl, int line, int column)
{
    if (strcmp(name, "_") == 0)
        wgsl_error(c->ctx, line, column,
                   "'_' cannot be declared: it is only for phony "
                   "assignments ('_ = e;')");
    wgsl_sym *previous = lookup_in(c->current, name);
    if (previous)
        wgsl_error(c->ctx, line, column,
                   "redeclaration of '%s' (declared before at line %d)", name,
                   previous->decl ? previous->decl->line : 0);
    wgsl_sym *sym = wgsl_alloc(c->ctx, sizeof *sym);
    sym->kind = kind;
    sym->name = name;
    sym->decl = decl;
    sym->global = c->current == c->globals;
    sym->unique = sym->global ? 0 : ++c->unique;
    sym->next = c->current->syms;
    c->current->syms = sym;
    if (decl)
        decl->sym = sym;
    return sym;
}

/* >>values ------------------------------------------------------------------
 */

static void resolve_global(checker *c, wgsl_decl *d);
static const wgsl_type *check_expr(checker *c, wgsl_expr *e);
static void materialize(checker *c, wgsl_expr *e, const wgsl_type *to);

/* The concrete type an abstract type takes by default (i32, f32). */
static const wgsl_type *concretize_type(checker *c, const wgsl_type *t)
{
    switch (t->kind) {
    case WT_AINT: return wgsl_scalar(c->ctx, WT_I32);
    case WT_AFLOAT: return wgsl_scalar(c->ctx, WT_F32);
    case WT_VEC: return wgsl_vec(c->ctx, t->n, concretize_type(c, t->elem));
    case WT_MAT:
        return wgsl_mat(c->ctx, t->n, t->rows, concretize_type(c, t->elem));
    case WT_ARRAY:
        return wgsl_array(c->ctx, concretize_type(c, t->elem), t->count);
    default: return t;
    }
}

/* Whether a value of type from converts automatically to type to (the
 * "feasible automatic conversions" of abstract types; a reference's
 * load is implied). */
static bool converts(const wgsl_type *from, const wgsl_type *to)
{
    if (from == to)
        return true;
    if (from->kind == WT_AINT)
        return to->kind == WT_I32 || to->kind == WT_U32 || to->kind == WT_F32 ||
               to->kind == WT_F16 || to->kind == WT_AFLOAT;
    if (from->kind == WT_AFLOAT)
        return to->kind == WT_F32 || to->kind == WT_F16;
    if (from->kind == to->kind &&
        (from->kind == WT_VEC || from->kind == WT_MAT) && from->n == to->n &&
        from->rows == to->rows)
        return converts(from->elem, to->elem);
    if (from->kind == WT_ARRAY && to->kind == WT_ARRAY &&
        from->count == to->count)
        return converts(from->elem, to->elem);
    return false;
}

/* Makes e a value of type to, or fails with what was expected. */
static void convert(checker *c, wgsl_expr *e, const wgsl_type *to,
                    const char *what)
{
    const wgsl_type *from = e->type;
    if (from == to)
        return;
    if (!converts(from, to))
        FAIL(e, "%s has type '%s', expected '%s'", what, tname(c, from),
             tname(c, to));
    materialize(c, e, to);
}

/* An abstract expression becomes a constant of the concrete type. */
static void materialize(checker *c, wgsl_expr *e, const wgsl_type *to)
{
    if (!e->checked)
        check_expr(c, e);
    if (e->type == to)
        return;
    if (!e->value)
        e->value = wgsl_eval(c->ctx, e);
    if (!e->value)
        FAIL(e, "this abstract expression could not be evaluated: give it a "
                "concrete type, e.g. 1i, 1u or 1.0f");
    e->value = wgsl_value_convert(c->ctx, e->value, to, e->line, e->column);
    e->type = to;
    e->is_ref = false;
}

/* The value of e with abstract types made concrete (i32/f32). */
static const wgsl_type *concrete(checker *c, wgsl_expr *e)
{
    if (!e->checked)
        check_expr(c, e);
    if (wgsl_is_abstract(e->type))
        materialize(c, e, concretize_type(c, e->type));
    return e->type;
}

static bool is_const_expr(wgsl_expr *e)
{
    return e->value != NULL;
}

/* A non-negative integer constant (workgroup size, array count, attribute). */
static int64_t const_int(checker *c, wgsl_expr *e, const char *what)
{
    check_expr(c, e);
    const wgsl_type *t = e->type;
    if (!is_const_expr(e) ||
        !(t->kind == WT_AINT || t->kind == WT_I32 || t->kind == WT_U32))
        FAIL(e, "%s must be a constant integer expression, got %s'%s'", what,
             is_const_expr(e) ? "" : "a non-constant ", tname(c, t));
    return e->value->i[0];
}

/* >>types -------------------------------------------------------------------
 */

static const wgsl_type *resolve_type(checker *c, wgsl_expr *e);

static bool is_type_name(const char *name)
{
    static const char *const names[] = {"bool",
                                        "i32",
                                        "u32",
                                        "f32",
                                        "f16",
                                        "vec2",
                                        "vec3",
                                        "vec4",
                                        "vec2i",
                                        "vec3i",
                                        "vec4i",
                                        "vec2u",
                                        "vec3u",
                                        "vec4u",
                                        "vec2f",
                                        "vec3f",
                                        "vec4f",
                                        "vec2h",
                                        "vec3h",
                                        "vec4h",
                                        "mat2x2",
                                        "mat2x3",
                                        "mat2x4",
                                        "mat3x2",
                                        "mat3x3",
                                        "mat3x4",
                                        "mat4x2",
                                        "mat4x3",
                                        "mat4x4",
                                        "mat2x2f",
                                        "mat2x3f",
                                        "mat2x4f",
                                        "mat3x2f",
                                        "mat3x3f",
                                        "mat3x4f",
                                        "mat4x2f",
                                        "mat4x3f",
                                        "mat4x4f",
                                        "mat2x2h",
                                        "mat2x3h",
                                        "mat2x4h",
                                        "mat3x2h",
                                        "mat3x3h",
                                        "mat3x4h",
                                        "mat4x2h",
                                        "mat4x3h",
                                        "mat4x4h",
                                        "array",
                                        "atomic",
                                        "ptr",
                                        "sampler",
                                        "sampler_comparison",
                                        "texture_1d",
                                        "texture_2d",
                                        "texture_2d_array",
                                        "texture_3d",
                                        "texture_cube",
                                        "texture_cube_array",
                                        "texture_multisampled_2d",
                                        "texture_depth_2d",
                                        "texture_depth_2d_array",
                                        "texture_depth_cube",
                                        "texture_depth_cube_array",
                                        "texture_depth_multisampled_2d",
                                        "texture_storage_1d",
                                        "texture_storage_2d",
                                        "texture_storage_2d_array",
                                        "texture_storage_3d",
                                        NULL};
    for (int i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static const wgsl_type *scalar_by_name(checker *c, const char *name,
                                       wgsl_expr *at)
{
    if (strcmp(name, "bool") == 0)
        return wgsl_scalar(c->ctx, WT_BOOL);
    if (strcmp(name, "i32") == 0)
        return wgsl_scalar(c->ctx, WT_I32);
    if (strcmp(name, "u32") == 0)
        return wgsl_scalar(c->ctx, WT_U32);
    if (strcmp(name, "f32") == 0)
        return wgsl_scalar(c->ctx, WT_F32);
    if (strcmp(name, "f16") == 0) {
        if (!c->f16)
            FAIL(at, "f16 needs 'enable f16;' at the top of the shader");
        return wgsl_scalar(c->ctx, WT_F16);
    }
    return NULL;
}

static const wgsl_type *suffix_scalar(checker *c, char suffix, wgsl_expr *at)
{
    switch (suffix) {
    case 'i': return wgsl_scalar(c->ctx, WT_I32);
    case 'u': return wgsl_scalar(c->ctx, WT_U32);
    case 'f': return wgsl_scalar(c->ctx, WT_F32);
    case 'h': return scalar_by_name(c, "f16", at);
    default: return NULL;
    }
}

static void want_targs(checker *c, wgsl_expr *e, int min, int max)
{
    if (!e->has_template)
        FAIL(e, "'%s' needs template arguments, e.g. %s<f32>", e->name,
             e->name);
    if (e->ntargs < min || e->ntargs > max)
        FAIL(e, "'%s' takes %d%s%d template arguments, got %d", e->name, min,
             min == max ? "" : " to ", max, e->ntargs);
}

static const char *targ_ident(checker *c, wgsl_expr *e, const char *what)
{
    if (e->kind != EX_IDENT || e->has_template)
        FAIL(e, "expected %s", what);
    return e->name;
}

static const wgsl_type *sample_type(checker *c, wgsl_expr *e)
{
    const wgsl_type *t = resolve_type(c, e);
    if (t->kind != WT_F32 && t->kind != WT_I32 && t->kind != WT_U32)
        FAIL(e,
             "texture sample type '%s' is not allowed: expected f32, i32 "
             "or u32",
             tname(c, t));
    return t;
}

static wgsl_dim dim_of(const char *suffix)
{
    if (strcmp(suffix, "1d") == 0)
        return DIM_1D;
    if (strcmp(suffix, "2d") == 0)
        return DIM_2D;
    if (strcmp(suffix, "2d_array") == 0)
        return DIM_2D_ARRAY;
    if (strcmp(suffix, "3d") == 0)
        return DIM_3D;
    if (strcmp(suffix, "cube") == 0)
        return DIM_CUBE;
    if (strcmp(suffix, "cube_array") == 0)
        return DIM_CUBE_ARRAY;
    return 0;
}

/* The type a type expression names, or NULL when the name is not a type
 * (then it may be a value: the caller decides). */
static const wgsl_type *try_type(checker *c, wgsl_expr *e)
{
    if (e->kind != EX_IDENT)
        return NULL;
    const char *name = e->name;
    wgsl_ctx *ctx = c->ctx;
    wgsl_sym *sym = lookup(c, name);
    if (sym) {
        if (sym->kind == SYM_STRUCT || sym->kind == SYM_ALIAS) {
            resolve_global(c, sym->decl);
            if (e->has_template)
                FAIL(e, "'%s' takes no template arguments", name);
            return sym->type;
        }
        return NULL;
    }
    const wgsl_type *s = scalar_by_name(c, name, e);
    if (s) {
        if (e->has_template)
            FAIL(e, "'%s' takes no template arguments", name);
        return s;
    }
    size_t length = strlen(name);
    if (strncmp(name, "vec", 3) == 0 && length >= 4 && name[3] >= '2' &&
        name[3] <= '4' && (length == 4 || length == 5)) {
        int n = name[3] - '0';
        if (length == 5) {
            const wgsl_type *el = suffix_scalar(c, name[4], e);
            if (!el)
                return NULL;
            return wgsl_vec(ctx, n, el);
        }
        if (!e->has_template)
            return wgsl_vec(ctx, n, NULL); /* inferred: constructor only */
        want_targs(c, e, 1, 1);
        const wgsl_type *el = resolve_type(c, e->targs[0]);
        if (!wgsl_is_scalar(el) || wgsl_is_abstract(el))
            FAIL(e->targs[0],
                 "vector element type must be a scalar (bool, "
                 "i32, u32, f32, f16), got '%s'",
                 tname(c, el));
        return wgsl_vec(ctx, n, el);
    }
    if (strncmp(name, "mat", 3) == 0 && (length == 6 || length == 7) &&
        name[3] >= '2' && name[3] <= '4' && name[4] == 'x' && name[5] >= '2' &&
        name[5] <= '4') {
        int cols = name[3] - '0', rows = name[5] - '0';
        if (length == 7) {
            if (name[6] != 'f' && name[6] != 'h')
                return NULL;
            return wgsl_mat(ctx, cols, rows, suffix_scalar(c, name[6], e));
        }
        if (!e->has_template)
            return wgsl_mat(ctx, cols, rows, NULL);
        want_targs(c, e, 1, 1);
        const wgsl_type *el = resolve_type(c, e->targs[0]);
        if (el->kind != WT_F32 && el->kind != WT_F16)
            FAIL(e->targs[0],
                 "matrix element type must be f32 or f16, got "
                 "'%s'",
                 tname(c, el));
        return wgsl_mat(ctx, cols, rows, el);
    }
    if (strcmp(name, "array") == 0) {
        if (!e->has_template)
            return wgsl_array(ctx, NULL, 0); /* inferred: constructor only */
        want_targs(c, e, 1, 2);
        const wgsl_type *el = resolve_type(c, e->targs[0]);
        if (!wgsl_is_constructible(el) && el->kind != WT_ATOMIC &&
            !(el->kind == WT_STRUCT))
            FAIL(e->targs[0],
                 "'%s' cannot be an array element: expected a "
                 "scalar, vector, matrix, fixed-size array, "
                 "struct or atomic",
                 tname(c, el));
        if (el->kind == WT_ARRAY && el->count == 0)
            FAIL(e->targs[0], "a runtime-sized array cannot be an array "
                              "element");
        int64_t count = 0;
        if (e->ntargs == 2) {
            count = const_int(c, e->targs[1], "the array element count");
            if (count <= 0)
                FAIL(e->targs[1],
                     "array element count must be positive, got "
                     "%lld",
                     (long long)count);
            if (count > WGSL_MAX_ARRAY_ELEMENTS)
                FAIL(e->targs[1],
                     "array of %lld elements is larger than this "
                     "compiler's limit of %d",
                     (long long)count, WGSL_MAX_ARRAY_ELEMENTS);
        }
        return wgsl_array(ctx, el, count);
    }
    if (strcmp(name, "atomic") == 0) {
        want_targs(c, e, 1, 1);
        const wgsl_type *el = resolve_type(c, e->targs[0]);
        if (el->kind != WT_I32 && el->kind != WT_U32)
            FAIL(e->targs[0],
                 "atomic type must be atomic<i32> or "
                 "atomic<u32>, got atomic<%s>",
                 tname(c, el));
        return wgsl_type_get(ctx, (wgsl_type){.kind = WT_ATOMIC, .elem = el});
    }
    if (strcmp(name, "ptr") == 0) {
        want_targs(c, e, 2, 3);
        const char *space = targ_ident(c, e->targs[0], "an address space");
        static const char *const spaces[] = {
            "", "function", "private", "workgroup", "uniform", "storage", NULL};
        wgsl_space sp = SPACE_NONE;
        for (int i = 1; spaces[i]; i++)
            if (strcmp(space, spaces[i]) == 0)
                sp = (wgsl_space)i;
        if (sp == SPACE_NONE)
            FAIL(e->targs[0],
                 "unknown address space '%s': expected "
                 "function, private, workgroup, uniform or "
                 "storage",
                 space);
        const wgsl_type *el = resolve_type(c, e->targs[1]);
        wgsl_access access = sp == SPACE_STORAGE   ? ACCESS_READ
                             : sp == SPACE_UNIFORM ? ACCESS_READ
                                                   : ACCESS_READ_WRITE;
        if (e->ntargs == 3) {
            const char *a = targ_ident(c, e->targs[2], "an access mode");
            if (sp != SPACE_STORAGE)
                FAIL(e->targs[2], "an access mode is only allowed for the "
                                  "storage address space");
            if (strcmp(a, "read") == 0)
                access = ACCESS_READ;
            else if (strcmp(a, "read_write") == 0)
                access = ACCESS_READ_WRITE;
            else
                FAIL(e->targs[2],
                     "unknown access mode '%s': expected read "
                     "or read_write",
                     a);
        }
        return wgsl_ptr(ctx, sp, el, access);
    }
    if (strcmp(name, "sampler") == 0)
        return wgsl_scalar(ctx, WT_SAMPLER);
    if (strcmp(name, "sampler_comparison") == 0)
        return wgsl_scalar(ctx, WT_SAMPLER_COMPARISON);
    if (strncmp(name, "texture_storage_", 16) == 0) {
        wgsl_dim dim = dim_of(name + 16);
        if (!dim || dim == DIM_CUBE || dim == DIM_CUBE_ARRAY)
            return NULL;
        want_targs(c, e, 2, 2);
        const char *format = targ_ident(c, e->targs[0], "a texel format");
        int f = -1;
        for (int i = 0; i < wgsl_format_count; i++)
            if (strcmp(format, wgsl_formats[i].wgsl) == 0)
                f = i;
        if (f < 0)
            FAIL(e->targs[0],
                 "unknown texel format '%s': expected one of "
                 "rgba8unorm, rgba8snorm, rgba8uint, rgba8sint, "
                 "rgba16uint, rgba16sint, rgba16float, r32uint, "
                 "r32sint, r32float, rg32uint, rg32sint, "
                 "rg32float, rgba32uint, rgba32sint, "
                 "rgba32float, bgra8unorm",
                 format);
        const char *a = targ_ident(c, e->targs[1], "an access mode");
        wgsl_access access = strcmp(a, "read") == 0         ? ACCESS_READ
                             : strcmp(a, "write") == 0      ? ACCESS_WRITE
                             : strcmp(a, "read_write") == 0 ? ACCESS_READ_WRITE
                                                            : ACCESS_NONE;
        if (access == ACCESS_NONE)
            FAIL(e->targs[1],
                 "unknown access mode '%s': expected read, "
                 "write or read_write",
                 a);
        return wgsl_type_get(ctx, (wgsl_type){.kind = WT_STORAGE_TEXTURE,
                                              .dim = dim,
                                              .format = f,
                                              .access = access});
    }
    if (strncmp(name, "texture_depth_", 14) == 0) {
        const char *rest = name + 14;
        bool ms = strncmp(rest, "multisampled_", 13) == 0;
        wgsl_dim dim = dim_of(ms ? rest + 13 : rest);
        if (!dim || dim == DIM_1D || dim == DIM_3D)
            return NULL;
        return wgsl_type_get(ctx,
                             (wgsl_type){.kind = WT_TEXTURE,
                                         .dim = dim,
                                         .depth = true,
                                         .multisampled = ms,
                                         .elem = wgsl_scalar(ctx, WT_F32)});
    }
    if (strncmp(name, "texture_multisampled_", 21) == 0) {
        if (strcmp(name + 21, "2d") != 0)
            return NULL;
        want_targs(c, e, 1, 1);
        return wgsl_type_get(ctx,
                             (wgsl_type){.kind = WT_TEXTURE,
                                         .dim = DIM_2D,
                                         .multisampled = true,
                                         .elem = sample_type(c, e->targs[0])});
    }
    if (strncmp(name, "texture_", 8) == 0) {
        wgsl_dim dim = dim_of(name + 8);
        if (!dim)
            return NULL;
        want_targs(c, e, 1, 1);
        return wgsl_type_get(ctx,
                             (wgsl_type){.kind = WT_TEXTURE,
                                         .dim = dim,
                                         .elem = sample_type(c, e->targs[0])});
    }
    return NULL;
}

static const wgsl_type *resolve_type(checker *c, wgsl_expr *e)
{
    const wgsl_type *t = try_type(c, e);
    if (t == NULL) {
        if (e->kind == EX_IDENT && lookup(c, e->name))
            FAIL(e, "'%s' is not a type", e->name);
        if (e->kind == EX_IDENT)
            FAIL(e, "unknown type '%s'", e->name);
        FAIL(e, "expected a type");
    }
    if ((t->kind == WT_VEC || t->kind == WT_MAT || t->kind == WT_ARRAY) &&
        t->elem == NULL)
        FAIL(e, "'%s' needs its element type here, e.g. %s<f32>", e->name,
             e->name);
    return t;
}

/* >>global declarations ---------------------------------------------------- */

static wgsl_attr *find_attr(wgsl_attr *attrs, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(attrs[i].name, name) == 0)
            return &attrs[i];
    return NULL;
}

static int64_t attr_int(checker *c, wgsl_attr *a, const char *what)
{
    if (a->nargs != 1)
        wgsl_error(c->ctx, a->line, a->column, "@%s takes one argument (%s)",
                   a->name, what);
    return const_int(c, a->args[0], what);
}

static void check_attrs_known(checker *c, wgsl_attr *attrs, int count,
                              const char *const *allowed, const char *where)
{
    for (int i = 0; i < count; i++) {
        bool ok = false;
        for (int j = 0; allowed[j]; j++)
            if (strcmp(attrs[i].name, allowed[j]) == 0)
                ok = true;
        if (!ok)
            wgsl_error(c->ctx, attrs[i].line, attrs[i].column,
                       "attribute @%s is not allowed on %s", attrs[i].name,
                       where);
    }
}

static void check_value_decl(checker *c, wgsl_decl *d);

static void resolve_struct(checker *c, wgsl_decl *d)
{
    wgsl_struct *st = d->st;
    static const char *const allowed[] = {
        "align",       "size",      "builtin", "location",
        "interpolate", "invariant", NULL};
    d->sym->type =
        wgsl_type_get(c->ctx, (wgsl_type){.kind = WT_STRUCT, .st = st});
    if (st->member_count == 0)
        wgsl_error(c->ctx, d->line, d->column,
                   "struct '%s' has no members: expected at least one",
                   d->name);
    for (int i = 0; i < st->member_count; i++) {
        wgsl_member *m = &st->members[i];
        for (int j = 0; j < i; j++)
            if (strcmp(st->members[j].name, m->name) == 0)
                wgsl_error(c->ctx, m->line, m->column,
                           "struct '%s' has two members named '%s'", d->name,
                           m->name);
        m->type = resolve_type(c, d->member_types[i]);
        const wgsl_type *t = m->type;
        if (t->kind == WT_PTR || t->kind == WT_SAMPLER ||
            t->kind == WT_SAMPLER_COMPARISON || t->kind == WT_TEXTURE ||
            t->kind == WT_STORAGE_TEXTURE)
            wgsl_error(c->ctx, m->line, m->column,
                       "struct member '%s' has type '%s', which cannot be a "
                       "struct member",
                       m->name, tname(c, t));
        if (t->kind == WT_ARRAY && t->count == 0 && i != st->member_count - 1)
            wgsl_error(c->ctx, m->line, m->column,
                       "runtime-sized array '%s' must be the last member of "
                       "the struct",
                       m->name);
        if (t->kind == WT_STRUCT && t->st->member_count > 0) {
            const wgsl_type *last =
                t->st->members[t->st->member_count - 1].type;
            if (last && last->kind == WT_ARRAY && last->count == 0)
                wgsl_error(c->ctx, m->line, m->column,
                           "struct '%s' ends with a runtime-sized array and "
                           "cannot be a member of another struct",
                           t->st->name);
        }
        check_attrs_known(c, d->member_attrs[i], d->member_nattrs[i], allowed,
                          "a struct member");
        wgsl_attr *a =
            find_attr(d->member_attrs[i], d->member_nattrs[i], "align");
        if (a) {
            m->align_attr = attr_int(c, a, "the alignment in bytes");
            if (m->align_attr <= 0 || (m->align_attr & (m->align_attr - 1)) ||
                m->align_attr > 65536)
                wgsl_error(c->ctx, a->line, a->column,
                           "@align must be a positive power of two, got %lld",
                           (long long)m->align_attr);
        }
        a = find_attr(d->member_attrs[i], d->member_nattrs[i], "size");
        if (a) {
            m->size_attr = attr_int(c, a, "the size in bytes");
            if (wgsl_is_host_shareable(t) &&
                (uint64_t)m->size_attr < wgsl_size_of(c->ctx, t))
                wgsl_error(c->ctx, a->line, a->column,
                           "@size(%lld) is smaller than the member's size %llu",
                           (long long)m->size_attr,
                           (unsigned long long)wgsl_size_of(c->ctx, t));
        }
    }
}

static void resolve_global(checker *c, wgsl_decl *d)
{
    if (d->resolved)
        return;
    if (d->resolving)
        wgsl_error(c->ctx, d->line, d->column,
                   "'%s' depends on itself: declarations must not be "
                   "cyclic",
                   d->name ? d->name : "declaration");
    d->resolving = 1;
    scope *saved = c->current;
    wgsl_decl *saved_fn = c->fn;
    c->current = c->globals;
    c->fn = NULL;
    switch (d->kind) {
    case DECL_STRUCT: resolve_struct(c, d); break;
    case DECL_ALIAS:
        d->type = resolve_type(c, d->type_expr);
        d->sym->type = d->type;
        break;
    case DECL_CONST:
    case DECL_OVERRIDE:
    case DECL_VAR: check_value_decl(c, d); break;
    default: break;
    }
    c->current = saved;
    c->fn = saved_fn;
    d->resolving = 0;
    d->resolved = true;
}

/* >>builtin function names --------------------------------------------------
 */

static const struct {
    const char *name;
    wgsl_builtin_id id;
} builtin_names[] = {
    {"acos", BI_ACOS},
    {"acosh", BI_ACOSH},
    {"asin", BI_ASIN},
    {"asinh", BI_ASINH},
    {"atan", BI_ATAN},
    {"atanh", BI_ATANH},
    {"ceil", BI_CEIL},
    {"cos", BI_COS},
    {"cosh", BI_COSH},
    {"degrees", BI_DEGREES},
    {"exp", BI_EXP},
    {"exp2", BI_EXP2},
    {"floor", BI_FLOOR},
    {"fract", BI_FRACT},
    {"inverseSqrt", BI_INVERSE_SQRT},
    {"log", BI_LOG},
    {"log2", BI_LOG2},
    {"quantizeToF16", BI_QUANTIZE_TO_F16},
    {"radians", BI_RADIANS},
    {"round", BI_ROUND},
    {"saturate", BI_SATURATE},
    {"sin", BI_SIN},
    {"sinh", BI_SINH},
    {"sqrt", BI_SQRT},
    {"tan", BI_TAN},
    {"tanh", BI_TANH},
    {"trunc", BI_TRUNC},
    {"atan2", BI_ATAN2},
    {"pow", BI_POW},
    {"step", BI_STEP},
    {"smoothstep", BI_SMOOTHSTEP},
    {"fma", BI_FMA},
    {"mix", BI_MIX},
    {"abs", BI_ABS},
    {"clamp", BI_CLAMP},
    {"max", BI_MAX},
    {"min", BI_MIN},
    {"sign", BI_SIGN},
    {"countLeadingZeros", BI_COUNT_LEADING_ZEROS},
    {"countOneBits", BI_COUNT_ONE_BITS},
    {"countTrailingZeros", BI_COUNT_TRAILING_ZEROS},
    {"firstLeadingBit", BI_FIRST_LEADING_BIT},
    {"firstTrailingBit", BI_FIRST_TRAILING_BIT},
    {"reverseBits", BI_REVERSE_BITS},
    {"extractBits", BI_EXTRACT_BITS},
    {"insertBits", BI_INSERT_BITS},
    {"cross", BI_CROSS},
    {"distance", BI_DISTANCE},
    {"dot", BI_DOT},
    {"length", BI_LENGTH},
    {"normalize", BI_NORMALIZE},
    {"faceForward", BI_FACE_FORWARD},
    {"reflect", BI_REFLECT},
    {"refract", BI_REFRACT},
    {"determinant", BI_DETERMINANT},
    {"transpose", BI_TRANSPOSE},
    {"frexp", BI_FREXP},
    {"modf", BI_MODF},
    {"ldexp", BI_LDEXP},
    {"select", BI_SELECT},
    {"all", BI_ALL},
    {"any", BI_ANY},
    {"arrayLength", BI_ARRAY_LENGTH},
    {"bitcast", BI_BITCAST},
    {"pack4x8snorm", BI_PACK4X8SNORM},
    {"pack4x8unorm", BI_PACK4X8UNORM},
    {"pack2x16snorm", BI_PACK2X16SNORM},
    {"pack2x16unorm", BI_PACK2X16UNORM},
    {"pack2x16float", BI_PACK2X16FLOAT},
    {"unpack4x8snorm", BI_UNPACK4X8SNORM},
    {"unpack4x8unorm", BI_UNPACK4X8UNORM},
    {"unpack2x16snorm", BI_UNPACK2X16SNORM},
    {"unpack2x16unorm", BI_UNPACK2X16UNORM},
    {"unpack2x16float", BI_UNPACK2X16FLOAT},
    {"pack4xI8", BI_PACK4XI8},
    {"pack4xU8", BI_PACK4XU8},
    {"pack4xI8Clamp", BI_PACK4XI8_CLAMP},
    {"pack4xU8Clamp", BI_PACK4XU8_CLAMP},
    {"unpack4xI8", BI_UNPACK4XI8},
    {"unpack4xU8", BI_UNPACK4XU8},
    {"dot4U8Packed", BI_DOT4U8_PACKED},
    {"dot4I8Packed", BI_DOT4I8_PACKED},
    {"atomicLoad", BI_ATOMIC_LOAD},
    {"atomicStore", BI_ATOMIC_STORE},
    {"atomicAdd", BI_ATOMIC_ADD},
    {"atomicSub", BI_ATOMIC_SUB},
    {"atomicMax", BI_ATOMIC_MAX},
    {"atomicMin", BI_ATOMIC_MIN},
    {"atomicAnd", BI_ATOMIC_AND},
    {"atomicOr", BI_ATOMIC_OR},
    {"atomicXor", BI_ATOMIC_XOR},
    {"atomicExchange", BI_ATOMIC_EXCHANGE},
    {"atomicCompareExchangeWeak", BI_ATOMIC_COMPARE_EXCHANGE_WEAK},
    {"workgroupBarrier", BI_WORKGROUP_BARRIER},
    {"storageBarrier", BI_STORAGE_BARRIER},
    {"textureBarrier", BI_TEXTURE_BARRIER},
    {"workgroupUniformLoad", BI_WORKGROUP_UNIFORM_LOAD},
    {"textureDimensions", BI_TEXTURE_DIMENSIONS},
    {"textureLoad", BI_TEXTURE_LOAD},
    {"textureStore", BI_TEXTURE_STORE},
    {"textureSampleLevel", BI_TEXTURE_SAMPLE_LEVEL},
    {"textureNumLevels", BI_TEXTURE_NUM_LEVELS},
    {"textureNumLayers", BI_TEXTURE_NUM_LAYERS},
    {"textureNumSamples", BI_TEXTURE_NUM_SAMPLES},
    {"textureSampleGrad", BI_TEXTURE_SAMPLE_GRAD},
    {"textureGather", BI_TEXTURE_GATHER},
    {"textureSampleCompareLevel", BI_TEXTURE_SAMPLE_COMPARE_LEVEL},
    {"textureSampleBaseClampToEdge", BI_TEXTURE_SAMPLE_BASE_CLAMP_TO_EDGE},
};

static wgsl_builtin_id builtin_id(const char *name)
{
    for (size_t i = 0; i < sizeof builtin_names / sizeof builtin_names[0]; i++)
        if (strcmp(builtin_names[i].name, name) == 0)
            return builtin_names[i].id;
    return BI_NONE;
}

static bool is_builtin_name(const char *name)
{
    return builtin_id(name) != BI_NONE;
}

/* Builtins that only exist in fragment shaders, with what to use instead. */
static const char *fragment_only(const char *name)
{
    static const char *const names[] = {"dpdx",
                                        "dpdxCoarse",
                                        "dpdxFine",
                                        "dpdy",
                                        "dpdyCoarse",
                                        "dpdyFine",
                                        "fwidth",
                                        "fwidthCoarse",
                                        "fwidthFine",
                                        "textureSample",
                                        "textureSampleBias",
                                        "textureSampleCompare",
                                        NULL};
    for (int i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return names[i];
    return NULL;
}

wgsl_struct *wgsl_result_struct(wgsl_ctx *ctx, wgsl_builtin_id id,
                                const wgsl_type *type)
{
    for (wgsl_result_cache *k = ctx->results; k; k = k->next)
        if (k->id == (int)id && k->type == type)
            return k->st;
    wgsl_struct *st = wgsl_alloc(ctx, sizeof *st);
    st->builtin_result = true;
    st->member_count = 2;
    st->members = wgsl_alloc(ctx, 2 * sizeof *st->members);
    char name[64];
    snprintf(name, sizeof name, "result%d", ++ctx->result_serial);
    st->name = wgsl_strndup(ctx, name, strlen(name));
    if (id == BI_FREXP) {
        st->members[0].name = "fract";
        st->members[0].type = type;
        st->members[1].name = "exp";
        st->members[1].type =
            type->kind == WT_VEC
                ? wgsl_vec(ctx, type->n, wgsl_scalar(ctx, WT_I32))
                : wgsl_scalar(ctx, WT_I32);
    } else if (id == BI_MODF) {
        st->members[0].name = "fract";
        st->members[0].type = type;
        st->members[1].name = "whole";
        st->members[1].type = type;
    } else {
        st->members[0].name = "old_value";
        st->members[0].type = type;
        st->members[1].name = "exchanged";
        st->members[1].type = wgsl_scalar(ctx, WT_BOOL);
    }
    wgsl_result_cache *k = wgsl_alloc(ctx, sizeof *k);
    k->id = (int)id;
    k->type = type;
    k->st = st;
    k->next = ctx->results;
    ctx->results = k;
    return st;
}

/* >>expressions -------------------------------------------------------------
 */

static const wgsl_type *bool_t(checker *c)
{
    return wgsl_scalar(c->ctx, WT_BOOL);
}
static const wgsl_type *u32_t(checker *c)
{
    return wgsl_scalar(c->ctx, WT_U32);
}
static const wgsl_type *i32_t(checker *c)
{
    return wgsl_scalar(c->ctx, WT_I32);
}
static const wgsl_type *f32_t(checker *c)
{
    return wgsl_scalar(c->ctx, WT_F32);
}

/* The value type of a checked expression (a reference is loaded). */
static const wgsl_type *value_type(checker *c, wgsl_expr *e)
{
    const wgsl_type *t = check_expr(c, e);
    if (t->kind == WT_VOID)
        FAIL(e, "this call returns no value");
    if (e->is_ref && t->kind == WT_ATOMIC)
        FAIL(e, "an atomic cannot be loaded directly: use atomicLoad(&...)");
    return t;
}

/* The common type of several values for an operator or builtin: the
 * concrete type if one is concrete, else the "highest" abstract type. */
static const wgsl_type *common_type(checker *c, wgsl_expr **es, int n,
                                    const char *what)
{
    const wgsl_type *best = NULL;
    for (int i = 0; i < n; i++) {
        const wgsl_type *t = es[i]->type;
        if (!best || best == t) {
            best = t;
            continue;
        }
        if (converts(best, t))
            best = t;
        else if (!converts(t, best))
            FAIL(es[i], "%s: operand of type '%s' does not match '%s'", what,
                 tname(c, t), tname(c, best));
    }
    for (int i = 0; i < n; i++)
        convert(c, es[i], best, "operand");
    return best;
}

static bool is_vec_of(const wgsl_type *t, bool (*pred)(const wgsl_type *))
{
    if (t->kind == WT_VEC)
        return pred(t->elem);
    return pred(t);
}

static int vec_n(const wgsl_type *t)
{
    return t->kind == WT_VEC ? t->n : 1;
}

static const wgsl_type *with_elem(checker *c, const wgsl_type *shape,
                                  const wgsl_type *elem)
{
    if (shape->kind == WT_VEC)
        return wgsl_vec(c->ctx, shape->n, elem);
    return elem;
}

/* A vector and a scalar of the same element type: the scalar operand is
 * splat by the operator (WGSL allows vec op scalar for arithmetic). */
static const wgsl_type *check_binary(checker *c, wgsl_expr *e)
{
    const wgsl_type *a = value_type(c, e->a);
    const wgsl_type *b = value_type(c, e->b);
    wgsl_tok op = e->op;
    const char *sym = wgsl_token_name(op);
    if (op == TK_ANDAND || op == TK_OROR) {
        convert(c, e->a, bool_t(c), "the left operand of a logical operator");
        convert(c, e->b, bool_t(c), "the right operand of a logical operator");
        return bool_t(c);
    }
    if (op == TK_SHL || op == TK_SHR) {
        if (!is_vec_of(a, wgsl_is_integer_scalar))
            FAIL(e->a,
                 "the left operand of '%s' must be an integer or "
                 "integer vector, got '%s'",
                 sym, tname(c, a));
        const wgsl_type *want_b = with_elem(
            c, a,
            wgsl_scalar(c->ctx, a->kind == WT_VEC && wgsl_is_abstract(a->elem)
                                    ? WT_U32
                                    : WT_U32));
        if (wgsl_is_abstract(a) && !wgsl_is_abstract(b)) {
            materialize(c, e->a, concretize_type(c, a));
            a = e->a->type;
        }
        if (wgsl_is_abstract(b))
            materialize(c, e->b, with_elem(c, b, u32_t(c)));
        b = e->b->type;
        if (b != want_b && !(wgsl_is_abstract(a)))
            FAIL(e->b, "the shift amount must be '%s', got '%s'",
                 tname(c, want_b), tname(c, b));
        return e->a->type;
    }
    /* matrix products */
    if (op == TK_STAR && (a->kind == WT_MAT || b->kind == WT_MAT)) {
        const wgsl_type *ma = concrete(c, e->a), *mb = concrete(c, e->b);
        if (ma->kind == WT_MAT && mb->kind == WT_MAT) {
            if (ma->n != mb->rows || ma->elem != mb->elem)
                FAIL(e,
                     "cannot multiply '%s' by '%s': the left matrix's "
                     "column count must equal the right's row count",
                     tname(c, ma), tname(c, mb));
            return wgsl_mat(c->ctx, mb->n, ma->rows, ma->elem);
        }
        if (ma->kind == WT_MAT && mb->kind == WT_VEC) {
            if (mb->n != ma->n || mb->elem != ma->elem)
                FAIL(e,
                     "cannot multiply '%s' by '%s': expected a vector of "
                     "%d components",
                     tname(c, ma), tname(c, mb), ma->n);
            return wgsl_vec(c->ctx, ma->rows, ma->elem);
        }
        if (ma->kind == WT_VEC && mb->kind == WT_MAT) {
            if (ma->n != mb->rows || ma->elem != mb->elem)
                FAIL(e,
                     "cannot multiply '%s' by '%s': expected a vector of "
                     "%d components",
                     tname(c, ma), tname(c, mb), mb->rows);
            return wgsl_vec(c->ctx, mb->n, mb->elem);
        }
        const wgsl_type *m = ma->kind == WT_MAT ? ma : mb;
        wgsl_expr *s = ma->kind == WT_MAT ? e->b : e->a;
        convert(c, s, m->elem, "the scalar operand");
        return m;
    }
    if (a->kind == WT_MAT || b->kind == WT_MAT) {
        if (op != TK_PLUS && op != TK_MINUS)
            FAIL(e, "operator '%s' is not defined for matrices", sym);
        wgsl_expr *both[2] = {e->a, e->b};
        return common_type(c, both, 2, "matrix operands");
    }
    /* vector op scalar: match element types, keep the vector shape */
    const wgsl_type *ea = wgsl_scalar_of(a), *eb = wgsl_scalar_of(b);
    if ((a->kind == WT_VEC) != (b->kind == WT_VEC)) {
        if (op == TK_AMP || op == TK_PIPE || op == TK_CARET || op == TK_EQEQ ||
            op == TK_NE || op == TK_LT || op == TK_GT || op == TK_LE ||
            op == TK_GE)
            FAIL(e,
                 "operator '%s' needs two vectors or two scalars, got "
                 "'%s' and '%s'",
                 sym, tname(c, a), tname(c, b));
        if (!wgsl_is_scalar(a) && a->kind != WT_VEC)
            FAIL(e->a, "operator '%s' is not defined for '%s'", sym,
                 tname(c, a));
        if (!wgsl_is_scalar(b) && b->kind != WT_VEC)
            FAIL(e->b, "operator '%s' is not defined for '%s'", sym,
                 tname(c, b));
        const wgsl_type *el;
        if (converts(ea, eb))
            el = eb;
        else if (converts(eb, ea))
            el = ea;
        else
            FAIL(e, "operator '%s' cannot combine '%s' and '%s'", sym,
                 tname(c, a), tname(c, b));
        convert(c, e->a, with_elem(c, a, el), "the left operand");
        convert(c, e->b, with_elem(c, b, el), "the right operand");
        a = e->a->type;
        b = e->b->type;
        ea = el;
        if (el->kind == WT_BOOL)
            FAIL(e, "operator '%s' is not defined for bool", sym);
        return a->kind == WT_VEC ? a : b;
    }
    wgsl_expr *both[2] = {e->a, e->b};
    if (a->kind == WT_VEC && b->kind == WT_VEC && a->n != b->n)
        FAIL(e,
             "operator '%s' needs vectors of the same size, got '%s' and "
             "'%s'",
             sym, tname(c, a), tname(c, b));
    if (!wgsl_is_scalar(ea))
        FAIL(e->a, "operator '%s' is not defined for '%s'", sym, tname(c, a));
    const wgsl_type *t = common_type(c, both, 2, "binary operator");
    const wgsl_type *el = wgsl_scalar_of(t);
    switch (op) {
    case TK_PLUS:
    case TK_MINUS:
    case TK_STAR:
    case TK_SLASH:
    case TK_PERCENT:
        if (el->kind == WT_BOOL)
            FAIL(e, "operator '%s' is not defined for '%s'", sym, tname(c, t));
        return t;
    case TK_AMP:
    case TK_PIPE:
    case TK_CARET:
        if (wgsl_is_float_scalar(el))
            FAIL(e,
                 "operator '%s' is not defined for '%s': expected "
                 "integers or bools",
                 sym, tname(c, t));
        if (el->kind == WT_BOOL && op == TK_CARET)
            FAIL(e, "operator '^' is not defined for bool: use '!='");
        return t;
    case TK_EQEQ:
    case TK_NE: return with_elem(c, t, bool_t(c));
    case TK_LT:
    case TK_GT:
    case TK_LE:
    case TK_GE:
        if (el->kind == WT_BOOL)
            FAIL(e, "operator '%s' is not defined for bool", sym);
        return with_elem(c, t, bool_t(c));
    default: FAIL(e, "unknown operator");
    }
}

static const wgsl_type *check_unary(checker *c, wgsl_expr *e)
{
    switch (e->op) {
    case TK_AMP: {
        check_expr(c, e->a);
        if (!e->a->is_ref)
            FAIL(e, "'&' needs a variable or a part of one (a reference), "
                    "got a value");
        if (e->a->member_index == -2)
            FAIL(e, "'&' cannot take the address of a vector component");
        e->is_ref = false;
        return wgsl_ptr(c->ctx, e->a->space, e->a->type, e->a->access);
    }
    case TK_STAR: {
        const wgsl_type *t = check_expr(c, e->a);
        if (t->kind != WT_PTR || e->a->is_ref)
            FAIL(e, "'*' needs a pointer, got '%s'", tname(c, t));
        e->is_ref = true;
        e->space = t->space;
        e->access = t->access;
        return t->elem;
    }
    case TK_MINUS: {
        const wgsl_type *t = value_type(c, e->a);
        const wgsl_type *el = wgsl_scalar_of(t);
        if (!(wgsl_is_numeric_scalar(el)) || el->kind == WT_U32 ||
            t->kind == WT_ARRAY)
            FAIL(e,
                 "unary '-' needs a signed number or vector of them, got "
                 "'%s'",
                 tname(c, t));
        return t;
    }
    case TK_BANG: {
        const wgsl_type *t = value_type(c, e->a);
        if (wgsl_scalar_of(t)->kind != WT_BOOL || t->kind == WT_ARRAY ||
            t->kind == WT_MAT)
            FAIL(e, "'!' needs a bool or vector of bools, got '%s'",
                 tname(c, t));
        return t;
    }
    case TK_TILDE: {
        const wgsl_type *t = value_type(c, e->a);
        if (!is_vec_of(t, wgsl_is_integer_scalar))
            FAIL(e, "'~' needs an integer or integer vector, got '%s'",
                 tname(c, t));
        return t;
    }
    default: FAIL(e, "unknown unary operator");
    }
}

static int swizzle_index(char ch)
{
    switch (ch) {
    case 'x':
    case 'r': return 0;
    case 'y':
    case 'g': return 1;
    case 'z':
    case 'b': return 2;
    case 'w':
    case 'a': return 3;
    default: return -1;
    }
}

static const wgsl_type *check_member(checker *c, wgsl_expr *e)
{
    const wgsl_type *t = check_expr(c, e->a);
    bool ref = e->a->is_ref;
    if (t->kind == WT_PTR && !ref) {
        /* p.member on a pointer means (*p).member */
        ref = true;
        e->space = t->space;
        e->access = t->access;
        t = t->elem;
    } else {
        e->space = e->a->space;
        e->access = e->a->access;
    }
    if (t->kind == WT_STRUCT) {
        for (int i = 0; i < t->st->member_count; i++)
            if (strcmp(t->st->members[i].name, e->name) == 0) {
                e->member_index = i;
                e->is_ref = ref;
                return t->st->members[i].type;
            }
        FAIL(e, "struct '%s' has no member '%s'", t->st->name, e->name);
    }
    if (t->kind == WT_VEC) {
        size_t n = strlen(e->name);
        if (n < 1 || n > 4)
            FAIL(e,
                 "invalid swizzle '.%s': expected 1 to 4 of x, y, z, w "
                 "(or r, g, b, a)",
                 e->name);
        bool rgba = strchr("rgba", e->name[0]) != NULL;
        for (size_t i = 0; i < n; i++) {
            int index = swizzle_index(e->name[i]);
            if (index < 0 || index >= t->n ||
                (strchr("rgba", e->name[i]) != NULL) != rgba)
                FAIL(e,
                     "invalid swizzle '.%s' for '%s': expected components "
                     "of %s",
                     e->name, tname(c, t),
                     t->n == 2   ? "xy"
                     : t->n == 3 ? "xyz"
                                 : "xyzw");
        }
        e->member_index = n == 1 ? -2 : -1;
        /* a single component stays a reference; a multi-component swizzle
         * is a value (WGSL cannot assign to it) */
        e->is_ref = ref && n == 1;
        if (e->a->value && !ref)
            e->value = NULL;
        return n == 1 ? t->elem : wgsl_vec(c->ctx, (int)n, t->elem);
    }
    FAIL(e, "'%s' has no members: '.%s' needs a struct or a vector",
         tname(c, t), e->name);
}

static const wgsl_type *check_index(checker *c, wgsl_expr *e)
{
    const wgsl_type *t = check_expr(c, e->a);
    bool ref = e->a->is_ref;
    if (t->kind == WT_PTR && !ref) {
        ref = true;
        e->space = t->space;
        e->access = t->access;
        t = t->elem;
    } else {
        e->space = e->a->space;
        e->access = e->a->access;
    }
    const wgsl_type *it = value_type(c, e->b);
    if (it->kind != WT_I32 && it->kind != WT_U32 && it->kind != WT_AINT)
        FAIL(e->b, "an index must be i32 or u32, got '%s'", tname(c, it));
    int64_t bound = t->kind == WT_ARRAY                      ? t->count
                    : t->kind == WT_VEC || t->kind == WT_MAT ? t->n
                                                             : -1;
    if (bound < 0)
        FAIL(e, "'%s' cannot be indexed: expected an array, vector or matrix",
             tname(c, t));
    if (e->b->value) {
        int64_t index = e->b->value->i[0];
        if (index < 0 || (bound > 0 && index >= bound))
            FAIL(e->b, "index %lld is out of bounds for '%s'", (long long)index,
                 tname(c, t));
    }
    if (it->kind == WT_AINT)
        materialize(c, e->b, i32_t(c));
    if (!ref && wgsl_is_abstract(t) && !e->b->value)
        concrete(c, e->a);
    t = e->a->type->kind == WT_PTR ? t : (ref ? t : e->a->type);
    e->is_ref = ref;
    e->member_index = t->kind == WT_VEC ? -2 : -1;
    if (t->kind == WT_MAT)
        return wgsl_vec(c->ctx, t->rows, t->elem);
    return t->elem;
}

static const wgsl_type *check_call(checker *c, wgsl_expr *e);

static const wgsl_type *check_ident(checker *c, wgsl_expr *e)
{
    wgsl_sym *sym = lookup(c, e->name);
    if (!sym) {
        if (try_type(c, e))
            FAIL(e, "'%s' is a type, expected a value", e->name);
        FAIL(e, "unknown identifier '%s'", e->name);
    }
    if (sym->decl && sym->global)
        resolve_global(c, sym->decl);
    e->sym = sym;
    switch (sym->kind) {
    case SYM_VAR:
        e->is_ref = true;
        e->space = sym->space;
        e->access = sym->access;
        if (sym->decl)
            sym->decl->used = true;
        if (sym->type->kind == WT_SAMPLER || sym->type->kind == WT_TEXTURE ||
            sym->type->kind == WT_STORAGE_TEXTURE ||
            sym->type->kind == WT_SAMPLER_COMPARISON)
            e->is_ref = false;
        return sym->type;
    case SYM_CONST: e->value = sym->value; return sym->type;
    case SYM_LET:
    case SYM_PARAM:
    case SYM_OVERRIDE: return sym->type;
    case SYM_FN:
        FAIL(e, "'%s' is a function: expected a call '%s(...)'", e->name,
             e->name);
    default: FAIL(e, "'%s' is a type, expected a value", e->name);
    }
}

static const wgsl_type *check_expr(checker *c, wgsl_expr *e)
{
    if (e->checked)
        return e->type;
    const wgsl_type *t = NULL;
    switch (e->kind) {
    case EX_INT:
        t = e->suffix ? suffix_scalar(c, (char)e->suffix, e)
                      : wgsl_scalar(c->ctx, WT_AINT);
        break;
    case EX_FLOAT:
        t = e->suffix ? suffix_scalar(c, (char)e->suffix, e)
                      : wgsl_scalar(c->ctx, WT_AFLOAT);
        break;
    case EX_BOOL: t = bool_t(c); break;
    case EX_PAREN:
        t = check_expr(c, e->a);
        e->is_ref = false;
        if (e->a->is_ref) {
            /* (x) is still a reference to x in WGSL */
            e->is_ref = true;
            e->space = e->a->space;
            e->access = e->a->access;
        }
        break;
    case EX_IDENT: t = check_ident(c, e); break;
    case EX_UNARY: t = check_unary(c, e); break;
    case EX_BINARY: t = check_binary(c, e); break;
    case EX_MEMBER: t = check_member(c, e); break;
    case EX_INDEX: t = check_index(c, e); break;
    case EX_CALL: t = check_call(c, e); break;
    }
    e->type = t;
    e->checked = true;
    if (!e->value && e->kind != EX_IDENT && !e->is_ref && t->kind != WT_PTR)
        e->value = wgsl_eval(c->ctx, e);
    if (!e->value && wgsl_is_abstract(t))
        FAIL(e, "this abstract expression could not be evaluated at compile "
                "time: give its operands concrete types");
    return t;
}

/* >>calls -------------------------------------------------------------------
 */

static void want_args(checker *c, wgsl_expr *e, int min, int max)
{
    if (e->nargs < min || e->nargs > max) {
        if (min == max)
            FAIL(e, "'%s' takes %d argument%s, got %d", e->a->name, min,
                 min == 1 ? "" : "s", e->nargs);
        FAIL(e, "'%s' takes %d to %d arguments, got %d", e->a->name, min, max,
             e->nargs);
    }
}

/* Component-wise builtins: all arguments of one type T (after conversion),
 * T checked by the predicate on its element type. */
static const wgsl_type *componentwise(checker *c, wgsl_expr *e, int n,
                                      bool (*pred)(const wgsl_type *),
                                      const char *expected, bool concretize)
{
    want_args(c, e, n, n);
    for (int i = 0; i < n; i++)
        value_type(c, e->args[i]);
    const wgsl_type *t = common_type(c, e->args, n, e->a->name);
    if (concretize && wgsl_is_abstract(t)) {
        const wgsl_type *to = concretize_type(c, t);
        if (pred == wgsl_is_float_scalar)
            to = with_elem(c, t, f32_t(c));
        for (int i = 0; i < n; i++)
            materialize(c, e->args[i], to);
        t = to;
    }
    if ((t->kind != WT_VEC && !wgsl_is_scalar(t)) || !pred(wgsl_scalar_of(t)))
        FAIL(e->args[0], "'%s' needs %s, got '%s'", e->a->name, expected,
             tname(c, t));
    return t;
}

static const wgsl_type *float_vec_arg(checker *c, wgsl_expr *arg,
                                      const char *fn)
{
    const wgsl_type *t = value_type(c, arg);
    if (wgsl_is_abstract(t))
        materialize(c, arg, with_elem(c, t, f32_t(c)));
    t = arg->type;
    if (t->kind != WT_VEC || !wgsl_is_float_scalar(t->elem))
        FAIL(arg, "'%s' needs a float vector, got '%s'", fn, tname(c, t));
    return t;
}

static void arg_as(checker *c, wgsl_expr *e, int i, const wgsl_type *t)
{
    value_type(c, e->args[i]);
    char what[96];
    snprintf(what, sizeof what, "argument %d of '%s'", i + 1, e->a->name);
    convert(c, e->args[i], t, what);
}

/* The pointer argument of an atomic builtin: &x where x is atomic<T>. */
static const wgsl_type *atomic_arg(checker *c, wgsl_expr *e)
{
    if (e->nargs < 1)
        FAIL(e, "'%s' needs a pointer to an atomic as first argument",
             e->a->name);
    const wgsl_type *t = check_expr(c, e->args[0]);
    if (t->kind != WT_PTR || t->elem->kind != WT_ATOMIC)
        FAIL(e->args[0],
             "'%s' needs a pointer to an atomic (&x where x is "
             "atomic<i32> or atomic<u32>), got '%s'",
             e->a->name, tname(c, t));
    if (t->space != SPACE_STORAGE && t->space != SPACE_WORKGROUP)
        FAIL(e->args[0], "atomics live in the storage or workgroup address "
                         "space");
    if (t->space == SPACE_STORAGE && t->access != ACCESS_READ_WRITE &&
        e->builtin != BI_ATOMIC_LOAD)
        FAIL(e->args[0],
             "'%s' writes to a read-only storage buffer: "
             "declare it var<storage, read_write>",
             e->a->name);
    return t->elem->elem;
}

static int coord_count(wgsl_dim dim)
{
    switch (dim) {
    case DIM_1D: return 1;
    case DIM_2D:
    case DIM_2D_ARRAY: return 2;
    default: return 3;
    }
}

static bool is_arrayed(wgsl_dim dim)
{
    return dim == DIM_2D_ARRAY || dim == DIM_CUBE_ARRAY;
}

static void int_coords(checker *c, wgsl_expr *e, int i, int n)
{
    const wgsl_type *t = value_type(c, e->args[i]);
    if (wgsl_is_abstract(t))
        materialize(c, e->args[i], concretize_type(c, t));
    t = e->args[i]->type;
    const wgsl_type *el = wgsl_scalar_of(t);
    if (vec_n(t) != n || (t->kind == WT_VEC) != (n > 1) ||
        (el->kind != WT_I32 && el->kind != WT_U32))
        FAIL(e->args[i],
             "'%s' needs integer coordinates of %d component%s "
             "(%s), got '%s'",
             e->a->name, n, n == 1 ? "" : "s",
             n == 1   ? "i32 or u32"
             : n == 2 ? "vec2<i32> or vec2<u32>"
                      : "vec3<i32> or vec3<u32>",
             tname(c, t));
}

static void int_arg(checker *c, wgsl_expr *e, int i, const char *what)
{
    const wgsl_type *t = value_type(c, e->args[i]);
    if (t->kind == WT_AINT)
        materialize(c, e->args[i], i32_t(c));
    t = e->args[i]->type;
    if (t->kind != WT_I32 && t->kind != WT_U32)
        FAIL(e->args[i], "%s of '%s' must be i32 or u32, got '%s'", what,
             e->a->name, tname(c, t));
}

static const wgsl_type *texture_arg(checker *c, wgsl_expr *e, int i)
{
    if (e->nargs <= i)
        FAIL(e, "'%s' needs a texture argument", e->a->name);
    const wgsl_type *t = check_expr(c, e->args[i]);
    if (t->kind != WT_TEXTURE && t->kind != WT_STORAGE_TEXTURE)
        FAIL(e->args[i], "'%s' needs a texture, got '%s'", e->a->name,
             tname(c, t));
    return t;
}

/* textureGather([component,] t, s, coords[, array_index][, offset]): the
 * component is a constant 0..3, absent for depth textures. */
static const wgsl_type *check_gather(checker *c, wgsl_expr *e)
{
    wgsl_ctx *ctx = c->ctx;
    if (e->nargs < 3)
        FAIL(e,
             "textureGather takes ([component,] texture, sampler, "
             "coords, ...), got %d arguments",
             e->nargs);
    int first = 0;
    const wgsl_type *t0 = check_expr(c, e->args[0]);
    if (t0->kind != WT_TEXTURE) {
        if (!e->args[0]->value || !wgsl_is_integer_scalar(t0))
            FAIL(e->args[0], "textureGather's component must be a constant "
                             "0, 1, 2 or 3");
        int64_t component = e->args[0]->value->i[0];
        if (component < 0 || component > 3)
            FAIL(e->args[0],
                 "textureGather's component must be 0, 1, 2 or "
                 "3, got %lld",
                 (long long)component);
        if (t0->kind == WT_AINT)
            materialize(c, e->args[0], i32_t(c));
        first = 1;
    }
    const wgsl_type *t = texture_arg(c, e, first);
    if (t->kind != WT_TEXTURE || t->multisampled || t->dim == DIM_1D ||
        t->dim == DIM_3D || (t->depth == (first == 1)))
        FAIL(e->args[first],
             "textureGather needs a %s 2D, 2D array, cube "
             "or cube array texture, got '%s'",
             first ? "sampled (with a component)"
                   : "depth (without a component)",
             tname(c, t));
    bool arrayed = is_arrayed(t->dim);
    int n = coord_count(t->dim);
    int base = first + 3 + arrayed;
    want_args(c, e, base, base + 1);
    const wgsl_type *s = check_expr(c, e->args[first + 1]);
    if (s->kind != WT_SAMPLER)
        FAIL(e->args[first + 1], "textureGather needs a sampler, got '%s'",
             tname(c, s));
    arg_as(c, e, first + 2, wgsl_vec(ctx, n, f32_t(c)));
    if (arrayed)
        int_arg(c, e, first + 3, "the array index");
    if (e->nargs == base + 1) {
        if (t->dim == DIM_CUBE || t->dim == DIM_CUBE_ARRAY)
            FAIL(e->args[base], "cube textures take no offset");
        arg_as(c, e, base, wgsl_vec(ctx, 2, i32_t(c)));
        if (!e->args[base]->value)
            FAIL(e->args[base], "the offset must be a constant expression");
    }
    return wgsl_vec(ctx, 4, t->elem);
}

static const wgsl_type *check_texture_builtin(checker *c, wgsl_expr *e)
{
    wgsl_ctx *ctx = c->ctx;
    if (e->builtin == BI_TEXTURE_GATHER)
        return check_gather(c, e);
    const wgsl_type *t = texture_arg(c, e, 0);
    int n = coord_count(t->dim);
    bool arrayed = is_arrayed(t->dim);
    switch (e->builtin) {
    case BI_TEXTURE_DIMENSIONS: {
        want_args(c, e, 1, 2);
        if (e->nargs == 2) {
            if (t->kind == WT_STORAGE_TEXTURE || t->multisampled)
                FAIL(e->args[1], "this texture has no mip levels: "
                                 "textureDimensions takes no level");
            int_arg(c, e, 1, "the mip level");
        }
        int dims = t->dim == DIM_1D ? 1 : t->dim == DIM_3D ? 3 : 2;
        return dims == 1 ? u32_t(c) : wgsl_vec(ctx, dims, u32_t(c));
    }
    case BI_TEXTURE_NUM_LEVELS:
    case BI_TEXTURE_NUM_SAMPLES:
        want_args(c, e, 1, 1);
        if (t->kind == WT_STORAGE_TEXTURE ||
            (e->builtin == BI_TEXTURE_NUM_SAMPLES) != t->multisampled)
            FAIL(e->args[0], "'%s' does not apply to '%s'", e->a->name,
                 tname(c, t));
        return u32_t(c);
    case BI_TEXTURE_NUM_LAYERS:
        want_args(c, e, 1, 1);
        if (!arrayed)
            FAIL(e->args[0],
                 "textureNumLayers needs an arrayed texture, got "
                 "'%s'",
                 tname(c, t));
        return u32_t(c);
    case BI_TEXTURE_LOAD: {
        int expected = 2 + arrayed + (t->kind == WT_TEXTURE);
        want_args(c, e, expected, expected);
        if (t->dim == DIM_CUBE || t->dim == DIM_CUBE_ARRAY)
            FAIL(e->args[0], "textureLoad does not take cube textures");
        if (t->kind == WT_STORAGE_TEXTURE && t->access == ACCESS_WRITE)
            FAIL(e->args[0], "textureLoad needs a readable storage texture: "
                             "this one is declared 'write'");
        int_coords(c, e, 1, n);
        if (arrayed)
            int_arg(c, e, 2, "the array index");
        if (t->kind == WT_TEXTURE)
            int_arg(c, e, expected - 1,
                    t->multisampled ? "the sample index" : "the mip level");
        if (t->depth)
            return f32_t(c);
        if (t->kind == WT_STORAGE_TEXTURE)
            return wgsl_vec(ctx, 4,
                            wgsl_scalar(ctx, wgsl_formats[t->format].channel));
        return wgsl_vec(ctx, 4, t->elem);
    }
    case BI_TEXTURE_STORE: {
        int expected = 3 + arrayed;
        want_args(c, e, expected, expected);
        if (t->kind != WT_STORAGE_TEXTURE)
            FAIL(e->args[0], "textureStore needs a storage texture, got '%s'",
                 tname(c, t));
        if (t->access == ACCESS_READ)
            FAIL(e->args[0], "textureStore needs a writable storage texture: "
                             "this one is declared 'read'");
        int_coords(c, e, 1, n);
        if (arrayed)
            int_arg(c, e, 2, "the array index");
        arg_as(c, e, expected - 1,
               wgsl_vec(ctx, 4,
                        wgsl_scalar(ctx, wgsl_formats[t->format].channel)));
        return wgsl_scalar(ctx, WT_VOID);
    }
    case BI_TEXTURE_SAMPLE_LEVEL:
    case BI_TEXTURE_SAMPLE_GRAD:
    case BI_TEXTURE_SAMPLE_COMPARE_LEVEL: {
        bool grad = e->builtin == BI_TEXTURE_SAMPLE_GRAD;
        bool compare = e->builtin == BI_TEXTURE_SAMPLE_COMPARE_LEVEL;
        if (t->kind != WT_TEXTURE || t->multisampled ||
            (t->elem->kind != WT_F32) || (compare && !t->depth))
            FAIL(e->args[0], "'%s' needs a %s texture, got '%s'", e->a->name,
                 compare ? "depth" : "sampled f32", tname(c, t));
        int base = 3 + arrayed + (grad ? 2 : 1);
        want_args(c, e, base, base + 1);
        const wgsl_type *s = check_expr(c, e->args[1]);
        if (s->kind != (compare ? WT_SAMPLER_COMPARISON : WT_SAMPLER))
            FAIL(e->args[1], "'%s' needs a %s as second argument, got '%s'",
                 e->a->name, compare ? "sampler_comparison" : "sampler",
                 tname(c, s));
        arg_as(c, e, 2, n == 1 ? f32_t(c) : wgsl_vec(ctx, n, f32_t(c)));
        if (arrayed)
            int_arg(c, e, 3, "the array index");
        int at = 3 + arrayed;
        if (grad) {
            arg_as(c, e, at, n == 1 ? f32_t(c) : wgsl_vec(ctx, n, f32_t(c)));
            arg_as(c, e, at + 1,
                   n == 1 ? f32_t(c) : wgsl_vec(ctx, n, f32_t(c)));
        } else if (t->depth && !compare) {
            int_arg(c, e, at, "the mip level");
        } else {
            arg_as(c, e, at, f32_t(c));
        }
        if (e->nargs == base + 1) {
            if (t->dim == DIM_CUBE || t->dim == DIM_CUBE_ARRAY)
                FAIL(e->args[base], "cube textures take no offset");
            arg_as(c, e, base, n == 1 ? i32_t(c) : wgsl_vec(ctx, n, i32_t(c)));
            if (!e->args[base]->value)
                FAIL(e->args[base], "the offset must be a constant "
                                    "expression");
        }
        return t->depth ? f32_t(c) : wgsl_vec(ctx, 4, f32_t(c));
    }
    case BI_TEXTURE_SAMPLE_BASE_CLAMP_TO_EDGE: {
        want_args(c, e, 3, 3);
        if (t->kind != WT_TEXTURE || t->dim != DIM_2D || t->depth ||
            t->multisampled || t->elem->kind != WT_F32)
            FAIL(e->args[0],
                 "textureSampleBaseClampToEdge needs a "
                 "texture_2d<f32>, got '%s'",
                 tname(c, t));
        if (check_expr(c, e->args[1])->kind != WT_SAMPLER)
            FAIL(e->args[1], "textureSampleBaseClampToEdge needs a sampler");
        arg_as(c, e, 2, wgsl_vec(ctx, 2, f32_t(c)));
        return wgsl_vec(ctx, 4, f32_t(c));
    }
    default: FAIL(e, "unknown texture builtin");
    }
}

static const wgsl_type *check_builtin(checker *c, wgsl_expr *e)
{
    wgsl_ctx *ctx = c->ctx;
    const char *name = e->a->name;
    if (e->a->has_template && e->builtin != BI_BITCAST)
        FAIL(e->a, "'%s' takes no template arguments", name);
    switch (e->builtin) {
    case BI_ACOS:
    case BI_ACOSH:
    case BI_ASIN:
    case BI_ASINH:
    case BI_ATAN:
    case BI_ATANH:
    case BI_CEIL:
    case BI_COS:
    case BI_COSH:
    case BI_DEGREES:
    case BI_EXP:
    case BI_EXP2:
    case BI_FLOOR:
    case BI_FRACT:
    case BI_INVERSE_SQRT:
    case BI_LOG:
    case BI_LOG2:
    case BI_QUANTIZE_TO_F16:
    case BI_RADIANS:
    case BI_ROUND:
    case BI_SATURATE:
    case BI_SIN:
    case BI_SINH:
    case BI_SQRT:
    case BI_TAN:
    case BI_TANH:
    case BI_TRUNC:
        return componentwise(c, e, 1, wgsl_is_float_scalar,
                             "a float or float vector", true);
    case BI_ATAN2:
    case BI_POW:
    case BI_STEP:
        return componentwise(c, e, 2, wgsl_is_float_scalar,
                             "floats or float vectors", true);
    case BI_SMOOTHSTEP:
    case BI_FMA:
        return componentwise(c, e, 3, wgsl_is_float_scalar,
                             "floats or float vectors", true);
    case BI_MIX: {
        want_args(c, e, 3, 3);
        const wgsl_type *t2 = value_type(c, e->args[2]);
        const wgsl_type *t0 = value_type(c, e->args[0]);
        if (t0->kind == WT_VEC && t2->kind != WT_VEC) {
            wgsl_expr *two[2] = {e->args[0], e->args[1]};
            value_type(c, e->args[1]);
            const wgsl_type *t = common_type(c, two, 2, "mix");
            if (wgsl_is_abstract(t)) {
                t = with_elem(c, t, f32_t(c));
                materialize(c, e->args[0], t);
                materialize(c, e->args[1], t);
            }
            if (!wgsl_is_float_scalar(t->elem))
                FAIL(e->args[0], "'mix' needs float vectors, got '%s'",
                     tname(c, t));
            convert(c, e->args[2], t->elem, "the blend factor");
            return t;
        }
        return componentwise(c, e, 3, wgsl_is_float_scalar,
                             "floats or float vectors", true);
    }
    case BI_ABS:
    case BI_SIGN:
        return componentwise(c, e, 1, wgsl_is_numeric_scalar,
                             "a number or numeric vector", true);
    case BI_MAX:
    case BI_MIN:
        return componentwise(c, e, 2, wgsl_is_numeric_scalar,
                             "numbers or numeric vectors", true);
    case BI_CLAMP:
        return componentwise(c, e, 3, wgsl_is_numeric_scalar,
                             "numbers or numeric vectors", true);
    case BI_COUNT_LEADING_ZEROS:
    case BI_COUNT_ONE_BITS:
    case BI_COUNT_TRAILING_ZEROS:
    case BI_FIRST_LEADING_BIT:
    case BI_FIRST_TRAILING_BIT:
    case BI_REVERSE_BITS:
        return componentwise(c, e, 1, wgsl_is_integer_scalar,
                             "an integer or integer vector", true);
    case BI_EXTRACT_BITS: {
        want_args(c, e, 3, 3);
        const wgsl_type *t = value_type(c, e->args[0]);
        if (wgsl_is_abstract(t))
            t = concrete(c, e->args[0]);
        if (!is_vec_of(t, wgsl_is_integer_scalar))
            FAIL(e->args[0],
                 "extractBits needs an integer or integer vector, "
                 "got '%s'",
                 tname(c, t));
        arg_as(c, e, 1, u32_t(c));
        arg_as(c, e, 2, u32_t(c));
        return t;
    }
    case BI_INSERT_BITS: {
        want_args(c, e, 4, 4);
        value_type(c, e->args[0]);
        value_type(c, e->args[1]);
        const wgsl_type *t = common_type(c, e->args, 2, "insertBits");
        if (wgsl_is_abstract(t)) {
            t = concretize_type(c, t);
            materialize(c, e->args[0], t);
            materialize(c, e->args[1], t);
        }
        if (!is_vec_of(t, wgsl_is_integer_scalar))
            FAIL(e->args[0], "insertBits needs integers, got '%s'",
                 tname(c, t));
        arg_as(c, e, 2, u32_t(c));
        arg_as(c, e, 3, u32_t(c));
        return t;
    }
    case BI_CROSS: {
        want_args(c, e, 2, 2);
        const wgsl_type *t = float_vec_arg(c, e->args[0], name);
        arg_as(c, e, 1, t);
        if (t->n != 3)
            FAIL(e->args[0], "cross needs vec3 arguments, got '%s'",
                 tname(c, t));
        return t;
    }
    case BI_DISTANCE:
    case BI_DOT: {
        want_args(c, e, 2, 2);
        value_type(c, e->args[0]);
        value_type(c, e->args[1]);
        const wgsl_type *t = common_type(c, e->args, 2, name);
        if (wgsl_is_abstract(t)) {
            t = e->builtin == BI_DOT ? concretize_type(c, t)
                                     : with_elem(c, t, f32_t(c));
            materialize(c, e->args[0], t);
            materialize(c, e->args[1], t);
        }
        if (e->builtin == BI_DOT) {
            if (t->kind != WT_VEC || t->elem->kind == WT_BOOL)
                FAIL(e->args[0], "dot needs numeric vectors, got '%s'",
                     tname(c, t));
            return t->elem;
        }
        if (!is_vec_of(t, wgsl_is_float_scalar))
            FAIL(e->args[0], "distance needs floats, got '%s'", tname(c, t));
        return wgsl_scalar_of(t);
    }
    case BI_LENGTH: {
        const wgsl_type *t = componentwise(c, e, 1, wgsl_is_float_scalar,
                                           "a float or float vector", true);
        return wgsl_scalar_of(t);
    }
    case BI_NORMALIZE:
        want_args(c, e, 1, 1);
        return float_vec_arg(c, e->args[0], name);
    case BI_FACE_FORWARD:
    case BI_REFLECT: {
        int n = e->builtin == BI_REFLECT ? 2 : 3;
        want_args(c, e, n, n);
        const wgsl_type *t = float_vec_arg(c, e->args[0], name);
        for (int i = 1; i < n; i++)
            arg_as(c, e, i, t);
        return t;
    }
    case BI_REFRACT: {
        want_args(c, e, 3, 3);
        const wgsl_type *t = float_vec_arg(c, e->args[0], name);
        arg_as(c, e, 1, t);
        arg_as(c, e, 2, t->elem);
        return t;
    }
    case BI_DETERMINANT:
    case BI_TRANSPOSE: {
        want_args(c, e, 1, 1);
        const wgsl_type *t = concrete(c, e->args[0]);
        value_type(c, e->args[0]);
        t = e->args[0]->type;
        if (t->kind != WT_MAT)
            FAIL(e->args[0], "'%s' needs a matrix, got '%s'", name,
                 tname(c, t));
        if (e->builtin == BI_DETERMINANT) {
            if (t->n != t->rows)
                FAIL(e->args[0],
                     "determinant needs a square matrix, got "
                     "'%s'",
                     tname(c, t));
            return t->elem;
        }
        return wgsl_mat(ctx, t->rows, t->n, t->elem);
    }
    case BI_FREXP:
    case BI_MODF: {
        const wgsl_type *t = componentwise(c, e, 1, wgsl_is_float_scalar,
                                           "a float or float vector", true);
        return wgsl_type_get(
            ctx, (wgsl_type){.kind = WT_STRUCT,
                             .st = wgsl_result_struct(ctx, e->builtin, t)});
    }
    case BI_LDEXP: {
        want_args(c, e, 2, 2);
        const wgsl_type *t = value_type(c, e->args[0]);
        if (wgsl_is_abstract(t))
            materialize(c, e->args[0], with_elem(c, t, f32_t(c)));
        t = e->args[0]->type;
        if (!is_vec_of(t, wgsl_is_float_scalar))
            FAIL(e->args[0], "ldexp needs a float, got '%s'", tname(c, t));
        arg_as(c, e, 1, with_elem(c, t, i32_t(c)));
        return t;
    }
    case BI_SELECT: {
        want_args(c, e, 3, 3);
        value_type(c, e->args[0]);
        value_type(c, e->args[1]);
        const wgsl_type *t = common_type(c, e->args, 2, "select");
        const wgsl_type *ct = value_type(c, e->args[2]);
        if (ct->kind == WT_VEC) {
            if (t->kind != WT_VEC || t->n != ct->n || ct->elem->kind != WT_BOOL)
                FAIL(e->args[2],
                     "select's condition must be bool or a bool "
                     "vector the size of the values, got '%s'",
                     tname(c, ct));
        } else if (ct->kind != WT_BOOL) {
            FAIL(e->args[2], "select's condition must be bool, got '%s'",
                 tname(c, ct));
        }
        if (!wgsl_is_scalar(t) && t->kind != WT_VEC)
            FAIL(e->args[0], "select needs scalars or vectors, got '%s'",
                 tname(c, t));
        if (wgsl_is_abstract(t) && !e->args[2]->value) {
            /* a run-time choice between abstract values: make them i32/f32 */
            t = concretize_type(c, t);
            materialize(c, e->args[0], t);
            materialize(c, e->args[1], t);
        }
        return t;
    }
    case BI_ALL:
    case BI_ANY: {
        want_args(c, e, 1, 1);
        const wgsl_type *t = value_type(c, e->args[0]);
        if (wgsl_scalar_of(t)->kind != WT_BOOL || t->kind == WT_ARRAY ||
            t->kind == WT_MAT)
            FAIL(e->args[0], "'%s' needs a bool or bool vector, got '%s'", name,
                 tname(c, t));
        return bool_t(c);
    }
    case BI_ARRAY_LENGTH: {
        want_args(c, e, 1, 1);
        const wgsl_type *t = check_expr(c, e->args[0]);
        if (t->kind != WT_PTR || t->elem->kind != WT_ARRAY ||
            t->elem->count != 0 || t->space != SPACE_STORAGE)
            FAIL(e->args[0],
                 "arrayLength needs a pointer to a runtime-sized "
                 "array in storage (&buffer or &buffer.member), "
                 "got '%s'",
                 tname(c, t));
        return u32_t(c);
    }
    case BI_BITCAST: {
        want_args(c, e, 1, 1);
        if (!e->a->has_template || e->a->ntargs != 1)
            FAIL(e->a, "bitcast needs the target type: bitcast<T>(e)");
        const wgsl_type *to = resolve_type(c, e->a->targs[0]);
        const wgsl_type *t = value_type(c, e->args[0]);
        if (wgsl_is_abstract(t))
            t = concrete(c, e->args[0]);
        const wgsl_type *es = wgsl_scalar_of(t), *ts = wgsl_scalar_of(to);
        /* 16-bit halves: vec2<f16> <-> a 32-bit scalar, vec4<f16> <-> a
         * vec2 of 32-bit values */
        bool wide_t =
            es->kind == WT_I32 || es->kind == WT_U32 || es->kind == WT_F32;
        bool wide_to =
            ts->kind == WT_I32 || ts->kind == WT_U32 || ts->kind == WT_F32;
        if ((es->kind == WT_F16 && wide_to && vec_n(t) == 2 * vec_n(to) &&
             vec_n(to) <= 2) ||
            (ts->kind == WT_F16 && wide_t && vec_n(to) == 2 * vec_n(t) &&
             vec_n(t) <= 2)) {
            e->ctor = to;
            return to;
        }
        bool ok =
            (t->kind == WT_VEC || wgsl_is_scalar(t)) &&
            (to->kind == WT_VEC || wgsl_is_scalar(to)) &&
            vec_n(t) == vec_n(to) &&
            (es->kind == WT_I32 || es->kind == WT_U32 || es->kind == WT_F32) &&
            (ts->kind == WT_I32 || ts->kind == WT_U32 || ts->kind == WT_F32);
        if (!ok)
            FAIL(e,
                 "bitcast from '%s' to '%s' is not supported: expected "
                 "32-bit scalars or vectors of the same size",
                 tname(c, t), tname(c, to));
        e->ctor = to;
        return to;
    }
    case BI_PACK4X8SNORM:
    case BI_PACK4X8UNORM:
        want_args(c, e, 1, 1);
        arg_as(c, e, 0, wgsl_vec(ctx, 4, f32_t(c)));
        return u32_t(c);
    case BI_PACK2X16SNORM:
    case BI_PACK2X16UNORM:
    case BI_PACK2X16FLOAT:
        want_args(c, e, 1, 1);
        arg_as(c, e, 0, wgsl_vec(ctx, 2, f32_t(c)));
        return u32_t(c);
    case BI_UNPACK4X8SNORM:
    case BI_UNPACK4X8UNORM:
        want_args(c, e, 1, 1);
        arg_as(c, e, 0, u32_t(c));
        return wgsl_vec(ctx, 4, f32_t(c));
    case BI_UNPACK2X16SNORM:
    case BI_UNPACK2X16UNORM:
    case BI_UNPACK2X16FLOAT:
        want_args(c, e, 1, 1);
        arg_as(c, e, 0, u32_t(c));
        return wgsl_vec(ctx, 2, f32_t(c));
    case BI_PACK4XI8:
    case BI_PACK4XI8_CLAMP:
        want_args(c, e, 1, 1);
        arg_as(c, e, 0, wgsl_vec(ctx, 4, i32_t(c)));
        return u32_t(c);
    case BI_PACK4XU8:
    case BI_PACK4XU8_CLAMP:
        want_args(c, e, 1, 1);
        arg_as(c, e, 0, wgsl_vec(ctx, 4, u32_t(c)));
        return u32_t(c);
    case BI_UNPACK4XI8:
        want_args(c, e, 1, 1);
        arg_as(c, e, 0, u32_t(c));
        return wgsl_vec(ctx, 4, i32_t(c));
    case BI_UNPACK4XU8:
        want_args(c, e, 1, 1);
        arg_as(c, e, 0, u32_t(c));
        return wgsl_vec(ctx, 4, u32_t(c));
    case BI_DOT4U8_PACKED:
    case BI_DOT4I8_PACKED:
        want_args(c, e, 2, 2);
        arg_as(c, e, 0, u32_t(c));
        arg_as(c, e, 1, u32_t(c));
        return e->builtin == BI_DOT4U8_PACKED ? u32_t(c) : i32_t(c);
    case BI_ATOMIC_LOAD: {
        want_args(c, e, 1, 1);
        return atomic_arg(c, e);
    }
    case BI_ATOMIC_STORE: {
        want_args(c, e, 2, 2);
        const wgsl_type *t = atomic_arg(c, e);
        arg_as(c, e, 1, t);
        return wgsl_scalar(ctx, WT_VOID);
    }
    case BI_ATOMIC_ADD:
    case BI_ATOMIC_SUB:
    case BI_ATOMIC_MAX:
    case BI_ATOMIC_MIN:
    case BI_ATOMIC_AND:
    case BI_ATOMIC_OR:
    case BI_ATOMIC_XOR:
    case BI_ATOMIC_EXCHANGE: {
        want_args(c, e, 2, 2);
        const wgsl_type *t = atomic_arg(c, e);
        arg_as(c, e, 1, t);
        return t;
    }
    case BI_ATOMIC_COMPARE_EXCHANGE_WEAK: {
        want_args(c, e, 3, 3);
        const wgsl_type *t = atomic_arg(c, e);
        arg_as(c, e, 1, t);
        arg_as(c, e, 2, t);
        return wgsl_type_get(
            ctx, (wgsl_type){.kind = WT_STRUCT,
                             .st = wgsl_result_struct(ctx, e->builtin, t)});
    }
    case BI_WORKGROUP_BARRIER:
    case BI_STORAGE_BARRIER:
    case BI_TEXTURE_BARRIER:
        want_args(c, e, 0, 0);
        return wgsl_scalar(ctx, WT_VOID);
    case BI_WORKGROUP_UNIFORM_LOAD: {
        want_args(c, e, 1, 1);
        const wgsl_type *t = check_expr(c, e->args[0]);
        if (t->kind != WT_PTR || t->space != SPACE_WORKGROUP)
            FAIL(e->args[0],
                 "workgroupUniformLoad needs a pointer to a "
                 "workgroup variable, got '%s'",
                 tname(c, t));
        if (t->elem->kind == WT_ATOMIC)
            return t->elem->elem;
        return t->elem;
    }
    default: return check_texture_builtin(c, e);
    }
}

/* Type constructors and conversions: T(args). */
static const wgsl_type *check_constructor(checker *c, wgsl_expr *e,
                                          const wgsl_type *t)
{
    wgsl_ctx *ctx = c->ctx;
    for (int i = 0; i < e->nargs; i++)
        value_type(c, e->args[i]);
    if (wgsl_is_scalar(t)) {
        if (e->nargs == 0)
            return t;
        if (e->nargs != 1)
            FAIL(e, "'%s' takes one argument, got %d", tname(c, t), e->nargs);
        const wgsl_type *a = e->args[0]->type;
        if (!wgsl_is_scalar(a))
            FAIL(e->args[0], "cannot convert '%s' to '%s': expected a scalar",
                 tname(c, a), tname(c, t));
        if (wgsl_is_abstract(a) && converts(a, t))
            materialize(c, e->args[0], t);
        else if (wgsl_is_abstract(a))
            concrete(c, e->args[0]);
        return t;
    }
    if (t->kind == WT_VEC) {
        const wgsl_type *el = t->elem;
        if (e->nargs == 0) {
            if (!el)
                FAIL(e, "'vec%d()' needs its element type: vec%d<f32>()", t->n,
                     t->n);
            return t;
        }
        /* infer the element type from the arguments */
        if (!el) {
            const wgsl_type *best = NULL;
            for (int i = 0; i < e->nargs; i++) {
                const wgsl_type *s = wgsl_scalar_of(e->args[i]->type);
                if (!best || converts(best, s))
                    best = s;
                else if (!converts(s, best))
                    FAIL(e->args[i],
                         "vector components must have one type: "
                         "'%s' does not match '%s'",
                         tname(c, s), tname(c, best));
            }
            el = best;
            t = wgsl_vec(ctx, t->n, el);
        }
        int total = 0;
        for (int i = 0; i < e->nargs; i++) {
            const wgsl_type *a = e->args[i]->type;
            if (wgsl_is_scalar(a)) {
                if (e->nargs == 1 && a != el && !converts(a, el)) {
                    /* vecN<T>(scalar of another type): conversion */
                    total = t->n;
                    continue;
                }
                convert(c, e->args[i], el, "vector component");
                total += 1;
            } else if (a->kind == WT_VEC) {
                if (e->nargs == 1 && a->n == t->n) {
                    if (converts(a, t))
                        materialize(c, e->args[i], t);
                    else if (wgsl_is_abstract(a))
                        concrete(c, e->args[i]);
                    total = t->n;
                    continue;
                }
                convert(c, e->args[i], wgsl_vec(ctx, a->n, el),
                        "vector component");
                total += a->n;
            } else {
                FAIL(e->args[i], "'%s' cannot be a vector component",
                     tname(c, a));
            }
        }
        if (e->nargs == 1 && total == 1)
            return t; /* splat */
        if (total != t->n)
            FAIL(e, "'%s' needs %d components, got %d", tname(c, t), t->n,
                 total);
        return t;
    }
    if (t->kind == WT_MAT) {
        const wgsl_type *el = t->elem;
        if (e->nargs == 0) {
            if (!el)
                FAIL(e, "matrix constructor needs its element type");
            return t;
        }
        if (!el) {
            const wgsl_type *s = wgsl_scalar_of(e->args[0]->type);
            el = s->kind == WT_AINT || s->kind == WT_AFLOAT ? NULL : s;
            for (int i = 0; i < e->nargs && !el; i++) {
                const wgsl_type *s2 = wgsl_scalar_of(e->args[i]->type);
                if (!wgsl_is_abstract(s2))
                    el = s2;
            }
            if (!el)
                el = f32_t(c);
            t = wgsl_mat(ctx, t->n, t->rows, el);
        }
        if (e->nargs == 1 && e->args[0]->type->kind == WT_MAT) {
            const wgsl_type *a = e->args[0]->type;
            if (a->n != t->n || a->rows != t->rows)
                FAIL(e->args[0], "cannot convert '%s' to '%s'", tname(c, a),
                     tname(c, t));
            if (wgsl_is_abstract(a))
                materialize(c, e->args[0], t);
            return t;
        }
        if (e->nargs == t->n) {
            for (int i = 0; i < e->nargs; i++)
                convert(c, e->args[i], wgsl_vec(ctx, t->rows, el),
                        "matrix column");
        } else if (e->nargs == t->n * t->rows) {
            for (int i = 0; i < e->nargs; i++)
                convert(c, e->args[i], el, "matrix element");
        } else {
            FAIL(e,
                 "'%s' needs %d column vectors or %d scalars, got %d "
                 "arguments",
                 tname(c, t), t->n, t->n * t->rows, e->nargs);
        }
        return t;
    }
    if (t->kind == WT_ARRAY) {
        const wgsl_type *el = t->elem;
        if (!el) {
            if (e->nargs == 0)
                FAIL(e, "'array()' needs its element type and count: "
                        "array<f32, 4>()");
            const wgsl_type *best = NULL;
            for (int i = 0; i < e->nargs; i++) {
                const wgsl_type *s = e->args[i]->type;
                if (!best || converts(best, s))
                    best = s;
                else if (!converts(s, best))
                    FAIL(e->args[i],
                         "array elements must have one type: "
                         "'%s' does not match '%s'",
                         tname(c, s), tname(c, best));
            }
            el = best;
            t = wgsl_array(ctx, el, e->nargs);
        }
        if (t->count == 0)
            FAIL(e, "a runtime-sized array cannot be constructed");
        if (!wgsl_is_constructible(el))
            FAIL(e, "arrays of '%s' cannot be constructed", tname(c, el));
        if (e->nargs != 0 && e->nargs != t->count)
            FAIL(e, "'%s' needs %lld elements, got %d", tname(c, t),
                 (long long)t->count, e->nargs);
        for (int i = 0; i < e->nargs; i++)
            convert(c, e->args[i], el, "array element");
        return t;
    }
    if (t->kind == WT_STRUCT) {
        wgsl_struct *st = t->st;
        if (!wgsl_is_constructible(t))
            FAIL(e,
                 "struct '%s' cannot be constructed (it holds atomics or a "
                 "runtime-sized array)",
                 st->name);
        if (e->nargs != 0 && e->nargs != st->member_count)
            FAIL(e, "'%s' has %d members, got %d arguments", st->name,
                 st->member_count, e->nargs);
        for (int i = 0; i < e->nargs; i++) {
            char what[160];
            snprintf(what, sizeof what, "member '%s'", st->members[i].name);
            convert(c, e->args[i], st->members[i].type, what);
        }
        return t;
    }
    FAIL(e, "'%s' cannot be constructed", tname(c, t));
}

static const wgsl_type *check_call(checker *c, wgsl_expr *e)
{
    wgsl_expr *callee = e->a;
    wgsl_sym *sym = lookup(c, callee->name);
    if (sym && sym->kind == SYM_FN) {
        wgsl_decl *fn = sym->decl;
        if (fn == c->fn)
            FAIL(e, "'%s' calls itself: recursion is not allowed in WGSL",
                 fn->name);
        if (fn->is_entry || find_attr(fn->attrs, fn->nattrs, "compute") != NULL)
            FAIL(e, "'%s' is an entry point and cannot be called", fn->name);
        if (e->nargs != fn->nparams)
            FAIL(e, "'%s' takes %d argument%s, got %d", fn->name, fn->nparams,
                 fn->nparams == 1 ? "" : "s", e->nargs);
        for (int i = 0; i < e->nargs; i++) {
            const wgsl_type *pt = fn->params[i]->type;
            const wgsl_type *at = check_expr(c, e->args[i]);
            if (pt->kind == WT_PTR) {
                if (at->kind != WT_PTR || e->args[i]->is_ref ||
                    at->elem != pt->elem || at->space != pt->space)
                    FAIL(e->args[i],
                         "argument %d of '%s' must be '%s', got "
                         "'%s'",
                         i + 1, fn->name, tname(c, pt), tname(c, at));
                continue;
            }
            value_type(c, e->args[i]);
            char what[160];
            snprintf(what, sizeof what, "argument %d of '%s'", i + 1, fn->name);
            convert(c, e->args[i], pt, what);
        }
        e->sym = sym;
        return fn->type ? fn->type : wgsl_scalar(c->ctx, WT_VOID);
    }
    if (sym && sym->kind != SYM_STRUCT && sym->kind != SYM_ALIAS)
        FAIL(callee, "'%s' is not a function or a type", callee->name);
    const wgsl_type *t = try_type(c, callee);
    if (t) {
        e->ctor = check_constructor(c, e, t);
        return e->ctor;
    }
    e->builtin = builtin_id(callee->name);
    if (e->builtin != BI_NONE)
        return check_builtin(c, e);
    if (fragment_only(callee->name))
        FAIL(callee,
             "'%s' is only available in fragment shaders, not in "
             "compute shaders%s",
             callee->name,
             strncmp(callee->name, "textureSample", 13) == 0
                 ? ": use textureSampleLevel"
                 : "");
    FAIL(callee, "unknown function '%s'", callee->name);
}

/* >>declarations and statements ------------------------------------------- */

static wgsl_space default_space(checker *c)
{
    return c->fn ? SPACE_FUNCTION : SPACE_NONE;
}

/* The value the API gives an override (by name or @id), converted to its
 * type, or NULL. */
static wgsl_value *override_value(checker *c, wgsl_decl *d, const wgsl_type *t)
{
    wgsl_ctx *ctx = c->ctx;
    char id[16] = "";
    if (d->override_id >= 0)
        snprintf(id, sizeof id, "%d", d->override_id);
    for (uint32_t i = 0; i < ctx->constant_count; i++) {
        const char *name = ctx->constants[i].name;
        if (strcmp(name, d->name) != 0 && (!id[0] || strcmp(name, id) != 0))
            continue;
        ctx->constant_used[i] = true;
        double x = ctx->constants[i].value;
        wgsl_value *v = wgsl_alloc(ctx, sizeof *v);
        v->type = t;
        v->count = 1;
        v->i = wgsl_alloc(ctx, sizeof(int64_t));
        v->f = wgsl_alloc(ctx, sizeof(double));
        bool ok;
        switch (t->kind) {
        case WT_BOOL: ok = x == 0.0 || x == 1.0; break;
        case WT_I32:
            ok = x == trunc(x) && x >= -2147483648.0 && x <= 2147483647.0;
            break;
        case WT_U32: ok = x == trunc(x) && x >= 0.0 && x <= 4294967295.0; break;
        case WT_F16: ok = isfinite(x) && fabs(x) <= 65504.0; break;
        default:
            ok = isfinite(x) && fabs(x) <= 3.40282346638528859812e38;
            break;
        }
        if (!ok)
            wgsl_error(ctx, d->line, d->column,
                       "override '%s' is %s: the value %.17g given for it "
                       "does not fit",
                       d->name, tname(c, t), x);
        if (t->kind == WT_F32 || t->kind == WT_F16)
            v->f[0] = t->kind == WT_F32 ? (double)(float)x : x;
        else
            v->i[0] = (int64_t)x;
        return v;
    }
    return NULL;
}

static void check_value_decl(checker *c, wgsl_decl *d)
{
    const wgsl_type *declared =
        d->type_expr ? resolve_type(c, d->type_expr) : NULL;
    const wgsl_type *t = declared;
    if (d->init) {
        const wgsl_type *it = check_expr(c, d->init);
        if (!(d->kind == DECL_LET && it->kind == WT_PTR))
            it = value_type(c, d->init);
        if (declared) {
            char what[300];
            snprintf(what, sizeof what, "the initializer of '%s'", d->name);
            if (declared->kind == WT_PTR) {
                if (it != declared)
                    FAIL(d->init, "%s has type '%s', expected '%s'", what,
                         tname(c, it), tname(c, declared));
            } else {
                convert(c, d->init, declared, what);
            }
        } else if (d->kind == DECL_CONST) {
            t = it;
        } else {
            t = concrete(c, d->init);
        }
        if (!declared && d->kind != DECL_CONST)
            t = d->init->type;
        if (!declared && d->kind == DECL_CONST)
            t = d->init->type;
    }
    if (!t)
        wgsl_error(c->ctx, d->line, d->column,
                   "'%s' needs a type or an initializer", d->name);
    if (t->kind == WT_VOID)
        FAIL(d->init, "this call returns no value");
    d->type = t;
    switch (d->kind) {
    case DECL_CONST: {
        if (d->init == NULL || !d->init->value)
            FAIL(d->init ? d->init : d->type_expr,
                 "the initializer of const '%s' must be a constant "
                 "expression (literals, other consts and operators on them)",
                 d->name);
        wgsl_sym *sym =
            d->sym ? d->sym
                   : declare(c, SYM_CONST, d->name, d, d->line, d->column);
        sym->type = t;
        sym->value = d->init->value;
        return;
    }
    case DECL_OVERRIDE: {
        if (!wgsl_is_scalar(t) || wgsl_is_abstract(t))
            wgsl_error(c->ctx, d->line, d->column,
                       "override '%s' must be a concrete scalar (bool, i32, "
                       "u32, f32), got '%s'",
                       d->name, tname(c, t));
        wgsl_attr *id = find_attr(d->attrs, d->nattrs, "id");
        d->override_id = id ? (int)attr_int(c, id, "the override id") : -1;
        if (id && (d->override_id < 0 || d->override_id > 65535))
            wgsl_error(c->ctx, id->line, id->column,
                       "@id must be 0 to 65535, got %d", d->override_id);
        d->sym->type = t;
        wgsl_value *given = override_value(c, d, t);
        if (given) {
            d->sym->value = given;
            return;
        }
        if (!d->init || !d->init->value)
            wgsl_error(c->ctx, d->line, d->column,
                       "override '%s' has no value: give it a constant "
                       "default, or a value through the API (constants=)",
                       d->name);
        d->sym->value = d->init->value;
        return;
    }
    case DECL_LET: {
        if (!d->init)
            wgsl_error(c->ctx, d->line, d->column, "let needs an initializer");
        if (!wgsl_is_constructible(t) && t->kind != WT_PTR)
            FAIL(d->init, "let '%s' cannot hold a '%s'", d->name, tname(c, t));
        wgsl_sym *sym = declare(c, SYM_LET, d->name, d, d->line, d->column);
        sym->type = t;
        if (t->kind == WT_PTR)
            sym->pointer_expr = d->init;
        return;
    }
    case DECL_VAR: {
        wgsl_space space = d->space_given ? d->space : default_space(c);
        bool handle = t->kind == WT_SAMPLER ||
                      t->kind == WT_SAMPLER_COMPARISON ||
                      t->kind == WT_TEXTURE || t->kind == WT_STORAGE_TEXTURE;
        if (handle) {
            if (d->space_given)
                wgsl_error(c->ctx, d->space_line, d->space_column,
                           "textures and samplers take no address space");
            space = SPACE_HANDLE;
        }
        if (space == SPACE_NONE)
            wgsl_error(c->ctx, d->line, d->column,
                       "module-scope var '%s' needs an address space: "
                       "var<private>, var<workgroup>, var<uniform> or "
                       "var<storage>",
                       d->name);
        if (c->fn && space != SPACE_FUNCTION)
            wgsl_error(c->ctx, d->space_line, d->space_column,
                       "a var inside a function must be in the function "
                       "address space");
        if (!c->fn && space == SPACE_FUNCTION)
            wgsl_error(c->ctx, d->space_line, d->space_column,
                       "the function address space is only for variables "
                       "inside functions");
        wgsl_access access = d->access;
        if (d->access && space != SPACE_STORAGE)
            wgsl_error(c->ctx, d->space_line, d->space_column,
                       "an access mode is only allowed for var<storage>");
        if (space == SPACE_STORAGE && access == ACCESS_NONE)
            access = ACCESS_READ;
        if (space == SPACE_STORAGE && access == ACCESS_WRITE)
            wgsl_error(c->ctx, d->space_line, d->space_column,
                       "storage buffers are 'read' or 'read_write', not "
                       "'write'");
        if (space == SPACE_UNIFORM)
            access = ACCESS_READ;
        if (space == SPACE_FUNCTION || space == SPACE_PRIVATE ||
            space == SPACE_WORKGROUP)
            access = ACCESS_READ_WRITE;
        if (handle)
            access = ACCESS_READ;
        if ((space == SPACE_UNIFORM || space == SPACE_STORAGE) &&
            !wgsl_is_host_shareable(t))
            wgsl_error(c->ctx, d->line, d->column,
                       "'%s' has type '%s', which cannot be in a %s buffer "
                       "(bool and pointers are not host-shareable)",
                       d->name, tname(c, t),
                       space == SPACE_UNIFORM ? "uniform" : "storage");
        bool runtime =
            (t->kind == WT_ARRAY && t->count == 0) ||
            (t->kind == WT_STRUCT &&
             t->st->members[t->st->member_count - 1].type->kind == WT_ARRAY &&
             t->st->members[t->st->member_count - 1].type->count == 0);
        if (runtime && space != SPACE_STORAGE)
            wgsl_error(c->ctx, d->line, d->column,
                       "'%s' has a runtime-sized array: only var<storage> "
                       "may",
                       d->name);
        if (wgsl_scalar_of(t)->kind == WT_ATOMIC || (t->kind == WT_ATOMIC)) {
            if (space != SPACE_STORAGE && space != SPACE_WORKGROUP)
                wgsl_error(c->ctx, d->line, d->column,
                           "atomics live in var<storage, read_write> or "
                           "var<workgroup>");
        }
        if (d->init && (space != SPACE_FUNCTION && space != SPACE_PRIVATE))
            FAIL(d->init, "a var<%s> cannot have an initializer",
                 space == SPACE_WORKGROUP ? "workgroup"
                 : space == SPACE_UNIFORM ? "uniform"
                 : space == SPACE_STORAGE ? "storage"
                                          : "handle");
        if (d->init && space == SPACE_PRIVATE && !d->init->value)
            FAIL(d->init, "a var<private> initializer must be a constant "
                          "expression");
        if (!handle && space != SPACE_STORAGE && space != SPACE_UNIFORM &&
            space != SPACE_WORKGROUP && !wgsl_is_constructible(t))
            wgsl_error(c->ctx, d->line, d->column,
                       "var '%s' of type '%s' must be constructible in the "
                       "%s address space",
                       d->name, tname(c, t),
                       space == SPACE_FUNCTION ? "function" : "private");
        d->space = space;
        d->access = access;
        wgsl_sym *sym =
            d->sym ? d->sym
                   : declare(c, SYM_VAR, d->name, d, d->line, d->column);
        sym->type = t;
        sym->space = space;
        sym->access = access;
        if (space == SPACE_UNIFORM || space == SPACE_STORAGE || handle) {
            wgsl_attr *g = find_attr(d->attrs, d->nattrs, "group");
            wgsl_attr *b = find_attr(d->attrs, d->nattrs, "binding");
            if (!g || !b)
                wgsl_error(c->ctx, d->line, d->column,
                           "resource '%s' needs @group(n) and @binding(n)",
                           d->name);
            d->group = (int)attr_int(c, g, "the group number");
            d->binding = (int)attr_int(c, b, "the binding number");
            if (d->group < 0 || d->binding < 0 || d->group > 1023 ||
                d->binding > 1023)
                wgsl_error(c->ctx, g->line, g->column,
                           "@group and @binding must be 0 to 1023");
            d->is_resource = true;
        } else if (find_attr(d->attrs, d->nattrs, "group") ||
                   find_attr(d->attrs, d->nattrs, "binding")) {
            wgsl_error(c->ctx, d->line, d->column,
                       "only resources (uniform, storage, textures, "
                       "samplers) take @group and @binding");
        }
        return;
    }
    default: return;
    }
}

static void check_block(checker *c, wgsl_stmt *s, bool new_scope);

static void check_assign_target(checker *c, wgsl_expr *lhs)
{
    const wgsl_type *t = check_expr(c, lhs);
    if (!lhs->is_ref) {
        if (lhs->kind == EX_IDENT && lhs->sym &&
            (lhs->sym->kind == SYM_LET || lhs->sym->kind == SYM_PARAM))
            FAIL(lhs,
                 "cannot assign to '%s': it is a 'let' or a parameter, "
                 "not a 'var'",
                 lhs->name);
        if (lhs->kind == EX_MEMBER && lhs->member_index == -1)
            FAIL(lhs, "cannot assign to a swizzle of several components: "
                      "assign each component");
        FAIL(lhs, "cannot assign to this expression: expected a variable, a "
                  "part of one, or *pointer");
    }
    if (lhs->access == ACCESS_READ)
        FAIL(lhs,
             "cannot write to read-only memory (%s): declare it "
             "var<storage, read_write>",
             lhs->space == SPACE_UNIFORM ? "a uniform buffer"
                                         : "a read-only storage buffer");
    if (t->kind == WT_ATOMIC)
        FAIL(lhs, "cannot assign to an atomic: use atomicStore");
    if (!wgsl_is_constructible(t))
        FAIL(lhs, "cannot assign a whole '%s'", tname(c, t));
}

static void check_stmt(checker *c, wgsl_stmt *s)
{
    switch (s->kind) {
    case ST_BLOCK: check_block(c, s, true); return;
    case ST_VAR:
    case ST_LET:
    case ST_CONST:
        if (s->kind == ST_VAR && s->decl->space_given &&
            s->decl->space != SPACE_FUNCTION)
            wgsl_error(c->ctx, s->decl->space_line, s->decl->space_column,
                       "a var inside a function must be in the function "
                       "address space");
        if (s->kind == ST_CONST) {
            check_value_decl(c, s->decl);
        } else {
            check_value_decl(c, s->decl);
        }
        return;
    case ST_ASSIGN:
        if (!s->a) {
            check_expr(c, s->b);
            if (s->b->type->kind == WT_VOID)
                FAIL(s->b, "this call returns no value");
            concrete(c, s->b);
            return;
        }
        check_assign_target(c, s->a);
        value_type(c, s->b);
        if (s->op == TK_EQ) {
            convert(c, s->b, s->a->type, "the assigned value");
        } else {
            /* a op= b is a = a op b */
            wgsl_expr tmp = {0};
            tmp.kind = EX_BINARY;
            tmp.line = s->line;
            tmp.column = s->column;
            tmp.a = wgsl_alloc(c->ctx, sizeof *tmp.a);
            *tmp.a = *s->a;
            tmp.a->value = NULL;
            tmp.b = s->b;
            static const struct {
                wgsl_tok assign, op;
            } ops[] = {{TK_PLUSEQ, TK_PLUS},       {TK_MINUSEQ, TK_MINUS},
                       {TK_STAREQ, TK_STAR},       {TK_SLASHEQ, TK_SLASH},
                       {TK_PERCENTEQ, TK_PERCENT}, {TK_AMPEQ, TK_AMP},
                       {TK_PIPEEQ, TK_PIPE},       {TK_CARETEQ, TK_CARET},
                       {TK_SHLEQ, TK_SHL},         {TK_SHREQ, TK_SHR}};
            for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
                if (ops[i].assign == s->op)
                    tmp.op = ops[i].op;
            const wgsl_type *r = check_binary(c, &tmp);
            if (r != s->a->type)
                FAIL(s, "'%s' gives '%s', which cannot be stored in '%s'",
                     wgsl_token_name(s->op), tname(c, r), tname(c, s->a->type));
        }
        return;
    case ST_INCDEC: {
        check_assign_target(c, s->a);
        const wgsl_type *t = s->a->type;
        if (t->kind != WT_I32 && t->kind != WT_U32)
            FAIL(s->a, "'%s' needs an i32 or u32 variable, got '%s'",
                 wgsl_token_name(s->op), tname(c, t));
        return;
    }
    case ST_CALL:
        if (s->a->kind != EX_CALL)
            FAIL(s->a, "expected a function call");
        check_expr(c, s->a);
        if (s->a->builtin == BI_NONE && s->a->ctor)
            FAIL(s->a, "a type constructor is not a statement: its value "
                       "would be unused");
        return;
    case ST_IF:
        value_type(c, s->a);
        convert(c, s->a, bool_t(c), "the if condition");
        check_block(c, s->then, true);
        if (s->otherwise) {
            if (s->otherwise->kind == ST_IF)
                check_stmt(c, s->otherwise);
            else
                check_block(c, s->otherwise, true);
        }
        return;
    case ST_SWITCH: {
        const wgsl_type *t = value_type(c, s->a);
        int defaults = 0;
        /* the selector type: concrete i32/u32, or from the cases */
        if (t->kind == WT_AINT) {
            const wgsl_type *to = i32_t(c);
            for (int i = 0; i < s->ncases; i++)
                for (int j = 0; j < s->cases[i].count; j++)
                    if (s->cases[i].selectors[j] &&
                        check_expr(c, s->cases[i].selectors[j])->kind == WT_U32)
                        to = u32_t(c);
            materialize(c, s->a, to);
            t = to;
        }
        if (t->kind != WT_I32 && t->kind != WT_U32)
            FAIL(s->a, "the switch selector must be i32 or u32, got '%s'",
                 tname(c, t));
        int64_t *seen = wgsl_alloc(c->ctx, sizeof(int64_t) * 1);
        int nseen = 0, capacity = 1;
        for (int i = 0; i < s->ncases; i++) {
            wgsl_case *k = &s->cases[i];
            for (int j = 0; j < k->count; j++) {
                wgsl_expr *sel = k->selectors[j];
                if (!sel) {
                    defaults++;
                    continue;
                }
                check_expr(c, sel);
                if (!sel->value)
                    FAIL(sel, "a case selector must be a constant expression");
                convert(c, sel, t, "the case selector");
                int64_t v = sel->value->i[0];
                for (int q = 0; q < nseen; q++)
                    if (seen[q] == v)
                        FAIL(sel, "case value %lld appears twice",
                             (long long)v);
                if (nseen == capacity) {
                    int64_t *more = wgsl_alloc(
                        c->ctx, sizeof(int64_t) * (size_t)capacity * 2);
                    memcpy(more, seen, sizeof(int64_t) * (size_t)nseen);
                    seen = more;
                    capacity *= 2;
                }
                seen[nseen++] = v;
            }
            c->switch_depth++;
            check_block(c, k->body, true);
            c->switch_depth--;
        }
        if (defaults != 1)
            FAIL(s, "a switch needs exactly one 'default' clause, found %d",
                 defaults);
        return;
    }
    case ST_LOOP:
        c->loop_depth++;
        push_scope(c);
        check_block(c, s->body, false);
        if (s->continuing) {
            c->continuing_depth++;
            int saved_switch = c->switch_depth;
            c->switch_depth = 0;
            check_block(c, s->continuing, true);
            c->switch_depth = saved_switch;
            c->continuing_depth--;
        }
        pop_scope(c);
        c->loop_depth--;
        return;
    case ST_FOR:
        push_scope(c);
        if (s->init)
            check_stmt(c, s->init);
        if (s->a) {
            value_type(c, s->a);
            convert(c, s->a, bool_t(c), "the for loop condition");
        }
        if (s->update) {
            if (s->update->kind == ST_VAR || s->update->kind == ST_LET ||
                s->update->kind == ST_CONST)
                FAIL(s->update, "the for loop update cannot be a "
                                "declaration");
            check_stmt(c, s->update);
        }
        c->loop_depth++;
        check_block(c, s->body, true);
        c->loop_depth--;
        pop_scope(c);
        return;
    case ST_WHILE:
        value_type(c, s->a);
        convert(c, s->a, bool_t(c), "the while condition");
        c->loop_depth++;
        check_block(c, s->body, true);
        c->loop_depth--;
        return;
    case ST_BREAK:
        if (c->continuing_depth && !c->switch_depth)
            FAIL(s, "'break' is not allowed in a continuing block: use "
                    "'break if'");
        if (!c->loop_depth && !c->switch_depth)
            FAIL(s, "'break' outside of a loop or switch");
        return;
    case ST_BREAK_IF:
        value_type(c, s->a);
        convert(c, s->a, bool_t(c), "the break if condition");
        return;
    case ST_CONTINUE:
        if (!c->loop_depth)
            FAIL(s, "'continue' outside of a loop");
        if (c->continuing_depth)
            FAIL(s, "'continue' is not allowed in a continuing block");
        return;
    case ST_RETURN: {
        if (c->continuing_depth)
            FAIL(s, "'return' is not allowed in a continuing block");
        const wgsl_type *rt = c->fn->type;
        if (!s->a) {
            if (rt)
                FAIL(s, "'%s' must return a value of type '%s'", c->fn->name,
                     tname(c, rt));
            return;
        }
        if (!rt)
            FAIL(s->a, "'%s' returns no value: expected 'return;'",
                 c->fn->name);
        value_type(c, s->a);
        convert(c, s->a, rt, "the returned value");
        return;
    }
    case ST_DISCARD: FAIL(s, "'discard' is only allowed in fragment shaders");
    case ST_CONST_ASSERT:
        check_expr(c, s->a);
        if (!s->a->value || s->a->type->kind != WT_BOOL)
            FAIL(s->a, "const_assert needs a constant bool expression");
        if (!s->a->value->i[0])
            FAIL(s->a, "const_assert failed");
        return;
    case ST_EMPTY: return;
    }
}

static void check_block(checker *c, wgsl_stmt *s, bool new_scope)
{
    if (new_scope)
        push_scope(c);
    for (int i = 0; i < s->count; i++)
        check_stmt(c, s->stmts[i]);
    if (new_scope)
        pop_scope(c);
}

/* Whether every path through a statement list returns. */
static bool returns(wgsl_stmt *s)
{
    if (!s)
        return false;
    switch (s->kind) {
    case ST_RETURN: return true;
    case ST_BLOCK:
        for (int i = 0; i < s->count; i++)
            if (returns(s->stmts[i]))
                return true;
        return false;
    case ST_IF: return returns(s->then) && returns(s->otherwise);
    case ST_SWITCH:
        for (int i = 0; i < s->ncases; i++)
            if (!returns(s->cases[i].body))
                return false;
        return true;
    case ST_LOOP:
        return true; /* a loop without break is infinite: not checked */
    default: return false;
    }
}

static int builtin_value(checker *c, wgsl_attr *a)
{
    if (a->nargs != 1 || a->args[0]->kind != EX_IDENT)
        wgsl_error(c->ctx, a->line, a->column,
                   "@builtin takes the name of a built-in value");
    const char *name = a->args[0]->name;
    if (strcmp(name, "global_invocation_id") == 0)
        return BV_GLOBAL_INVOCATION_ID;
    if (strcmp(name, "local_invocation_id") == 0)
        return BV_LOCAL_INVOCATION_ID;
    if (strcmp(name, "local_invocation_index") == 0)
        return BV_LOCAL_INVOCATION_INDEX;
    if (strcmp(name, "workgroup_id") == 0)
        return BV_WORKGROUP_ID;
    if (strcmp(name, "num_workgroups") == 0)
        return BV_NUM_WORKGROUPS;
    wgsl_error(c->ctx, a->args[0]->line, a->args[0]->column,
               "unknown or non-compute built-in value '%s': expected "
               "global_invocation_id, local_invocation_id, "
               "local_invocation_index, workgroup_id or num_workgroups",
               name);
}

/* Parameter and return types, before any body is checked: a call may come
 * before the callee's declaration. */
static void resolve_signature(checker *c, wgsl_decl *d)
{
    for (int i = 0; i < d->nparams; i++)
        d->params[i]->type = resolve_type(c, d->params[i]->type_expr);
    if (d->return_type)
        d->type = resolve_type(c, d->return_type);
}

static void check_fn(checker *c, wgsl_decl *d)
{
    static const char *const allowed[] = {"compute", "workgroup_size",
                                          "must_use", "diagnostic", NULL};
    for (int i = 0; i < d->nattrs; i++) {
        const char *n = d->attrs[i].name;
        if (strcmp(n, "vertex") == 0 || strcmp(n, "fragment") == 0)
            wgsl_error(c->ctx, d->attrs[i].line, d->attrs[i].column,
                       "@%s entry points are not supported: compushady runs "
                       "@compute shaders only",
                       n);
    }
    check_attrs_known(c, d->attrs, d->nattrs, allowed, "a function");
    bool entry = find_attr(d->attrs, d->nattrs, "compute") != NULL;
    c->fn = d;
    push_scope(c);
    for (int i = 0; i < d->nparams; i++) {
        wgsl_decl *p = d->params[i];
        wgsl_attr *b = find_attr(p->attrs, p->nattrs, "builtin");
        if (entry) {
            if (!b)
                wgsl_error(c->ctx, p->line, p->column,
                           "entry point parameter '%s' needs @builtin(...): "
                           "compute shaders have no other inputs",
                           p->name);
            p->builtin_value = builtin_value(c, b);
            const wgsl_type *want =
                p->builtin_value == BV_LOCAL_INVOCATION_INDEX
                    ? u32_t(c)
                    : wgsl_vec(c->ctx, 3, u32_t(c));
            if (p->type != want)
                wgsl_error(c->ctx, p->line, p->column,
                           "@builtin(%s) must have type '%s', got '%s'",
                           b->args[0]->name, tname(c, want), tname(c, p->type));
        } else if (b) {
            wgsl_error(c->ctx, b->line, b->column,
                       "@builtin is only allowed on entry point parameters");
        }
        const wgsl_type *t = p->type;
        if (t->kind == WT_PTR) {
            if (t->space != SPACE_FUNCTION && t->space != SPACE_PRIVATE &&
                t->space != SPACE_WORKGROUP && t->space != SPACE_STORAGE &&
                t->space != SPACE_UNIFORM)
                wgsl_error(c->ctx, p->line, p->column,
                           "pointer parameter in an unsupported address "
                           "space");
            if (wgsl_scalar_of(t->elem)->kind == WT_ATOMIC ||
                t->elem->kind == WT_ATOMIC ||
                (t->elem->kind == WT_ARRAY && t->elem->count == 0))
                wgsl_error(c->ctx, p->line, p->column,
                           "pointers to atomics or runtime-sized arrays "
                           "cannot be function parameters in this compiler");
        } else if (t->kind == WT_STORAGE_TEXTURE) {
            /* glslang wants a GLSL image parameter to have the format of
             * the image passed, and takes no format on a parameter */
            wgsl_error(c->ctx, p->line, p->column,
                       "a storage texture ('%s') cannot be a function "
                       "parameter in this compiler: use the module-scope "
                       "variable directly",
                       tname(c, t));
        } else if (!wgsl_is_constructible(t) && t->kind != WT_TEXTURE &&
                   t->kind != WT_STORAGE_TEXTURE && t->kind != WT_SAMPLER &&
                   t->kind != WT_SAMPLER_COMPARISON) {
            wgsl_error(c->ctx, p->line, p->column,
                       "parameter '%s' of type '%s' is not allowed", p->name,
                       tname(c, t));
        }
        wgsl_sym *sym = declare(c, SYM_PARAM, p->name, p, p->line, p->column);
        sym->type = t;
    }
    if (d->return_type) {
        if (entry)
            wgsl_error(c->ctx, d->return_type->line, d->return_type->column,
                       "a compute entry point returns nothing");
        if (!wgsl_is_constructible(d->type))
            wgsl_error(c->ctx, d->return_type->line, d->return_type->column,
                       "a function cannot return '%s'", tname(c, d->type));
    }
    if (entry) {
        wgsl_attr *ws = find_attr(d->attrs, d->nattrs, "workgroup_size");
        if (!ws)
            wgsl_error(c->ctx, d->line, d->column,
                       "@compute entry point '%s' needs "
                       "@workgroup_size(x, y, z)",
                       d->name);
        if (ws->nargs < 1 || ws->nargs > 3)
            wgsl_error(c->ctx, ws->line, ws->column,
                       "@workgroup_size takes 1 to 3 arguments");
        const wgsl_type *kind = NULL;
        for (int i = 0; i < ws->nargs; i++) {
            wgsl_expr *a = ws->args[i];
            check_expr(c, a);
            const wgsl_type *t = a->type;
            if (t->kind != WT_AINT && t->kind != WT_I32 && t->kind != WT_U32)
                FAIL(a, "workgroup size must be an integer, got '%s'",
                     tname(c, t));
            if (!a->value && !(a->kind == EX_IDENT && a->sym &&
                               a->sym->kind == SYM_OVERRIDE))
                FAIL(a, "workgroup size must be a constant or an override");
            if (t->kind != WT_AINT) {
                if (kind && kind != t)
                    FAIL(a, "workgroup size arguments must have one type");
                kind = t;
            }
            if (a->value && a->value->i[0] < 1)
                FAIL(a, "workgroup size must be at least 1, got %lld",
                     (long long)a->value->i[0]);
            if (a->value && a->value->i[0] > 1024)
                FAIL(a, "workgroup size %lld is larger than 1024",
                     (long long)a->value->i[0]);
            d->workgroup_size[i] = a;
        }
        d->workgroup_size_line = ws->line;
        d->workgroup_size_column = ws->column;
    } else if (find_attr(d->attrs, d->nattrs, "workgroup_size")) {
        wgsl_attr *ws = find_attr(d->attrs, d->nattrs, "workgroup_size");
        wgsl_error(c->ctx, ws->line, ws->column,
                   "@workgroup_size needs @compute");
    }
    check_block(c, d->body, false);
    if (d->type && !returns(d->body))
        wgsl_error(c->ctx, d->line, d->column,
                   "function '%s' must return a '%s' on every path", d->name,
                   tname(c, d->type));
    pop_scope(c);
    c->fn = NULL;
}

/* The group/binding -> register mapping of the original's naga path: the
 * resources sorted by (group, binding), then numbered per kind: uniform
 * buffers b0.., read-only storage buffers and sampled textures t0..,
 * read-write storage buffers and storage textures u0.., samplers s0.. */
static void assign_registers(checker *c)
{
    wgsl_program *program = c->program;
    int n = 0;
    for (int i = 0; i < program->count; i++)
        if (program->decls[i]->is_resource)
            n++;
    wgsl_decl **r = wgsl_alloc(c->ctx, sizeof *r * (size_t)(n + 1));
    n = 0;
    for (int i = 0; i < program->count; i++)
        if (program->decls[i]->is_resource)
            r[n++] = program->decls[i];
    for (int i = 1; i < n; i++) /* insertion sort: stable */
        for (int j = i; j > 0; j--) {
            wgsl_decl *a = r[j - 1], *b = r[j];
            if (a->group > b->group ||
                (a->group == b->group && a->binding > b->binding)) {
                r[j - 1] = b;
                r[j] = a;
            } else {
                break;
            }
        }
    uint32_t next[4] = {0, 1024, 2048, 3072};
    for (int i = 0; i < n; i++) {
        wgsl_decl *d = r[i];
        if (i > 0 && r[i - 1]->group == d->group &&
            r[i - 1]->binding == d->binding)
            wgsl_error(c->ctx, d->line, d->column,
                       "'%s' uses @group(%d) @binding(%d) like '%s'", d->name,
                       d->group, d->binding, r[i - 1]->name);
        const wgsl_type *t = d->type;
        int kind;
        if (d->space == SPACE_UNIFORM)
            kind = 0;
        else if (d->space == SPACE_STORAGE)
            kind = d->access == ACCESS_READ ? 1 : 2;
        else if (t->kind == WT_TEXTURE)
            kind = 1;
        else if (t->kind == WT_STORAGE_TEXTURE)
            kind = 2;
        else
            kind = 3;
        d->register_binding = next[kind]++;
    }
}

wgsl_decl *wgsl_check(wgsl_ctx *ctx, wgsl_program *program,
                      const char *entry_point)
{
    checker cc = {0}, *c = &cc;
    c->ctx = ctx;
    ctx->constant_used =
        wgsl_alloc(ctx, sizeof(bool) * (ctx->constant_count + 1));
    c->program = program;
    c->f16 = program->enable_f16;
    c->globals = wgsl_alloc(ctx, sizeof *c->globals);
    c->current = c->globals;
    /* declare every module-scope name first: WGSL allows any order */
    for (int i = 0; i < program->count; i++) {
        wgsl_decl *d = program->decls[i];
        wgsl_sym_kind kind;
        switch (d->kind) {
        case DECL_FN: kind = SYM_FN; break;
        case DECL_STRUCT: kind = SYM_STRUCT; break;
        case DECL_ALIAS: kind = SYM_ALIAS; break;
        case DECL_CONST: kind = SYM_CONST; break;
        case DECL_OVERRIDE: kind = SYM_OVERRIDE; break;
        case DECL_VAR: kind = SYM_VAR; break;
        default: continue;
        }
        if (is_type_name(d->name) || is_builtin_name(d->name)) {
            /* WGSL allows shadowing predeclared names; this compiler keeps
             * them reserved so that the lowering stays simple */
            wgsl_error(ctx, d->line, d->column,
                       "'%s' is a predeclared type or built-in function "
                       "name: choose another name",
                       d->name);
        }
        declare(c, kind, d->name, d, d->line, d->column);
    }
    for (int i = 0; i < program->count; i++) {
        wgsl_decl *d = program->decls[i];
        if (d->kind == DECL_CONST_ASSERT) {
            check_expr(c, d->init);
            if (!d->init->value || d->init->type->kind != WT_BOOL)
                FAIL(d->init, "const_assert needs a constant bool "
                              "expression");
            if (!d->init->value->i[0])
                FAIL(d->init, "const_assert failed");
        } else if (d->kind != DECL_FN) {
            resolve_global(c, d);
        }
    }
    for (uint32_t i = 0; i < ctx->constant_count; i++)
        if (!ctx->constant_used[i])
            wgsl_error(ctx, 1, 1,
                       "the constant '%s' given through the API names no "
                       "override of the shader (by name or @id)",
                       ctx->constants[i].name);
    wgsl_decl *entry = NULL;
    for (int i = 0; i < program->count; i++) {
        wgsl_decl *d = program->decls[i];
        if (d->kind != DECL_FN)
            continue;
        if (find_attr(d->attrs, d->nattrs, "compute") &&
            strcmp(d->name, entry_point) == 0) {
            entry = d;
            d->is_entry = true;
        }
    }
    for (int i = 0; i < program->count; i++)
        if (program->decls[i]->kind == DECL_FN)
            resolve_signature(c, program->decls[i]);
    for (int i = 0; i < program->count; i++)
        if (program->decls[i]->kind == DECL_FN)
            check_fn(c, program->decls[i]);
    assign_registers(c);
    if (!entry) {
        char names[512] = "";
        for (int i = 0; i < program->count; i++) {
            wgsl_decl *d = program->decls[i];
            if (d->kind == DECL_FN &&
                find_attr(d->attrs, d->nattrs, "compute")) {
                size_t length = strlen(names);
                snprintf(names + length, sizeof names - length, "%s'%s'",
                         length ? ", " : "", d->name);
            }
        }
        wgsl_error(ctx, 1, 1,
                   "entry point '%s' not found: expected a @compute function "
                   "named '%s'%s%s",
                   entry_point, entry_point,
                   names[0] ? "; the shader's @compute functions are " : "",
                   names);
    }
    return entry;
}

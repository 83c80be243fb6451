/* const_eval.c - evaluates constant expressions (literals, consts, operators,
 * constructors, swizzles, indexing and a few builtins) with WGSL's rules:
 * abstract-int in 64 bits, abstract-float in double, overflow of a constant
 * expression is an error. Values are converted to concrete types when an
 * abstract expression meets a concrete one. */
#include "wgsl_internal.h"

#include <math.h>
#include <string.h>

static wgsl_value *new_value(wgsl_ctx *ctx, const wgsl_type *type, int count)
{
    wgsl_value *v = wgsl_alloc(ctx, sizeof *v);
    v->type = type;
    v->count = count;
    v->i = wgsl_alloc(ctx, sizeof(int64_t) * (size_t)(count ? count : 1));
    v->f = wgsl_alloc(ctx, sizeof(double) * (size_t)(count ? count : 1));
    return v;
}

static int components(const wgsl_type *t)
{
    if (t->kind == WT_VEC)
        return t->n;
    if (t->kind == WT_MAT)
        return t->n * t->rows;
    return 1;
}

static bool is_flat(const wgsl_type *t)
{
    return wgsl_is_scalar(t) || t->kind == WT_VEC || t->kind == WT_MAT;
}

static bool float_kind(const wgsl_type *t)
{
    return wgsl_is_float_scalar(wgsl_scalar_of(t));
}

/* Rounds to the precision of a concrete float type; fails when it does not
 * fit. */
static double round_float(wgsl_ctx *ctx, double x, wgsl_kind kind, int line,
                          int column)
{
    if (!isfinite(x))
        wgsl_error(ctx, line, column,
                   "constant expression gives an infinite or NaN value");
    if (kind == WT_F32) {
        if (fabs(x) > 3.40282346638528859812e38)
            wgsl_error(ctx, line, column,
                       "constant value %g does not fit in f32", x);
        return (double)(float)x;
    }
    if (kind == WT_F16) {
        if (fabs(x) > 65504.0)
            wgsl_error(ctx, line, column,
                       "constant value %g does not fit in f16", x);
        return x;
    }
    return x;
}

static int64_t check_int(wgsl_ctx *ctx, int64_t x, wgsl_kind kind, int line,
                         int column)
{
    if (kind == WT_I32 && (x < INT32_MIN || x > INT32_MAX))
        wgsl_error(ctx, line, column, "constant value %lld does not fit in i32",
                   (long long)x);
    if (kind == WT_U32 && (x < 0 || x > (int64_t)UINT32_MAX))
        wgsl_error(ctx, line, column, "constant value %lld does not fit in u32",
                   (long long)x);
    return x;
}

wgsl_value *wgsl_value_convert(wgsl_ctx *ctx, const wgsl_value *value,
                               const wgsl_type *to, int line, int column)
{
    if (value->type == to)
        return (wgsl_value *)value;
    if (to->kind == WT_ARRAY || to->kind == WT_STRUCT) {
        wgsl_value *v = wgsl_alloc(ctx, sizeof *v);
        v->type = to;
        v->count = value->count;
        v->elems = wgsl_alloc(ctx, sizeof *v->elems * (size_t)(v->count + 1));
        for (int k = 0; k < v->count; k++) {
            const wgsl_type *et =
                to->kind == WT_ARRAY ? to->elem : to->st->members[k].type;
            v->elems[k] =
                wgsl_value_convert(ctx, value->elems[k], et, line, column);
        }
        return v;
    }
    int n = value->count;
    wgsl_value *v = new_value(ctx, to, n);
    wgsl_kind from = wgsl_scalar_of(value->type)->kind;
    wgsl_kind kind = wgsl_scalar_of(to)->kind;
    for (int k = 0; k < n; k++) {
        bool from_float = from == WT_AFLOAT || from == WT_F32 || from == WT_F16;
        double f = from_float ? value->f[k] : (double)value->i[k];
        int64_t i = value->i[k];
        switch (kind) {
        case WT_BOOL: v->i[k] = from_float ? f != 0.0 : i != 0; break;
        case WT_AINT:
        case WT_I32:
        case WT_U32:
            if (from_float) {
                /* only explicit conversions get here: WGSL truncates and
                 * saturates float to integer */
                double t = trunc(f);
                double lo = kind == WT_U32 ? 0.0 : -2147483648.0;
                double hi = kind == WT_U32 ? 4294967040.0 : 2147483520.0;
                if (kind == WT_AINT) {
                    lo = -9.2e18;
                    hi = 9.2e18;
                }
                v->i[k] = (int64_t)(t < lo ? lo : t > hi ? hi : t);
            } else if (from == WT_AINT || from == WT_BOOL) {
                v->i[k] = check_int(ctx, i, kind, line, column);
            } else if (kind == WT_U32) {
                v->i[k] = (int64_t)(uint32_t)i; /* bit reinterpretation */
            } else if (kind == WT_I32) {
                v->i[k] = (int64_t)(int32_t)(uint32_t)i;
            } else {
                v->i[k] = i;
            }
            break;
        case WT_AFLOAT:
        case WT_F32:
        case WT_F16: v->f[k] = round_float(ctx, f, kind, line, column); break;
        default: break;
        }
    }
    return v;
}

static wgsl_value *scalar_int(wgsl_ctx *ctx, const wgsl_type *t, int64_t x)
{
    wgsl_value *v = new_value(ctx, t, 1);
    v->i[0] = x;
    return v;
}

/* One component op on integers with WGSL's constant rules. */
static int64_t int_op(wgsl_ctx *ctx, wgsl_expr *e, wgsl_kind kind, int64_t a,
                      int64_t b, bool *ok)
{
    int bits = kind == WT_AINT ? 64 : 32;
    switch (e->op) {
    case TK_PLUS:
        if (kind == WT_AINT &&
            ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)))
            wgsl_error(ctx, e->line, e->column, "constant integer overflow");
        return a + b;
    case TK_MINUS:
        if (kind == WT_AINT &&
            ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b)))
            wgsl_error(ctx, e->line, e->column, "constant integer overflow");
        return a - b;
    case TK_STAR:
        if (kind == WT_AINT) {
            int64_t r;
            if (__builtin_mul_overflow(a, b, &r))
                wgsl_error(ctx, e->line, e->column,
                           "constant integer overflow");
            return r;
        }
        return a * b;
    case TK_SLASH:
    case TK_PERCENT:
        if (b == 0)
            wgsl_error(ctx, e->line, e->column,
                       "constant integer division by zero");
        if (kind == WT_U32)
            return e->op == TK_SLASH ? (int64_t)((uint64_t)a / (uint64_t)b)
                                     : (int64_t)((uint64_t)a % (uint64_t)b);
        if ((kind == WT_I32 && a == INT32_MIN && b == -1) ||
            (kind == WT_AINT && a == INT64_MIN && b == -1))
            wgsl_error(ctx, e->line, e->column, "constant integer overflow");
        return e->op == TK_SLASH ? a / b : a % b;
    case TK_AMP: return a & b;
    case TK_PIPE: return a | b;
    case TK_CARET: return a ^ b;
    case TK_SHL:
    case TK_SHR:
        if (b < 0 || b >= bits)
            wgsl_error(ctx, e->line, e->column,
                       "constant shift by %lld is not less than the bit "
                       "width %d",
                       (long long)b, bits);
        if (e->op == TK_SHL) {
            if (kind == WT_U32)
                return (int64_t)(uint32_t)((uint64_t)a << b);
            if (kind == WT_I32)
                return (int64_t)(int32_t)(uint32_t)((uint64_t)a << b);
            return (int64_t)((uint64_t)a << b);
        }
        if (kind == WT_U32)
            return (int64_t)((uint64_t)a >> b);
        return a >> b; /* arithmetic */
    case TK_EQEQ: return a == b;
    case TK_NE: return a != b;
    case TK_LT: return a < b;
    case TK_GT: return a > b;
    case TK_LE: return a <= b;
    case TK_GE: return a >= b;
    case TK_ANDAND: return a && b;
    case TK_OROR: return a || b;
    default: *ok = false; return 0;
    }
}

static bool is_compare(wgsl_tok op)
{
    return op == TK_EQEQ || op == TK_NE || op == TK_LT || op == TK_GT ||
           op == TK_LE || op == TK_GE;
}

static wgsl_value *eval_binary(wgsl_ctx *ctx, wgsl_expr *e)
{
    wgsl_value *a = e->a->value, *b = e->b->value;
    if (!a || !b || !is_flat(a->type) || !is_flat(b->type))
        return NULL;
    if (a->type->kind == WT_MAT || b->type->kind == WT_MAT)
        return NULL; /* matrix arithmetic is left to GLSL */
    const wgsl_type *operand =
        components(a->type) >= components(b->type) ? a->type : b->type;
    wgsl_kind kind = wgsl_scalar_of(operand)->kind;
    int n = components(e->type);
    wgsl_value *v = new_value(ctx, e->type, n);
    bool fl = float_kind(operand);
    for (int k = 0; k < n; k++) {
        int ka = a->count == 1 ? 0 : k, kb = b->count == 1 ? 0 : k;
        bool ok = true;
        if (!fl) {
            int64_t r = int_op(ctx, e, kind, a->i[ka], b->i[kb], &ok);
            if (!ok)
                return NULL;
            if (!is_compare(e->op) && kind != WT_BOOL) {
                if (kind == WT_I32 &&
                    (e->op == TK_PLUS || e->op == TK_MINUS ||
                     e->op == TK_STAR) &&
                    (r < INT32_MIN || r > INT32_MAX))
                    wgsl_error(ctx, e->line, e->column,
                               "constant i32 overflow");
                if (kind == WT_U32 &&
                    (e->op == TK_PLUS || e->op == TK_MINUS ||
                     e->op == TK_STAR) &&
                    (r < 0 || r > (int64_t)UINT32_MAX))
                    wgsl_error(ctx, e->line, e->column,
                               "constant u32 overflow");
                if (kind == WT_I32)
                    r = (int64_t)(int32_t)(uint32_t)r;
                if (kind == WT_U32)
                    r = (int64_t)(uint32_t)r;
            }
            v->i[k] = r;
            continue;
        }
        double x = a->f[ka], y = b->f[kb];
        switch (e->op) {
        case TK_PLUS: v->f[k] = x + y; break;
        case TK_MINUS: v->f[k] = x - y; break;
        case TK_STAR: v->f[k] = x * y; break;
        case TK_SLASH:
            if (y == 0.0)
                wgsl_error(ctx, e->line, e->column,
                           "constant float division by zero");
            v->f[k] = x / y;
            break;
        case TK_PERCENT:
            if (y == 0.0)
                wgsl_error(ctx, e->line, e->column,
                           "constant float remainder by zero");
            v->f[k] = x - y * trunc(x / y);
            break;
        case TK_EQEQ: v->i[k] = x == y; break;
        case TK_NE: v->i[k] = x != y; break;
        case TK_LT: v->i[k] = x < y; break;
        case TK_GT: v->i[k] = x > y; break;
        case TK_LE: v->i[k] = x <= y; break;
        case TK_GE: v->i[k] = x >= y; break;
        default: return NULL;
        }
        if (!is_compare(e->op))
            v->f[k] = round_float(ctx, v->f[k], kind, e->line, e->column);
    }
    return v;
}

static wgsl_value *eval_unary(wgsl_ctx *ctx, wgsl_expr *e)
{
    wgsl_value *a = e->a->value;
    if (!a || !is_flat(a->type))
        return NULL;
    int n = a->count;
    wgsl_value *v = new_value(ctx, e->type, n);
    wgsl_kind kind = wgsl_scalar_of(a->type)->kind;
    for (int k = 0; k < n; k++) {
        switch (e->op) {
        case TK_MINUS:
            if (float_kind(a->type)) {
                v->f[k] = -a->f[k];
            } else {
                if ((kind == WT_I32 && a->i[k] == INT32_MIN) ||
                    (kind == WT_AINT && a->i[k] == INT64_MIN))
                    wgsl_error(ctx, e->line, e->column,
                               "constant integer overflow in negation");
                v->i[k] = -a->i[k];
            }
            break;
        case TK_BANG: v->i[k] = !a->i[k]; break;
        case TK_TILDE:
            v->i[k] = kind == WT_U32   ? (int64_t)(uint32_t)~a->i[k]
                      : kind == WT_I32 ? (int64_t)(int32_t)~a->i[k]
                                       : ~a->i[k];
            break;
        default: return NULL;
        }
    }
    return v;
}

/* Flattens constructor arguments into scalar components. */
static bool gather(wgsl_expr *e, wgsl_value *v, int n)
{
    int at = 0;
    for (int i = 0; i < e->nargs; i++) {
        wgsl_value *a = e->args[i]->value;
        if (!a || !is_flat(a->type))
            return false;
        for (int k = 0; k < a->count; k++) {
            if (at >= n)
                return false;
            v->i[at] = a->i[k];
            v->f[at] = a->f[k];
            at++;
        }
    }
    if (at == 1 && n > 1) {
        for (int k = 1; k < n; k++) {
            v->i[k] = v->i[0];
            v->f[k] = v->f[0];
        }
        at = n;
    }
    return at == n;
}

static wgsl_value *zero_value(wgsl_ctx *ctx, const wgsl_type *t)
{
    if (t->kind == WT_ARRAY || t->kind == WT_STRUCT) {
        int n = t->kind == WT_ARRAY ? (int)t->count : t->st->member_count;
        if (t->kind == WT_ARRAY && t->count > 4096)
            return NULL;
        wgsl_value *v = wgsl_alloc(ctx, sizeof *v);
        v->type = t;
        v->count = n;
        v->elems = wgsl_alloc(ctx, sizeof *v->elems * (size_t)(n + 1));
        for (int k = 0; k < n; k++) {
            v->elems[k] = zero_value(
                ctx, t->kind == WT_ARRAY ? t->elem : t->st->members[k].type);
            if (!v->elems[k])
                return NULL;
        }
        return v;
    }
    if (!is_flat(t))
        return NULL;
    return new_value(ctx, t, components(t));
}

static double half_to_double(uint32_t h)
{
    int sign = (h >> 15) & 1, exponent = (h >> 10) & 31;
    double mantissa = (double)(h & 1023);
    double x = exponent == 0    ? ldexp(mantissa, -24)
               : exponent == 31 ? (mantissa ? NAN : INFINITY)
                                : ldexp(mantissa + 1024.0, exponent - 25);
    return sign ? -x : x;
}

static uint32_t double_to_half(double x)
{
    /* the value is an f16 already (rounded when it was made): exact */
    uint32_t sign = signbit(x) ? 0x8000u : 0;
    x = fabs(x);
    if (x == 0.0)
        return sign;
    int exponent;
    double fraction = frexp(x, &exponent); /* x = fraction * 2^exponent */
    if (exponent < -13)                    /* subnormal */
        return sign | (uint32_t)llround(ldexp(x, 24));
    return sign | (uint32_t)((exponent + 14) << 10) |
           ((uint32_t)llround(ldexp(fraction, 11)) & 1023u);
}

/* The 32-bit words of a constant's components (f16 ones paired). */
static bool words_of(const wgsl_value *v, uint32_t *words, int *count)
{
    wgsl_kind kind = wgsl_scalar_of(v->type)->kind;
    if (kind == WT_F16) {
        if (v->count % 2)
            return false;
        for (int k = 0; k < v->count; k += 2)
            words[k / 2] = double_to_half(v->f[k]) | double_to_half(v->f[k + 1])
                                                         << 16;
        *count = v->count / 2;
        return true;
    }
    for (int k = 0; k < v->count; k++) {
        if (kind == WT_F32) {
            float f = (float)v->f[k];
            memcpy(&words[k], &f, 4);
        } else {
            words[k] = (uint32_t)v->i[k];
        }
    }
    *count = v->count;
    return true;
}

/* bitcast<T>(constant): the same bits read as T. */
static wgsl_value *eval_bitcast(wgsl_ctx *ctx, wgsl_expr *e)
{
    wgsl_value *a = e->nargs == 1 ? e->args[0]->value : NULL;
    uint32_t words[4];
    int count = 0;
    if (!a || a->count > 4 || !words_of(a, words, &count))
        return NULL;
    const wgsl_type *t = e->type;
    wgsl_kind kind = wgsl_scalar_of(t)->kind;
    int n = t->kind == WT_VEC ? t->n : 1;
    wgsl_value *v = new_value(ctx, t, n);
    for (int k = 0; k < n; k++) {
        if (kind == WT_F16) {
            uint32_t word = words[k / 2];
            v->f[k] = half_to_double(k % 2 ? word >> 16 : word & 0xFFFFu);
        } else if (kind == WT_F32) {
            float f;
            memcpy(&f, &words[k], 4);
            if (!isfinite(f))
                return NULL; /* no literal for it: left to GLSL */
            v->f[k] = f;
        } else if (kind == WT_I32) {
            v->i[k] = (int32_t)words[k];
        } else {
            v->i[k] = words[k];
        }
    }
    for (int k = 0; kind == WT_F16 && k < n; k++)
        if (!isfinite(v->f[k]))
            return NULL;
    return v;
}

static wgsl_value *eval_call(wgsl_ctx *ctx, wgsl_expr *e)
{
    for (int i = 0; i < e->nargs; i++)
        if (!e->args[i]->value)
            return NULL;
    const wgsl_type *t = e->type;
    if (e->builtin == BI_BITCAST)
        return eval_bitcast(ctx, e);
    if (e->ctor) {
        if (e->nargs == 0)
            return zero_value(ctx, t);
        if (t->kind == WT_ARRAY || t->kind == WT_STRUCT) {
            wgsl_value *v = wgsl_alloc(ctx, sizeof *v);
            v->type = t;
            v->count = e->nargs;
            v->elems = wgsl_alloc(ctx, sizeof *v->elems * (size_t)e->nargs);
            for (int i = 0; i < e->nargs; i++)
                v->elems[i] = e->args[i]->value;
            return v;
        }
        if (e->nargs == 1 && is_flat(e->args[0]->type) &&
            components(e->args[0]->type) == components(t))
            return wgsl_value_convert(ctx, e->args[0]->value, t, e->line,
                                      e->column);
        /* vector or matrix from components of its own element type */
        const wgsl_type *el = wgsl_scalar_of(t);
        wgsl_value *v = new_value(ctx, t, components(t));
        if (e->nargs == 1 && components(e->args[0]->type) == 1) {
            wgsl_value *s = wgsl_value_convert(ctx, e->args[0]->value, el,
                                               e->line, e->column);
            for (int k = 0; k < v->count; k++) {
                v->i[k] = s->i[0];
                v->f[k] = s->f[0];
            }
            return v;
        }
        if (!gather(e, v, v->count))
            return NULL;
        return v;
    }
    if (e->builtin == BI_NONE || e->nargs == 0)
        return NULL;
    const wgsl_type *at = e->args[0]->type;
    if (!is_flat(at) || at->kind == WT_MAT || !is_flat(t))
        return NULL;
    bool fl = float_kind(at);
    int n = components(t);
    wgsl_value *v = new_value(ctx, t, n);
    for (int k = 0; k < n; k++) {
        wgsl_value *a0 = e->args[0]->value;
        wgsl_value *a1 = e->nargs > 1 ? e->args[1]->value : NULL;
        wgsl_value *a2 = e->nargs > 2 ? e->args[2]->value : NULL;
        int k0 = a0->count == 1 ? 0 : k;
        int k1 = a1 && a1->count == 1 ? 0 : k;
        int k2 = a2 && a2->count == 1 ? 0 : k;
        switch (e->builtin) {
        case BI_ABS:
            if (fl)
                v->f[k] = fabs(a0->f[k0]);
            else
                v->i[k] = wgsl_scalar_of(at)->kind == WT_U32 ? a0->i[k0]
                          : a0->i[k0] < 0                    ? -a0->i[k0]
                                                             : a0->i[k0];
            break;
        case BI_MIN:
            if (fl)
                v->f[k] = fmin(a0->f[k0], a1->f[k1]);
            else
                v->i[k] = a0->i[k0] < a1->i[k1] ? a0->i[k0] : a1->i[k1];
            break;
        case BI_MAX:
            if (fl)
                v->f[k] = fmax(a0->f[k0], a1->f[k1]);
            else
                v->i[k] = a0->i[k0] > a1->i[k1] ? a0->i[k0] : a1->i[k1];
            break;
        case BI_CLAMP:
            if (fl)
                v->f[k] = fmin(fmax(a0->f[k0], a1->f[k1]), a2->f[k2]);
            else {
                int64_t x = a0->i[k0] > a1->i[k1] ? a0->i[k0] : a1->i[k1];
                v->i[k] = x < a2->i[k2] ? x : a2->i[k2];
            }
            break;
        case BI_SELECT:
            if (wgsl_scalar_of(t)->kind == WT_BOOL || !fl)
                v->i[k] = a2->i[k2] ? a1->i[k1] : a0->i[k0];
            else
                v->f[k] = a2->i[k2] ? a1->f[k1] : a0->f[k0];
            break;
        default: return NULL;
        }
    }
    return v;
}

wgsl_value *wgsl_eval(wgsl_ctx *ctx, wgsl_expr *e)
{
    if (e->value)
        return e->value;
    switch (e->kind) {
    case EX_INT: {
        wgsl_value *v = scalar_int(ctx, e->type, e->ival);
        if (e->type->kind == WT_AFLOAT || e->type->kind == WT_F32)
            v->f[0] = (double)e->ival;
        return v;
    }
    case EX_FLOAT: {
        wgsl_value *v = new_value(ctx, e->type, 1);
        v->f[0] = round_float(ctx, e->fval, e->type->kind, e->line, e->column);
        return v;
    }
    case EX_BOOL: return scalar_int(ctx, e->type, e->ival);
    case EX_PAREN: return e->a->value;
    case EX_IDENT:
        return e->sym && e->sym->kind == SYM_CONST ? e->sym->value : NULL;
    case EX_UNARY:
        if (e->op == TK_AMP || e->op == TK_STAR)
            return NULL;
        return eval_unary(ctx, e);
    case EX_BINARY: return eval_binary(ctx, e);
    case EX_CALL: return eval_call(ctx, e);
    case EX_MEMBER: {
        wgsl_value *a = e->a->value;
        if (!a || e->a->is_ref)
            return NULL;
        if (a->type->kind == WT_STRUCT)
            return e->member_index >= 0 && e->member_index < a->count
                       ? a->elems[e->member_index]
                       : NULL;
        if (a->type->kind != WT_VEC)
            return NULL;
        int n = (int)strlen(e->name);
        wgsl_value *v = new_value(ctx, e->type, n);
        for (int k = 0; k < n; k++) {
            int index = strchr("xr", e->name[k])   ? 0
                        : strchr("yg", e->name[k]) ? 1
                        : strchr("zb", e->name[k]) ? 2
                                                   : 3;
            if (index >= a->count)
                return NULL;
            v->i[k] = a->i[index];
            v->f[k] = a->f[index];
        }
        return v;
    }
    case EX_INDEX: {
        wgsl_value *a = e->a->value, *b = e->b->value;
        if (!a || !b || e->a->is_ref)
            return NULL;
        int64_t index = b->i[0];
        if (a->type->kind == WT_ARRAY)
            return index >= 0 && index < a->count ? a->elems[index] : NULL;
        if (a->type->kind == WT_VEC) {
            if (index < 0 || index >= a->count)
                return NULL;
            wgsl_value *v = new_value(ctx, e->type, 1);
            v->i[0] = a->i[index];
            v->f[0] = a->f[index];
            return v;
        }
        if (a->type->kind == WT_MAT) {
            int rows = a->type->rows;
            if (index < 0 || index >= a->type->n)
                return NULL;
            wgsl_value *v = new_value(ctx, e->type, rows);
            for (int k = 0; k < rows; k++) {
                v->i[k] = a->i[index * rows + k];
                v->f[k] = a->f[index * rows + k];
            }
            return v;
        }
        return NULL;
    }
    }
    return NULL;
}

/*
 * wgsl_internal.h - the WGSL front end: lexer (lexer.c), parser to a syntax
 * tree (parser.c), types and WGSL's buffer layout rules (types.c), the
 * checker that resolves names and types and evaluates constant expressions
 * (check.c, const_eval.c), and the lowering to GLSL 450 that glslang
 * compiles (emit_glsl.c). docs/wgsl.md explains the design.
 *
 * Every node, type and string lives in one arena freed at the end; the first
 * error jumps back (longjmp) to cs_wgsl_to_glsl with its message, so no
 * stage needs cleanup paths.
 */
#ifndef CS_WGSL_INTERNAL_H
#define CS_WGSL_INTERNAL_H

#include "../../platform/platform.h"
#include <compushady.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits that keep memory and recursion bounded on any input. */
enum {
    WGSL_MAX_SOURCE = 1 << 20,         /* bytes of source */
    WGSL_MAX_ARENA = 256 << 20,        /* bytes of nodes, types and text */
    WGSL_MAX_DEPTH = 128,              /* nesting of expressions/statements */
    WGSL_MAX_ARRAY_ELEMENTS = 1 << 24, /* elements of a fixed-size array */
    WGSL_MAX_OUTPUT = 16 << 20,        /* bytes of generated GLSL */
};

/* >>arena and diagnostics ------------------------------------------------ */

typedef struct wgsl_block wgsl_block;

typedef struct wgsl_ctx {
    const char *source;
    size_t size;
    const char *file_name;
    jmp_buf fail;
    char *message; /* malloc'd on failure */
    bool out_of_memory;
    wgsl_block *blocks;
    size_t arena_used;
    struct wgsl_program *program;
    void *type_table;                    /* types.c's interning table */
    struct wgsl_result_cache *results;   /* frexp/modf/atomic result structs */
    const cs_shader_constant *constants; /* override values from the API */
    uint32_t constant_count;
    bool *constant_used;
    int result_serial;
} wgsl_ctx;

typedef struct wgsl_result_cache {
    int id;
    const struct wgsl_type *type;
    struct wgsl_struct *st;
    struct wgsl_result_cache *next;
} wgsl_result_cache;

void *wgsl_alloc(wgsl_ctx *ctx, size_t size); /* zeroed */
char *wgsl_strndup(wgsl_ctx *ctx, const char *text, size_t length);
void wgsl_arena_free(wgsl_ctx *ctx);

/* Fails the compile at (line, column): "<file>:<line>:<col>: error: <msg>",
 * the source line, a caret under the column. Never returns. */
_Noreturn void wgsl_error(wgsl_ctx *ctx, int line, int column,
                          const char *format, ...) CS_PRINTF_FORMAT(4, 5);
_Noreturn void wgsl_out_of_memory(wgsl_ctx *ctx);

/* >>tokens ----------------------------------------------------------------- */

typedef enum wgsl_tok {
    TK_EOF = 0,
    TK_IDENT,
    TK_INT,   /* value in ival; suffix 0, 'i' or 'u' */
    TK_FLOAT, /* value in fval; suffix 0, 'f' or 'h' */
    /* keywords */
    TK_ALIAS,
    TK_BREAK,
    TK_CASE,
    TK_CONST,
    TK_CONST_ASSERT,
    TK_CONTINUE,
    TK_CONTINUING,
    TK_DEFAULT,
    TK_DIAGNOSTIC,
    TK_DISCARD,
    TK_ELSE,
    TK_ENABLE,
    TK_FALSE,
    TK_FN,
    TK_FOR,
    TK_IF,
    TK_LET,
    TK_LOOP,
    TK_OVERRIDE,
    TK_REQUIRES,
    TK_RETURN,
    TK_STRUCT,
    TK_SWITCH,
    TK_TRUE,
    TK_VAR,
    TK_WHILE,
    /* punctuation */
    TK_LPAREN,
    TK_RPAREN,
    TK_LBRACE,
    TK_RBRACE,
    TK_LBRACKET,
    TK_RBRACKET,
    TK_LT,
    TK_GT,
    TK_LE,
    TK_GE,
    TK_EQEQ,
    TK_NE,
    TK_EQ,
    TK_PLUS,
    TK_MINUS,
    TK_STAR,
    TK_SLASH,
    TK_PERCENT,
    TK_AMP,
    TK_PIPE,
    TK_CARET,
    TK_TILDE,
    TK_BANG,
    TK_ANDAND,
    TK_OROR,
    TK_SHL,
    TK_SHR,
    TK_PLUSEQ,
    TK_MINUSEQ,
    TK_STAREQ,
    TK_SLASHEQ,
    TK_PERCENTEQ,
    TK_AMPEQ,
    TK_PIPEEQ,
    TK_CARETEQ,
    TK_SHLEQ,
    TK_SHREQ,
    TK_PLUSPLUS,
    TK_MINUSMINUS,
    TK_ARROW,
    TK_COLON,
    TK_SEMI,
    TK_COMMA,
    TK_DOT,
    TK_AT,
    TK_COUNT
} wgsl_tok;

typedef struct wgsl_token {
    wgsl_tok kind;
    int line, column;
    const char *text; /* into the source */
    int length;
    int suffix;
    int64_t ival;
    double fval;
} wgsl_token;

typedef struct wgsl_tokens {
    wgsl_token *items;
    size_t count;
} wgsl_tokens;

void wgsl_lex(wgsl_ctx *ctx, wgsl_tokens *out);
const char *wgsl_token_name(wgsl_tok kind);

/* >>types ------------------------------------------------------------------ */

typedef enum wgsl_kind {
    WT_VOID,
    WT_BOOL,
    WT_AINT,
    WT_AFLOAT,
    WT_I32,
    WT_U32,
    WT_F32,
    WT_F16,
    WT_VEC,
    WT_MAT,
    WT_ARRAY,
    WT_STRUCT,
    WT_ATOMIC,
    WT_PTR,
    WT_SAMPLER,
    WT_SAMPLER_COMPARISON,
    WT_TEXTURE, /* sampled, multisampled or depth */
    WT_STORAGE_TEXTURE,
} wgsl_kind;

typedef enum wgsl_space {
    SPACE_NONE = 0,
    SPACE_FUNCTION,
    SPACE_PRIVATE,
    SPACE_WORKGROUP,
    SPACE_UNIFORM,
    SPACE_STORAGE,
    SPACE_HANDLE,
} wgsl_space;

typedef enum wgsl_access {
    ACCESS_NONE = 0,
    ACCESS_READ,
    ACCESS_WRITE,
    ACCESS_READ_WRITE,
} wgsl_access;

typedef enum wgsl_dim {
    DIM_1D = 1,
    DIM_2D,
    DIM_2D_ARRAY,
    DIM_3D,
    DIM_CUBE,
    DIM_CUBE_ARRAY,
} wgsl_dim;

typedef struct wgsl_struct wgsl_struct;
typedef struct wgsl_type wgsl_type;

struct wgsl_type {
    wgsl_kind kind;
    int n;                 /* vector size, matrix columns */
    int rows;              /* matrix rows */
    const wgsl_type *elem; /* vector/matrix/array/atomic/pointer element;
                              texture sample type */
    int64_t count;         /* array: elements, 0 = runtime-sized */
    wgsl_struct *st;
    wgsl_space space;   /* pointer */
    wgsl_access access; /* pointer, storage texture */
    wgsl_dim dim;       /* textures */
    bool multisampled, depth;
    int format;            /* storage texture: index in wgsl_formats */
    const wgsl_type *next; /* interning chain */
};

typedef struct wgsl_member {
    const char *name;
    const wgsl_type *type;
    int line, column;
    int64_t align_attr, size_attr; /* 0 = none */
    uint32_t offset;               /* WGSL layout */
} wgsl_member;

struct wgsl_struct {
    const char *name;
    int line, column;
    wgsl_member *members;
    int member_count;
    uint32_t size, align; /* WGSL layout */
    bool laid_out, laying_out, emitted, builtin_result;
    int index;
};

typedef struct wgsl_format {
    const char *wgsl, *glsl; /* glsl NULL: no GLSL format qualifier */
    wgsl_kind channel;       /* WT_F32, WT_I32 or WT_U32 */
} wgsl_format;
extern const wgsl_format wgsl_formats[];
extern const int wgsl_format_count;

typedef struct wgsl_types wgsl_types;
const wgsl_type *wgsl_type_get(wgsl_ctx *ctx, wgsl_type key);
const wgsl_type *wgsl_scalar(wgsl_ctx *ctx, wgsl_kind kind);
const wgsl_type *wgsl_vec(wgsl_ctx *ctx, int n, const wgsl_type *elem);
const wgsl_type *wgsl_mat(wgsl_ctx *ctx, int columns, int rows,
                          const wgsl_type *elem);
const wgsl_type *wgsl_array(wgsl_ctx *ctx, const wgsl_type *elem,
                            int64_t count);
const wgsl_type *wgsl_ptr(wgsl_ctx *ctx, wgsl_space space,
                          const wgsl_type *elem, wgsl_access access);

/* "vec3<f32>" and the like, in the arena */
const char *wgsl_type_name(wgsl_ctx *ctx, const wgsl_type *type);
bool wgsl_is_scalar(const wgsl_type *t);
bool wgsl_is_numeric_scalar(const wgsl_type *t);
bool wgsl_is_integer_scalar(const wgsl_type *t);
bool wgsl_is_float_scalar(const wgsl_type *t);
bool wgsl_is_abstract(const wgsl_type *t); /* contains an abstract type */
const wgsl_type *wgsl_scalar_of(const wgsl_type *t); /* element scalar */
bool wgsl_is_constructible(const wgsl_type *t);
bool wgsl_is_host_shareable(const wgsl_type *t);
/* WGSL's AlignOf / SizeOf (section "Memory Layout"); fails on types that
 * have no layout. */
uint32_t wgsl_align_of(wgsl_ctx *ctx, const wgsl_type *t);
uint64_t wgsl_size_of(wgsl_ctx *ctx, const wgsl_type *t);
uint64_t wgsl_array_stride(wgsl_ctx *ctx, const wgsl_type *array);
void wgsl_layout_struct(wgsl_ctx *ctx, wgsl_struct *st);

/* >>syntax tree ------------------------------------------------------------ */

typedef enum wgsl_expr_kind {
    EX_INT, /* literal */
    EX_FLOAT,
    EX_BOOL,
    EX_IDENT,  /* name, with template arguments when a type is spelled */
    EX_CALL,   /* callee (EX_IDENT) + args */
    EX_INDEX,  /* a[b] */
    EX_MEMBER, /* a.name */
    EX_UNARY,  /* op a */
    EX_BINARY, /* a op b */
    EX_PAREN,
} wgsl_expr_kind;

typedef struct wgsl_sym wgsl_sym;
typedef struct wgsl_value wgsl_value;

typedef struct wgsl_expr wgsl_expr;
struct wgsl_expr {
    wgsl_expr_kind kind;
    int line, column;
    int depth;
    wgsl_tok op;
    int suffix;
    int64_t ival;
    double fval;
    const char *name;
    wgsl_expr **targs; /* template arguments of an EX_IDENT */
    int ntargs;
    bool has_template;
    wgsl_expr *a, *b;
    wgsl_expr **args;
    int nargs;
    /* filled by the checker */
    const wgsl_type *type; /* the value's type (store type of a reference) */
    bool is_ref;           /* a reference (memory view) */
    wgsl_space space;
    wgsl_access access;
    wgsl_sym *sym;         /* identifier */
    const wgsl_type *ctor; /* call: the type constructed or converted to */
    int builtin;           /* call: builtin function id, 0 = none */
    int member_index;      /* struct member, -1 = swizzle */
    wgsl_value *value;     /* the constant value, when const */
    bool checked;
    int hoisted; /* index of a pointer let: the temporary holding it */
};

typedef struct wgsl_attr {
    const char *name;
    int line, column;
    wgsl_expr **args;
    int nargs;
} wgsl_attr;

typedef enum wgsl_stmt_kind {
    ST_BLOCK,
    ST_VAR, /* decl */
    ST_LET,
    ST_CONST,
    ST_ASSIGN, /* a op= b; op TK_EQ for plain; a NULL for `_ = b` */
    ST_INCDEC, /* a++ / a-- */
    ST_CALL,
    ST_IF,
    ST_SWITCH,
    ST_LOOP,
    ST_FOR,
    ST_WHILE,
    ST_BREAK,
    ST_BREAK_IF,
    ST_CONTINUE,
    ST_RETURN,
    ST_DISCARD,
    ST_CONST_ASSERT,
    ST_EMPTY,
} wgsl_stmt_kind;

typedef struct wgsl_decl wgsl_decl;
typedef struct wgsl_stmt wgsl_stmt;

typedef struct wgsl_case {
    wgsl_expr **selectors; /* NULL entry = default */
    int count;
    bool has_default;
    wgsl_stmt *body;
} wgsl_case;

struct wgsl_stmt {
    wgsl_stmt_kind kind;
    int line, column;
    wgsl_stmt **stmts; /* block */
    int count;
    wgsl_decl *decl; /* var/let/const */
    wgsl_tok op;
    wgsl_expr *a, *b; /* assign lhs/rhs; condition; call; return value */
    wgsl_stmt *then, *otherwise;  /* if */
    wgsl_stmt *body, *continuing; /* loops; continuing: a block */
    wgsl_stmt *init, *update;     /* for */
    wgsl_case *cases;
    int ncases;
};

typedef enum wgsl_decl_kind {
    DECL_VAR,
    DECL_LET,
    DECL_CONST,
    DECL_OVERRIDE,
    DECL_FN,
    DECL_STRUCT,
    DECL_ALIAS,
    DECL_CONST_ASSERT,
    DECL_PARAM,
} wgsl_decl_kind;

typedef struct wgsl_param {
    wgsl_decl *decl;
} wgsl_param;

struct wgsl_decl {
    wgsl_decl_kind kind;
    const char *name;
    int line, column; /* of the name */
    wgsl_attr *attrs;
    int nattrs;
    /* var/let/const/override/param/alias */
    wgsl_expr *type_expr;
    wgsl_expr *init;
    wgsl_space space;
    wgsl_access access;
    bool space_given;
    int space_line, space_column;
    /* fn */
    wgsl_decl **params;
    int nparams;
    wgsl_expr *return_type;
    wgsl_attr *return_attrs;
    int nreturn_attrs;
    wgsl_stmt *body;
    /* struct */
    wgsl_struct *st;
    wgsl_attr **member_attrs;
    int *member_nattrs;
    wgsl_expr **member_types;
    /* filled by the checker */
    const wgsl_type *type;
    wgsl_sym *sym;
    int group, binding;        /* resources */
    uint32_t register_binding; /* the Vulkan binding compushady uses */
    bool is_resource;
    int builtin_value; /* param: @builtin, 0 = none */
    bool is_entry;
    int workgroup_size_line, workgroup_size_column;
    wgsl_expr *workgroup_size[3];
    int override_id;
    int order; /* function emission order, -1 = visiting */
    bool used;
    bool resolved;
    int resolving;
};

typedef struct wgsl_program {
    wgsl_decl **decls;
    int count;
    bool enable_f16;
} wgsl_program;

wgsl_program *wgsl_parse(wgsl_ctx *ctx, const wgsl_tokens *tokens);

/* >>symbols and constant values ------------------------------------------ */

typedef enum wgsl_sym_kind {
    SYM_VAR,
    SYM_LET,
    SYM_CONST,
    SYM_OVERRIDE,
    SYM_PARAM,
    SYM_FN,
    SYM_STRUCT,
    SYM_ALIAS,
} wgsl_sym_kind;

struct wgsl_sym {
    wgsl_sym_kind kind;
    const char *name;
    wgsl_decl *decl;
    const wgsl_type *type;
    wgsl_space space;
    wgsl_access access;
    bool global;
    int unique;        /* locals: a number that makes the GLSL name unique */
    wgsl_value *value; /* const */
    wgsl_expr *pointer_expr; /* a let of pointer type: what it points to */
    wgsl_sym *next;
};

/* A constant: scalars and vectors/matrices of them (components in column
 * order), arrays and structs (elements). */
struct wgsl_value {
    const wgsl_type *type;
    int count;
    int64_t *i;         /* integers and bools */
    double *f;          /* floats */
    wgsl_value **elems; /* arrays and structs */
};

/* >>checker and lowering --------------------------------------------------- */

typedef enum wgsl_builtin_value {
    BV_NONE = 0,
    BV_GLOBAL_INVOCATION_ID,
    BV_LOCAL_INVOCATION_ID,
    BV_LOCAL_INVOCATION_INDEX,
    BV_WORKGROUP_ID,
    BV_NUM_WORKGROUPS,
} wgsl_builtin_value;

/* Resolves names and types and checks every rule the front end enforces;
 * returns the entry point (a @compute fn named entry_point). */
wgsl_decl *wgsl_check(wgsl_ctx *ctx, wgsl_program *program,
                      const char *entry_point);

/* Evaluates a constant expression already checked (NULL when it is not a
 * const-expression or uses what the evaluator does not know). */
wgsl_value *wgsl_eval(wgsl_ctx *ctx, wgsl_expr *expr);
/* Converts a value to a concrete type (abstract -> i32/u32/f32/f16). */
wgsl_value *wgsl_value_convert(wgsl_ctx *ctx, const wgsl_value *value,
                               const wgsl_type *to, int line, int column);

/* Builtin functions, resolved by the checker (expr->builtin). */
typedef enum wgsl_builtin_id {
    BI_NONE = 0,
    /* component-wise float */
    BI_ACOS,
    BI_ACOSH,
    BI_ASIN,
    BI_ASINH,
    BI_ATAN,
    BI_ATANH,
    BI_CEIL,
    BI_COS,
    BI_COSH,
    BI_DEGREES,
    BI_EXP,
    BI_EXP2,
    BI_FLOOR,
    BI_FRACT,
    BI_INVERSE_SQRT,
    BI_LOG,
    BI_LOG2,
    BI_QUANTIZE_TO_F16,
    BI_RADIANS,
    BI_ROUND,
    BI_SATURATE,
    BI_SIN,
    BI_SINH,
    BI_SQRT,
    BI_TAN,
    BI_TANH,
    BI_TRUNC,
    BI_ATAN2,
    BI_POW,
    BI_STEP,
    BI_SMOOTHSTEP,
    BI_FMA,
    BI_MIX,
    /* component-wise numeric */
    BI_ABS,
    BI_CLAMP,
    BI_MAX,
    BI_MIN,
    BI_SIGN,
    /* component-wise integer */
    BI_COUNT_LEADING_ZEROS,
    BI_COUNT_ONE_BITS,
    BI_COUNT_TRAILING_ZEROS,
    BI_FIRST_LEADING_BIT,
    BI_FIRST_TRAILING_BIT,
    BI_REVERSE_BITS,
    BI_EXTRACT_BITS,
    BI_INSERT_BITS,
    /* vectors and matrices */
    BI_CROSS,
    BI_DISTANCE,
    BI_DOT,
    BI_LENGTH,
    BI_NORMALIZE,
    BI_FACE_FORWARD,
    BI_REFLECT,
    BI_REFRACT,
    BI_DETERMINANT,
    BI_TRANSPOSE,
    BI_FREXP,
    BI_MODF,
    BI_LDEXP,
    BI_SELECT,
    BI_ALL,
    BI_ANY,
    BI_ARRAY_LENGTH,
    BI_BITCAST,
    /* packing */
    BI_PACK4X8SNORM,
    BI_PACK4X8UNORM,
    BI_PACK2X16SNORM,
    BI_PACK2X16UNORM,
    BI_PACK2X16FLOAT,
    BI_UNPACK4X8SNORM,
    BI_UNPACK4X8UNORM,
    BI_UNPACK2X16SNORM,
    BI_UNPACK2X16UNORM,
    BI_UNPACK2X16FLOAT,
    BI_PACK4XI8,
    BI_PACK4XU8,
    BI_PACK4XI8_CLAMP,
    BI_PACK4XU8_CLAMP,
    BI_UNPACK4XI8,
    BI_UNPACK4XU8,
    BI_DOT4U8_PACKED,
    BI_DOT4I8_PACKED,
    /* atomics */
    BI_ATOMIC_LOAD,
    BI_ATOMIC_STORE,
    BI_ATOMIC_ADD,
    BI_ATOMIC_SUB,
    BI_ATOMIC_MAX,
    BI_ATOMIC_MIN,
    BI_ATOMIC_AND,
    BI_ATOMIC_OR,
    BI_ATOMIC_XOR,
    BI_ATOMIC_EXCHANGE,
    BI_ATOMIC_COMPARE_EXCHANGE_WEAK,
    /* synchronization */
    BI_WORKGROUP_BARRIER,
    BI_STORAGE_BARRIER,
    BI_TEXTURE_BARRIER,
    BI_WORKGROUP_UNIFORM_LOAD,
    /* textures */
    BI_TEXTURE_DIMENSIONS,
    BI_TEXTURE_LOAD,
    BI_TEXTURE_STORE,
    BI_TEXTURE_SAMPLE_LEVEL,
    BI_TEXTURE_NUM_LEVELS,
    BI_TEXTURE_NUM_LAYERS,
    BI_TEXTURE_NUM_SAMPLES,
    BI_TEXTURE_SAMPLE_GRAD,
    BI_TEXTURE_GATHER,
    BI_TEXTURE_SAMPLE_COMPARE_LEVEL,
    BI_TEXTURE_SAMPLE_BASE_CLAMP_TO_EDGE,
    BI_COUNT
} wgsl_builtin_id;

/* The result structs of frexp, modf and atomicCompareExchangeWeak. */
wgsl_struct *wgsl_result_struct(wgsl_ctx *ctx, wgsl_builtin_id id,
                                const wgsl_type *type);

/* Writes the GLSL for the checked program, malloc'd in *out. */
void wgsl_emit_glsl(wgsl_ctx *ctx, wgsl_program *program, wgsl_decl *entry,
                    char **out, size_t *out_size);

/* The whole front end: WGSL source -> GLSL text (malloc'd, terminated) or
 * *out_error (malloc'd message). Returns false on error. */
typedef struct wgsl_options {
    const char *entry_point;
    const char *file_name;
    const cs_shader_constant *constants; /* values for overrides */
    uint32_t constant_count;
} wgsl_options;

bool cs_wgsl_to_glsl(const char *source, size_t size,
                     const wgsl_options *options, char **out_glsl,
                     size_t *out_glsl_size, char **out_error,
                     bool *out_of_memory);

#endif

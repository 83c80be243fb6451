/* parser.c - tokens to the syntax tree, by recursive descent. Every
 * recursion counts its depth and fails past WGSL_MAX_DEPTH, so deep nesting
 * is an error, never a stack overflow. Operator precedence follows the WGSL
 * grammar, which refuses to mix some operators without parentheses. */
#include "wgsl_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct parser {
    wgsl_ctx *ctx;
    wgsl_token *tokens;
    size_t count, at;
    int depth;
    bool in_template; /* '>' closes a template list, not a comparison */
} parser;

static wgsl_token *peek(parser *p)
{
    return &p->tokens[p->at];
}
static wgsl_token *peek_at(parser *p, size_t ahead)
{
    size_t index = p->at + ahead;
    return &p->tokens[index < p->count ? index : p->count - 1];
}
static bool is(parser *p, wgsl_tok kind)
{
    return p->tokens[p->at].kind == kind;
}
static wgsl_token *next(parser *p)
{
    wgsl_token *token = &p->tokens[p->at];
    if (token->kind != TK_EOF)
        p->at++;
    return token;
}
static bool accept(parser *p, wgsl_tok kind)
{
    if (is(p, kind)) {
        next(p);
        return true;
    }
    return false;
}

static _Noreturn void unexpected(parser *p, const char *expected)
{
    wgsl_token *t = peek(p);
    if (t->kind == TK_EOF)
        wgsl_error(p->ctx, t->line, t->column,
                   "unexpected end of the source: expected %s", expected);
    wgsl_error(p->ctx, t->line, t->column, "unexpected '%.*s': expected %s",
               t->length, t->text, expected);
}

static wgsl_token *expect(parser *p, wgsl_tok kind, const char *what)
{
    if (!is(p, kind)) {
        char expected[96];
        snprintf(expected, sizeof expected, "'%s'%s%s", wgsl_token_name(kind),
                 what ? " " : "", what ? what : "");
        unexpected(p, expected);
    }
    return next(p);
}

/* A '>' that closes a template list, taken from '>>', '>=' or '>>=' when
 * needed (the rest stays as the next token). */
static void expect_template_close(parser *p)
{
    wgsl_token *t = peek(p);
    switch (t->kind) {
    case TK_GT: next(p); return;
    case TK_SHR: t->kind = TK_GT; break;
    case TK_GE: t->kind = TK_EQ; break;
    case TK_SHREQ: t->kind = TK_GE; break;
    default: unexpected(p, "'>' to close the template list");
    }
    t->text++;
    t->length--;
    t->column++;
}

static const char *ident(parser *p, const char *what)
{
    if (!is(p, TK_IDENT)) {
        char expected[96];
        snprintf(expected, sizeof expected, "an identifier (%s)", what);
        unexpected(p, expected);
    }
    wgsl_token *t = next(p);
    return wgsl_strndup(p->ctx, t->text, (size_t)t->length);
}

static void enter(parser *p)
{
    if (++p->depth > WGSL_MAX_DEPTH) {
        wgsl_token *t = peek(p);
        wgsl_error(p->ctx, t->line, t->column,
                   "nesting is too deep (more than %d levels of "
                   "expressions, types or statements)",
                   WGSL_MAX_DEPTH);
    }
}
static void leave(parser *p)
{
    p->depth--;
}

/* A growing array of pointers in the arena. */
typedef struct list {
    void **items;
    int count, capacity;
} list;

static void list_push(parser *p, list *l, void *item)
{
    if (l->count == l->capacity) {
        int capacity = l->capacity ? l->capacity * 2 : 4;
        void **items = wgsl_alloc(p->ctx, (size_t)capacity * sizeof *items);
        if (l->count)
            memcpy(items, l->items, (size_t)l->count * sizeof *items);
        l->items = items;
        l->capacity = capacity;
    }
    l->items[l->count++] = item;
}

static wgsl_expr *new_expr(parser *p, wgsl_expr_kind kind, wgsl_token *at)
{
    wgsl_expr *e = wgsl_alloc(p->ctx, sizeof *e);
    e->kind = kind;
    e->line = at->line;
    e->column = at->column;
    e->depth = 1;
    e->member_index = -1;
    return e;
}

/* The depth of a node from its children: left-deep chains such as
 * a+b+c+... are built by loops, not recursion, but later stages recurse
 * over them. */
static void set_depth(parser *p, wgsl_expr *e)
{
    int depth = 0;
    if (e->a && e->a->depth > depth)
        depth = e->a->depth;
    if (e->b && e->b->depth > depth)
        depth = e->b->depth;
    e->depth = depth + 1;
    if (e->depth > WGSL_MAX_DEPTH)
        wgsl_error(p->ctx, e->line, e->column,
                   "expression is nested too deeply (more than %d levels)",
                   WGSL_MAX_DEPTH);
}

static wgsl_expr *parse_expression(parser *p);

/* Names that take a template list: types and bitcast. */
static bool takes_template(const char *name)
{
    static const char *const names[] = {"vec2",
                                        "vec3",
                                        "vec4",
                                        "mat2x2",
                                        "mat2x3",
                                        "mat2x4",
                                        "mat3x2",
                                        "mat3x3",
                                        "mat3x4",
                                        "mat4x2",
                                        "mat4x3",
                                        "mat4x4",
                                        "array",
                                        "ptr",
                                        "atomic",
                                        "bitcast",
                                        "texture_1d",
                                        "texture_2d",
                                        "texture_2d_array",
                                        "texture_3d",
                                        "texture_cube",
                                        "texture_cube_array",
                                        "texture_multisampled_2d",
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

/* An identifier, with its template list when it takes one. */
static wgsl_expr *parse_ident_expr(parser *p)
{
    wgsl_token *t = peek(p);
    wgsl_expr *e = new_expr(p, EX_IDENT, t);
    e->name = ident(p, "a name");
    if (is(p, TK_LT) && takes_template(e->name)) {
        next(p);
        enter(p);
        list args = {0};
        e->has_template = true;
        bool saved = p->in_template;
        p->in_template = true;
        while (!is(p, TK_GT) && !is(p, TK_SHR) && !is(p, TK_GE) &&
               !is(p, TK_SHREQ)) {
            /* template arguments are parsed above relational operators
             * so that '>' closes the list */
            wgsl_expr *arg = parse_expression(p);
            list_push(p, &args, arg);
            if (!accept(p, TK_COMMA))
                break;
        }
        expect_template_close(p);
        p->in_template = saved;
        leave(p);
        e->targs = (wgsl_expr **)args.items;
        e->ntargs = args.count;
        int depth = 0;
        for (int i = 0; i < e->ntargs; i++)
            if (e->targs[i]->depth > depth)
                depth = e->targs[i]->depth;
        e->depth = depth + 1;
    }
    return e;
}

static void parse_call_args(parser *p, wgsl_expr *call)
{
    expect(p, TK_LPAREN, NULL);
    list args = {0};
    int depth = call->a ? call->a->depth : 0;
    bool saved = p->in_template;
    p->in_template = false;
    while (!is(p, TK_RPAREN)) {
        wgsl_expr *arg = parse_expression(p);
        if (arg->depth > depth)
            depth = arg->depth;
        list_push(p, &args, arg);
        if (!accept(p, TK_COMMA))
            break;
    }
    expect(p, TK_RPAREN, "to close the argument list");
    p->in_template = saved;
    call->args = (wgsl_expr **)args.items;
    call->nargs = args.count;
    call->depth = depth + 1;
}

static wgsl_expr *parse_primary(parser *p)
{
    wgsl_token *t = peek(p);
    wgsl_expr *e;
    switch (t->kind) {
    case TK_INT:
        next(p);
        e = new_expr(p, EX_INT, t);
        e->ival = t->ival;
        e->suffix = t->suffix;
        return e;
    case TK_FLOAT:
        next(p);
        e = new_expr(p, EX_FLOAT, t);
        e->fval = t->fval;
        e->suffix = t->suffix;
        return e;
    case TK_TRUE:
    case TK_FALSE:
        next(p);
        e = new_expr(p, EX_BOOL, t);
        e->ival = t->kind == TK_TRUE;
        return e;
    case TK_LPAREN:
        next(p);
        e = new_expr(p, EX_PAREN, t);
        bool saved = p->in_template;
        p->in_template = false;
        e->a = parse_expression(p);
        p->in_template = saved;
        expect(p, TK_RPAREN, "to close the parenthesis");
        set_depth(p, e);
        return e;
    case TK_IDENT: {
        wgsl_expr *name = parse_ident_expr(p);
        if (!is(p, TK_LPAREN))
            return name;
        e = new_expr(p, EX_CALL, t);
        e->a = name;
        parse_call_args(p, e);
        if (e->depth > WGSL_MAX_DEPTH)
            wgsl_error(p->ctx, e->line, e->column,
                       "expression is nested too deeply (more than %d "
                       "levels)",
                       WGSL_MAX_DEPTH);
        return e;
    }
    default: unexpected(p, "an expression");
    }
}

static wgsl_expr *parse_postfix(parser *p, wgsl_expr *e)
{
    for (;;) {
        wgsl_token *t = peek(p);
        if (accept(p, TK_LBRACKET)) {
            wgsl_expr *index = new_expr(p, EX_INDEX, t);
            index->a = e;
            bool saved = p->in_template;
            p->in_template = false;
            index->b = parse_expression(p);
            p->in_template = saved;
            expect(p, TK_RBRACKET, "to close the index");
            set_depth(p, index);
            e = index;
        } else if (accept(p, TK_DOT)) {
            wgsl_expr *member = new_expr(p, EX_MEMBER, peek(p));
            member->a = e;
            member->name = ident(p, "a member or swizzle after '.'");
            set_depth(p, member);
            e = member;
        } else {
            return e;
        }
    }
}

static wgsl_expr *parse_unary(parser *p)
{
    wgsl_token *t = peek(p);
    switch (t->kind) {
    case TK_MINUS:
    case TK_BANG:
    case TK_TILDE:
    case TK_STAR:
    case TK_AMP: {
        next(p);
        enter(p);
        wgsl_expr *e = new_expr(p, EX_UNARY, t);
        e->op = t->kind;
        e->a = parse_unary(p);
        leave(p);
        set_depth(p, e);
        return e;
    }
    case TK_ANDAND: {
        /* '&&x' is '&(&x)' */
        next(p);
        enter(p);
        wgsl_expr *inner = new_expr(p, EX_UNARY, t);
        inner->op = TK_AMP;
        inner->a = parse_unary(p);
        set_depth(p, inner);
        wgsl_expr *e = new_expr(p, EX_UNARY, t);
        e->op = TK_AMP;
        e->a = inner;
        leave(p);
        set_depth(p, e);
        return e;
    }
    default: {
        enter(p);
        wgsl_expr *e = parse_postfix(p, parse_primary(p));
        leave(p);
        return e;
    }
    }
}

static wgsl_expr *binary(parser *p, wgsl_token *op, wgsl_expr *a, wgsl_expr *b)
{
    wgsl_expr *e = new_expr(p, EX_BINARY, op);
    e->op = op->kind;
    e->a = a;
    e->b = b;
    e->line = a->line;
    e->column = a->column;
    set_depth(p, e);
    /* report at the operator */
    e->line = op->line;
    e->column = op->column;
    return e;
}

static bool is_multiplicative(wgsl_tok k)
{
    return k == TK_STAR || k == TK_SLASH || k == TK_PERCENT;
}
static bool is_additive(wgsl_tok k)
{
    return k == TK_PLUS || k == TK_MINUS;
}
static bool is_relational_tok(wgsl_tok k)
{
    return k == TK_LT || k == TK_GT || k == TK_LE || k == TK_GE ||
           k == TK_EQEQ || k == TK_NE;
}

/* shift_expression continuing from an already parsed unary expression */
static bool is_relational(parser *p, wgsl_tok k)
{
    if (p->in_template && (k == TK_GT || k == TK_GE))
        return false;
    return is_relational_tok(k);
}

static wgsl_expr *parse_shift_rest(parser *p, wgsl_expr *lhs)
{
    if (is(p, TK_SHL) || (is(p, TK_SHR) && !p->in_template)) {
        wgsl_token *op = next(p);
        return binary(p, op, lhs, parse_unary(p));
    }
    while (is_multiplicative(peek(p)->kind)) {
        wgsl_token *op = next(p);
        lhs = binary(p, op, lhs, parse_unary(p));
    }
    while (is_additive(peek(p)->kind)) {
        wgsl_token *op = next(p);
        wgsl_expr *rhs = parse_unary(p);
        while (is_multiplicative(peek(p)->kind)) {
            wgsl_token *op2 = next(p);
            rhs = binary(p, op2, rhs, parse_unary(p));
        }
        lhs = binary(p, op, lhs, rhs);
    }
    return lhs;
}

static wgsl_expr *parse_relational_rest(parser *p, wgsl_expr *lhs)
{
    lhs = parse_shift_rest(p, lhs);
    if (is_relational(p, peek(p)->kind)) {
        wgsl_token *op = next(p);
        wgsl_expr *rhs = parse_shift_rest(p, parse_unary(p));
        lhs = binary(p, op, lhs, rhs);
    }
    return lhs;
}

static wgsl_expr *parse_expression(parser *p)
{
    enter(p);
    wgsl_expr *lhs = parse_unary(p);
    wgsl_tok k = peek(p)->kind;
    if (k == TK_AMP || k == TK_PIPE || k == TK_CARET) {
        while (is(p, k)) {
            wgsl_token *op = next(p);
            lhs = binary(p, op, lhs, parse_unary(p));
        }
    } else {
        lhs = parse_relational_rest(p, lhs);
        k = peek(p)->kind;
        if (k == TK_ANDAND || k == TK_OROR) {
            while (is(p, k)) {
                wgsl_token *op = next(p);
                lhs = binary(p, op, lhs,
                             parse_relational_rest(p, parse_unary(p)));
            }
        }
    }
    wgsl_token *t = peek(p);
    wgsl_tok after = t->kind;
    if (after == TK_AMP || after == TK_PIPE || after == TK_CARET ||
        after == TK_ANDAND || after == TK_OROR || after == TK_SHL ||
        (after == TK_SHR && !p->in_template) || is_relational(p, after) ||
        is_additive(after) || is_multiplicative(after))
        wgsl_error(p->ctx, t->line, t->column,
                   "'%.*s' cannot follow this expression without "
                   "parentheses: WGSL does not mix these operators, expected "
                   "parentheses around one side",
                   t->length, t->text);
    leave(p);
    return lhs;
}

/* >>attributes --------------------------------------------------------------
 */

static void parse_attributes(parser *p, wgsl_attr **out, int *count)
{
    list attrs = {0};
    while (is(p, TK_AT)) {
        next(p);
        wgsl_token *t = peek(p);
        wgsl_attr *a = wgsl_alloc(p->ctx, sizeof *a);
        a->line = t->line;
        a->column = t->column;
        if (is(p, TK_CONST) || is(p, TK_DIAGNOSTIC)) {
            next(p);
            a->name = wgsl_strndup(p->ctx, t->text, (size_t)t->length);
        } else {
            a->name = ident(p, "an attribute name after '@'");
        }
        if (accept(p, TK_LPAREN)) {
            list args = {0};
            while (!is(p, TK_RPAREN)) {
                list_push(p, &args, parse_expression(p));
                if (!accept(p, TK_COMMA))
                    break;
            }
            expect(p, TK_RPAREN, "to close the attribute");
            a->args = (wgsl_expr **)args.items;
            a->nargs = args.count;
        }
        list_push(p, &attrs, a);
    }
    wgsl_attr *flat =
        wgsl_alloc(p->ctx, (size_t)(attrs.count + 1) * sizeof *flat);
    for (int i = 0; i < attrs.count; i++)
        flat[i] = *(wgsl_attr *)attrs.items[i];
    *out = flat;
    *count = attrs.count;
}

/* >>declarations ------------------------------------------------------------
 */

static wgsl_decl *new_decl(parser *p, wgsl_decl_kind kind)
{
    wgsl_decl *d = wgsl_alloc(p->ctx, sizeof *d);
    d->kind = kind;
    d->order = -2;
    return d;
}

static wgsl_expr *parse_type(parser *p)
{
    if (!is(p, TK_IDENT))
        unexpected(p, "a type");
    enter(p);
    wgsl_expr *e = parse_ident_expr(p);
    leave(p);
    return e;
}

/* `name : type` / `name = init` parts of var, let, const, override */
static void parse_binding_rest(parser *p, wgsl_decl *d, bool init_required)
{
    wgsl_token *t = peek(p);
    d->line = t->line;
    d->column = t->column;
    d->name = ident(p, "the name being declared");
    if (accept(p, TK_COLON))
        d->type_expr = parse_type(p);
    if (accept(p, TK_EQ))
        d->init = parse_expression(p);
    else if (init_required)
        unexpected(p, "'=' and an initializer");
}

static wgsl_decl *parse_var(parser *p)
{
    wgsl_decl *d = new_decl(p, DECL_VAR);
    if (accept(p, TK_LT)) {
        wgsl_token *t = peek(p);
        d->space_given = true;
        d->space_line = t->line;
        d->space_column = t->column;
        const char *space = ident(p, "an address space");
        static const char *const spaces[] = {
            "", "function", "private", "workgroup", "uniform", "storage", NULL};
        for (int i = 1; spaces[i]; i++)
            if (strcmp(space, spaces[i]) == 0)
                d->space = (wgsl_space)i;
        if (d->space == SPACE_NONE)
            wgsl_error(p->ctx, t->line, t->column,
                       "unknown address space '%s': expected function, "
                       "private, workgroup, uniform or storage",
                       space);
        if (accept(p, TK_COMMA) && is(p, TK_IDENT)) {
            t = peek(p);
            const char *access = ident(p, "an access mode");
            if (strcmp(access, "read") == 0)
                d->access = ACCESS_READ;
            else if (strcmp(access, "write") == 0)
                d->access = ACCESS_WRITE;
            else if (strcmp(access, "read_write") == 0)
                d->access = ACCESS_READ_WRITE;
            else
                wgsl_error(p->ctx, t->line, t->column,
                           "unknown access mode '%s': expected read, write "
                           "or read_write",
                           access);
            accept(p, TK_COMMA);
        }
        expect_template_close(p);
    }
    parse_binding_rest(p, d, false);
    return d;
}

static wgsl_stmt *parse_compound(parser *p);
static wgsl_stmt *parse_statement(parser *p);

static wgsl_stmt *new_stmt(parser *p, wgsl_stmt_kind kind, wgsl_token *at)
{
    wgsl_stmt *s = wgsl_alloc(p->ctx, sizeof *s);
    s->kind = kind;
    s->line = at->line;
    s->column = at->column;
    return s;
}

static bool is_assign_op(wgsl_tok k)
{
    return k == TK_EQ || k == TK_PLUSEQ || k == TK_MINUSEQ || k == TK_STAREQ ||
           k == TK_SLASHEQ || k == TK_PERCENTEQ || k == TK_AMPEQ ||
           k == TK_PIPEEQ || k == TK_CARETEQ || k == TK_SHLEQ || k == TK_SHREQ;
}

/* var/let/const declarations, assignments, increments and calls: the
 * statements that may also appear in a for header (no ';'). */
static wgsl_stmt *parse_simple(parser *p)
{
    wgsl_token *t = peek(p);
    if (accept(p, TK_VAR)) {
        wgsl_stmt *s = new_stmt(p, ST_VAR, t);
        s->decl = parse_var(p);
        return s;
    }
    if (accept(p, TK_LET) || accept(p, TK_CONST)) {
        bool is_let = t->kind == TK_LET;
        wgsl_stmt *s = new_stmt(p, is_let ? ST_LET : ST_CONST, t);
        s->decl = new_decl(p, is_let ? DECL_LET : DECL_CONST);
        parse_binding_rest(p, s->decl, true);
        return s;
    }
    if (is(p, TK_IDENT) && peek(p)->length == 1 && peek(p)->text[0] == '_' &&
        peek_at(p, 1)->kind == TK_EQ) {
        next(p);
        next(p);
        wgsl_stmt *s = new_stmt(p, ST_ASSIGN, t);
        s->op = TK_EQ;
        s->b = parse_expression(p);
        return s;
    }
    wgsl_expr *lhs = parse_unary(p);
    wgsl_token *op = peek(p);
    if (is_assign_op(op->kind)) {
        next(p);
        wgsl_stmt *s = new_stmt(p, ST_ASSIGN, op);
        s->op = op->kind;
        s->a = lhs;
        s->b = parse_expression(p);
        return s;
    }
    if (op->kind == TK_PLUSPLUS || op->kind == TK_MINUSMINUS) {
        next(p);
        wgsl_stmt *s = new_stmt(p, ST_INCDEC, op);
        s->op = op->kind;
        s->a = lhs;
        return s;
    }
    if (lhs->kind != EX_CALL)
        wgsl_error(p->ctx, lhs->line, lhs->column,
                   "expected a statement: an assignment, an increment, a "
                   "declaration or a function call");
    wgsl_stmt *s = new_stmt(p, ST_CALL, t);
    s->a = lhs;
    return s;
}

static wgsl_stmt *parse_if(parser *p, wgsl_token *t)
{
    wgsl_stmt *s = new_stmt(p, ST_IF, t);
    s->a = parse_expression(p);
    s->then = parse_compound(p);
    if (accept(p, TK_ELSE)) {
        wgsl_token *u = peek(p);
        if (accept(p, TK_IF)) {
            enter(p);
            s->otherwise = parse_if(p, u);
            leave(p);
        } else {
            s->otherwise = parse_compound(p);
        }
    }
    return s;
}

static wgsl_stmt *parse_switch(parser *p, wgsl_token *t)
{
    wgsl_stmt *s = new_stmt(p, ST_SWITCH, t);
    s->a = parse_expression(p);
    wgsl_attr *attrs;
    int nattrs;
    parse_attributes(p, &attrs, &nattrs);
    expect(p, TK_LBRACE, "to open the switch body");
    list cases = {0};
    while (!accept(p, TK_RBRACE)) {
        wgsl_case *c = wgsl_alloc(p->ctx, sizeof *c);
        list selectors = {0};
        if (accept(p, TK_DEFAULT)) {
            c->has_default = true;
            list_push(p, &selectors, NULL);
        } else {
            expect(p, TK_CASE, "or 'default' (a switch clause) or '}'");
            do {
                if (is(p, TK_LBRACE) || is(p, TK_COLON))
                    break;
                if (accept(p, TK_DEFAULT)) {
                    c->has_default = true;
                    list_push(p, &selectors, NULL);
                } else {
                    list_push(p, &selectors, parse_expression(p));
                }
            } while (accept(p, TK_COMMA));
        }
        accept(p, TK_COLON);
        c->selectors = (wgsl_expr **)selectors.items;
        c->count = selectors.count;
        c->body = parse_compound(p);
        list_push(p, &cases, c);
    }
    s->ncases = cases.count;
    s->cases = wgsl_alloc(p->ctx, (size_t)(cases.count + 1) * sizeof *s->cases);
    for (int i = 0; i < cases.count; i++)
        s->cases[i] = *(wgsl_case *)cases.items[i];
    return s;
}

/* loop { ... continuing { ... break if e; } } */
static wgsl_stmt *parse_loop(parser *p, wgsl_token *t)
{
    wgsl_stmt *s = new_stmt(p, ST_LOOP, t);
    wgsl_attr *attrs;
    int nattrs;
    parse_attributes(p, &attrs, &nattrs);
    wgsl_token *open = expect(p, TK_LBRACE, "to open the loop body");
    wgsl_stmt *body = new_stmt(p, ST_BLOCK, open);
    list stmts = {0};
    enter(p);
    while (!is(p, TK_RBRACE) && !is(p, TK_CONTINUING) && !is(p, TK_EOF))
        list_push(p, &stmts, parse_statement(p));
    body->stmts = (wgsl_stmt **)stmts.items;
    body->count = stmts.count;
    s->body = body;
    wgsl_token *c = peek(p);
    if (accept(p, TK_CONTINUING)) {
        parse_attributes(p, &attrs, &nattrs);
        wgsl_token *copen =
            expect(p, TK_LBRACE, "to open the continuing block");
        wgsl_stmt *cont = new_stmt(p, ST_BLOCK, copen);
        list cstmts = {0};
        enter(p);
        while (!is(p, TK_RBRACE) && !is(p, TK_EOF)) {
            wgsl_token *b = peek(p);
            if (is(p, TK_BREAK) && peek_at(p, 1)->kind == TK_IF) {
                next(p);
                next(p);
                wgsl_stmt *bi = new_stmt(p, ST_BREAK_IF, b);
                bi->a = parse_expression(p);
                expect(p, TK_SEMI, "after 'break if'");
                list_push(p, &cstmts, bi);
                if (!is(p, TK_RBRACE))
                    unexpected(p, "'}': 'break if' must be the last "
                                  "statement of the continuing block");
                break;
            }
            list_push(p, &cstmts, parse_statement(p));
        }
        leave(p);
        expect(p, TK_RBRACE, "to close the continuing block");
        cont->stmts = (wgsl_stmt **)cstmts.items;
        cont->count = cstmts.count;
        s->continuing = cont;
        (void)c;
    }
    leave(p);
    expect(p, TK_RBRACE, "to close the loop");
    return s;
}

static wgsl_stmt *parse_statement(parser *p)
{
    enter(p);
    wgsl_token *t = peek(p);
    wgsl_stmt *s = NULL;
    if (is(p, TK_AT)) {
        /* @diagnostic(...) and similar on compound statements */
        wgsl_attr *attrs;
        int nattrs;
        parse_attributes(p, &attrs, &nattrs);
        t = peek(p);
    }
    switch (t->kind) {
    case TK_SEMI:
        next(p);
        s = new_stmt(p, ST_EMPTY, t);
        break;
    case TK_LBRACE: s = parse_compound(p); break;
    case TK_RETURN:
        next(p);
        s = new_stmt(p, ST_RETURN, t);
        if (!is(p, TK_SEMI))
            s->a = parse_expression(p);
        expect(p, TK_SEMI, "after the return statement");
        break;
    case TK_IF:
        next(p);
        s = parse_if(p, t);
        break;
    case TK_SWITCH:
        next(p);
        s = parse_switch(p, t);
        break;
    case TK_LOOP:
        next(p);
        s = parse_loop(p, t);
        break;
    case TK_FOR: {
        next(p);
        s = new_stmt(p, ST_FOR, t);
        expect(p, TK_LPAREN, "after 'for'");
        if (!is(p, TK_SEMI))
            s->init = parse_simple(p);
        expect(p, TK_SEMI, "after the for loop's initializer");
        if (!is(p, TK_SEMI))
            s->a = parse_expression(p);
        expect(p, TK_SEMI, "after the for loop's condition");
        if (!is(p, TK_RPAREN))
            s->update = parse_simple(p);
        expect(p, TK_RPAREN, "to close the for loop header");
        s->body = parse_compound(p);
        break;
    }
    case TK_WHILE:
        next(p);
        s = new_stmt(p, ST_WHILE, t);
        s->a = parse_expression(p);
        s->body = parse_compound(p);
        break;
    case TK_BREAK:
        next(p);
        if (is(p, TK_IF))
            wgsl_error(p->ctx, t->line, t->column,
                       "'break if' is only allowed as the last statement of "
                       "a continuing block");
        s = new_stmt(p, ST_BREAK, t);
        expect(p, TK_SEMI, "after 'break'");
        break;
    case TK_CONTINUE:
        next(p);
        s = new_stmt(p, ST_CONTINUE, t);
        expect(p, TK_SEMI, "after 'continue'");
        break;
    case TK_DISCARD:
        next(p);
        s = new_stmt(p, ST_DISCARD, t);
        expect(p, TK_SEMI, "after 'discard'");
        break;
    case TK_CONST_ASSERT:
        next(p);
        s = new_stmt(p, ST_CONST_ASSERT, t);
        s->a = parse_expression(p);
        expect(p, TK_SEMI, "after the const_assert");
        break;
    default:
        s = parse_simple(p);
        expect(p, TK_SEMI, "after the statement");
        break;
    }
    leave(p);
    return s;
}

static wgsl_stmt *parse_compound(parser *p)
{
    enter(p);
    wgsl_attr *attrs;
    int nattrs;
    parse_attributes(p, &attrs, &nattrs);
    wgsl_token *t = expect(p, TK_LBRACE, "to open a block");
    wgsl_stmt *s = new_stmt(p, ST_BLOCK, t);
    list stmts = {0};
    while (!is(p, TK_RBRACE)) {
        if (is(p, TK_EOF))
            unexpected(p, "'}' to close the block");
        list_push(p, &stmts, parse_statement(p));
    }
    next(p);
    s->stmts = (wgsl_stmt **)stmts.items;
    s->count = stmts.count;
    leave(p);
    return s;
}

static wgsl_decl *parse_fn(parser *p)
{
    wgsl_decl *d = new_decl(p, DECL_FN);
    wgsl_token *t = peek(p);
    d->line = t->line;
    d->column = t->column;
    d->name = ident(p, "the function's name");
    expect(p, TK_LPAREN, "to open the parameter list");
    list params = {0};
    while (!is(p, TK_RPAREN)) {
        wgsl_decl *param = new_decl(p, DECL_PARAM);
        parse_attributes(p, &param->attrs, &param->nattrs);
        wgsl_token *n = peek(p);
        param->line = n->line;
        param->column = n->column;
        param->name = ident(p, "a parameter name");
        expect(p, TK_COLON, "and the parameter's type");
        param->type_expr = parse_type(p);
        list_push(p, &params, param);
        if (!accept(p, TK_COMMA))
            break;
    }
    expect(p, TK_RPAREN, "to close the parameter list");
    d->params = (wgsl_decl **)params.items;
    d->nparams = params.count;
    if (accept(p, TK_ARROW)) {
        parse_attributes(p, &d->return_attrs, &d->nreturn_attrs);
        d->return_type = parse_type(p);
    }
    d->body = parse_compound(p);
    return d;
}

static wgsl_decl *parse_struct(parser *p)
{
    wgsl_decl *d = new_decl(p, DECL_STRUCT);
    wgsl_token *t = peek(p);
    d->line = t->line;
    d->column = t->column;
    d->name = ident(p, "the struct's name");
    expect(p, TK_LBRACE, "to open the struct body");
    list members = {0}, types = {0}, attrs = {0};
    list counts = {0};
    while (!is(p, TK_RBRACE)) {
        wgsl_member *m = wgsl_alloc(p->ctx, sizeof *m);
        wgsl_attr *a;
        int n;
        parse_attributes(p, &a, &n);
        wgsl_token *mt = peek(p);
        m->line = mt->line;
        m->column = mt->column;
        m->name = ident(p, "a member name");
        expect(p, TK_COLON, "and the member's type");
        list_push(p, &types, parse_type(p));
        list_push(p, &members, m);
        list_push(p, &attrs, a);
        int *count = wgsl_alloc(p->ctx, sizeof *count);
        *count = n;
        list_push(p, &counts, count);
        if (!accept(p, TK_COMMA))
            break;
    }
    expect(p, TK_RBRACE, "to close the struct");
    accept(p, TK_SEMI);
    wgsl_struct *st = wgsl_alloc(p->ctx, sizeof *st);
    st->name = d->name;
    st->line = d->line;
    st->column = d->column;
    st->member_count = members.count;
    st->members =
        wgsl_alloc(p->ctx, (size_t)(members.count + 1) * sizeof *st->members);
    d->member_types = (wgsl_expr **)types.items;
    d->member_attrs = (wgsl_attr **)attrs.items;
    d->member_nattrs =
        wgsl_alloc(p->ctx, (size_t)(members.count + 1) * sizeof(int));
    for (int i = 0; i < members.count; i++) {
        st->members[i] = *(wgsl_member *)members.items[i];
        d->member_nattrs[i] = *(int *)counts.items[i];
    }
    d->st = st;
    return d;
}

static void skip_directive(parser *p)
{
    while (!is(p, TK_SEMI)) {
        if (is(p, TK_EOF))
            unexpected(p, "';' to end the directive");
        next(p);
    }
    next(p);
}

wgsl_program *wgsl_parse(wgsl_ctx *ctx, const wgsl_tokens *tokens)
{
    parser p = {ctx, tokens->items, tokens->count, 0, 0, false};
    wgsl_program *program = wgsl_alloc(ctx, sizeof *program);
    list decls = {0};
    while (!is(&p, TK_EOF)) {
        wgsl_token *t = peek(&p);
        if (accept(&p, TK_SEMI))
            continue;
        if (accept(&p, TK_ENABLE)) {
            while (is(&p, TK_IDENT)) {
                wgsl_token *e = next(&p);
                if (e->length == 3 && memcmp(e->text, "f16", 3) == 0)
                    program->enable_f16 = true;
                else
                    wgsl_error(ctx, e->line, e->column,
                               "unknown or unsupported extension '%.*s': "
                               "expected f16",
                               e->length, e->text);
                if (!accept(&p, TK_COMMA))
                    break;
            }
            expect(&p, TK_SEMI, "after the enable directive");
            continue;
        }
        if (accept(&p, TK_REQUIRES) || accept(&p, TK_DIAGNOSTIC)) {
            skip_directive(&p);
            continue;
        }
        wgsl_attr *attrs;
        int nattrs;
        parse_attributes(&p, &attrs, &nattrs);
        t = peek(&p);
        wgsl_decl *d = NULL;
        if (accept(&p, TK_FN)) {
            d = parse_fn(&p);
        } else if (accept(&p, TK_VAR)) {
            d = parse_var(&p);
            expect(&p, TK_SEMI, "after the variable declaration");
        } else if (accept(&p, TK_CONST)) {
            d = new_decl(&p, DECL_CONST);
            parse_binding_rest(&p, d, true);
            expect(&p, TK_SEMI, "after the const declaration");
        } else if (accept(&p, TK_OVERRIDE)) {
            d = new_decl(&p, DECL_OVERRIDE);
            parse_binding_rest(&p, d, false);
            expect(&p, TK_SEMI, "after the override declaration");
        } else if (accept(&p, TK_LET)) {
            wgsl_error(ctx, t->line, t->column,
                       "'let' is not allowed at module scope: expected "
                       "'const' or 'override'");
        } else if (accept(&p, TK_STRUCT)) {
            d = parse_struct(&p);
        } else if (accept(&p, TK_ALIAS)) {
            d = new_decl(&p, DECL_ALIAS);
            wgsl_token *n = peek(&p);
            d->line = n->line;
            d->column = n->column;
            d->name = ident(&p, "the alias name");
            expect(&p, TK_EQ, "and the aliased type");
            d->type_expr = parse_type(&p);
            expect(&p, TK_SEMI, "after the alias");
        } else if (accept(&p, TK_CONST_ASSERT)) {
            d = new_decl(&p, DECL_CONST_ASSERT);
            d->line = t->line;
            d->column = t->column;
            d->init = parse_expression(&p);
            expect(&p, TK_SEMI, "after the const_assert");
        } else {
            unexpected(&p, "a declaration (fn, var, const, override, struct, "
                           "alias, const_assert) or a directive");
        }
        d->attrs = attrs;
        d->nattrs = nattrs;
        list_push(&p, &decls, d);
    }
    program->decls = (wgsl_decl **)decls.items;
    program->count = decls.count;
    return program;
}

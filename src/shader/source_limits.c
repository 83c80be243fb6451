/* source_limits.c - the checks that keep a shader source within what the
 * compilers can take without overflowing their stack (compiler_thread.c
 * gives them a large one) or expanding without end.
 *
 * glslang, SPIRV-Tools and DXC recurse once per level of nesting: brackets,
 * blocks, unbraced control statements (an else-if chain nests), operators
 * of one expression (a sum of n terms is a tree n deep), struct types built
 * on each other, and macros whose bodies use other macros. Each check here
 * is lexical (comments, strings and numbers are skipped correctly; nothing
 * is parsed), so it costs one pass over the source, and bounds one of
 * those depths with a limit far above real shaders (shader_internal.h has
 * the numbers, docs/decisions.md the reasons):
 *
 *   cs_shader_check_macros: run on the source as written. Macro chains no
 *   deeper than CS_SHADER_MAX_MACRO_DEPTH, and an upper bound of the tokens
 *   the preprocessor can produce (every macro use expanded, a parameter used
 *   k times multiplying its argument by k) within
 *   CS_SHADER_MAX_EXPANDED_TOKENS, so preprocessing stays bounded.
 *
 *   cs_shader_check_nesting: run on the preprocessed source, so nesting
 *   made by macros is counted as well. Brackets, blocks and unbraced
 *   control statements together no deeper than CS_SHADER_MAX_NESTING,
 *   operators in one statement no more than CS_SHADER_MAX_STATEMENT_OPERATORS,
 *   struct declarations no more than CS_SHADER_MAX_STRUCTS.
 *
 * A refusal is CS_ERROR_SHADER_COMPILE naming the limit and the line. */
#include "shader_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* >>lexer: tokens of C-like source. Directives (a line starting with #,
 * with its continuations) are one token. */
typedef enum token_kind {
    TOKEN_END,
    TOKEN_NAME,
    TOKEN_NUMBER,
    TOKEN_STRING,
    TOKEN_PUNCTUATOR,
    TOKEN_DIRECTIVE,
} token_kind;

typedef struct token {
    token_kind kind;
    const char *text;
    size_t length;
    uint32_t line;
} token;

typedef struct lexer {
    const char *at, *end;
    uint32_t line;
    bool line_start;
} lexer;

static void lexer_init(lexer *lex, const char *text, size_t size, uint32_t line)
{
    lex->at = text;
    lex->end = text + size;
    lex->line = line;
    lex->line_start = true;
}

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

/* Skips spaces, line continuations and comments. */
static void skip_space(lexer *lex)
{
    while (lex->at < lex->end) {
        char c = *lex->at;
        if (c == '\n') {
            lex->line++;
            lex->line_start = true;
            lex->at++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
                   c == '\v' || c == '\0') {
            lex->at++;
        } else if (c == '\\' && lex->at + 1 < lex->end && lex->at[1] == '\n') {
            lex->line++;
            lex->at += 2;
        } else if (c == '/' && lex->at + 1 < lex->end && lex->at[1] == '/') {
            while (lex->at < lex->end && *lex->at != '\n')
                lex->at++;
        } else if (c == '/' && lex->at + 1 < lex->end && lex->at[1] == '*') {
            lex->at += 2;
            while (lex->at < lex->end &&
                   !(*lex->at == '*' && lex->at + 1 < lex->end &&
                     lex->at[1] == '/')) {
                if (*lex->at == '\n')
                    lex->line++;
                lex->at++;
            }
            lex->at = lex->at < lex->end ? lex->at + 2 : lex->end;
        } else {
            return;
        }
    }
}

static void next_token(lexer *lex, token *out)
{
    skip_space(lex);
    out->text = lex->at;
    out->line = lex->line;
    if (lex->at >= lex->end) {
        out->kind = TOKEN_END;
        out->length = 0;
        return;
    }
    bool line_start = lex->line_start;
    lex->line_start = false;
    const char *at = lex->at;
    char c = *at;
    if (c == '#' && line_start) {
        /* to the end of the line, continuations included; a comment that
         * spans lines ends the directive where it ends */
        while (at < lex->end && *at != '\n') {
            if (*at == '\\' && at + 1 < lex->end && at[1] == '\n') {
                lex->line++;
                at += 2;
            } else if (*at == '/' && at + 1 < lex->end && at[1] == '*') {
                at += 2;
                while (at < lex->end &&
                       !(*at == '*' && at + 1 < lex->end && at[1] == '/')) {
                    if (*at == '\n')
                        lex->line++;
                    at++;
                }
                at = at < lex->end ? at + 2 : lex->end;
            } else {
                at++;
            }
        }
        out->kind = TOKEN_DIRECTIVE;
    } else if (is_name_start(c)) {
        while (at < lex->end && is_name_char(*at))
            at++;
        out->kind = TOKEN_NAME;
    } else if ((c >= '0' && c <= '9') || (c == '.' && at + 1 < lex->end &&
                                          at[1] >= '0' && at[1] <= '9')) {
        /* a preprocessing number: digits, letters, dots, exponent signs */
        at++;
        while (at < lex->end) {
            if (is_name_char(*at) || *at == '.')
                at++;
            else if ((*at == '+' || *at == '-') &&
                     (at[-1] == 'e' || at[-1] == 'E' || at[-1] == 'p' ||
                      at[-1] == 'P'))
                at++;
            else
                break;
        }
        out->kind = TOKEN_NUMBER;
    } else if (c == '"' || c == '\'') {
        at++;
        while (at < lex->end && *at != c && *at != '\n') {
            if (*at == '\\' && at + 1 < lex->end)
                at++;
            at++;
        }
        if (at < lex->end && *at == c)
            at++;
        out->kind = TOKEN_STRING;
    } else {
        at++;
        out->kind = TOKEN_PUNCTUATOR;
    }
    out->length = (size_t)(at - lex->at);
    lex->at = at;
}

static bool token_is(const token *t, const char *text)
{
    size_t length = strlen(text);
    return t->length == length && memcmp(t->text, text, length) == 0;
}

static bool punctuator_is(const token *t, char c)
{
    return t->kind == TOKEN_PUNCTUATOR && t->text[0] == c;
}

/* >>macros */

typedef struct macro {
    const char *name;
    size_t name_length;
    const char *parameters; /* the text between the parentheses */
    size_t parameters_length;
    const char *body; /* the rest of the directive after the parameters */
    size_t body_length;
    uint32_t line;
    bool function_like;
    /* evaluated on demand */
    enum { MACRO_NEW, MACRO_EVALUATING, MACRO_DONE } state;
    uint64_t tokens;      /* upper bound of its expansion, arguments as 1 */
    uint64_t multiplier;  /* the most uses of one parameter, at least 1 */
    uint32_t chain_depth; /* 1 + the deepest chain of macros it uses */
    /* another definition of the same name (index + 1, 0 = none): which one
     * the preprocessor uses depends on #if, so each use counts the worst */
    size_t next_definition;
    /* parentheses its expansion leaves open (net, an upper bound) and the
     * most it has open at once: glslang's preprocessor recurses once per
     * open invocation, so macros like `#define O F(F(F(` are bounded
     * before it runs */
    int64_t parentheses_net;
    int64_t parentheses_most;
} macro;

typedef struct macro_table {
    macro *macros;
    size_t count, capacity;
    size_t *slots; /* index + 1, 0 = empty */
    size_t slot_count;
    const char *file_name;
    /* invocations open while counting (shared by nested evaluations) */
    struct open_call {
        uint64_t weight_before;
        uint32_t paren_depth;
    } * calls;
    size_t call_count, call_capacity;
} macro_table;

static uint64_t hash_name(const char *name, size_t length)
{
    uint64_t hash = 1469598103934665603u;
    for (size_t i = 0; i < length; i++)
        hash = (hash ^ (unsigned char)name[i]) * 1099511628211u;
    return hash;
}

static macro *find_macro(const macro_table *table, const char *name,
                         size_t length)
{
    if (table->slot_count == 0)
        return NULL;
    size_t mask = table->slot_count - 1;
    for (size_t slot = hash_name(name, length) & mask;;
         slot = (slot + 1) & mask) {
        size_t index = table->slots[slot];
        if (index == 0)
            return NULL;
        macro *m = &table->macros[index - 1];
        if (m->name_length == length && memcmp(m->name, name, length) == 0)
            return m;
    }
}

/* Parses "#define NAME(params) body" (other directives are ignored). */
static bool parse_define(const token *directive, macro *out)
{
    lexer lex;
    lexer_init(&lex, directive->text + 1, directive->length - 1,
               directive->line);
    lex.line_start = false;
    token t;
    next_token(&lex, &t);
    if (t.kind != TOKEN_NAME || !token_is(&t, "define"))
        return false;
    next_token(&lex, &t);
    if (t.kind != TOKEN_NAME)
        return false;
    memset(out, 0, sizeof *out);
    out->name = t.text;
    out->name_length = t.length;
    out->line = directive->line;
    if (lex.at < lex.end && *lex.at == '(') {
        out->function_like = true;
        next_token(&lex, &t);
        out->parameters = lex.at;
        do
            next_token(&lex, &t);
        while (t.kind != TOKEN_END && !punctuator_is(&t, ')'));
        out->parameters_length = (size_t)(t.text - out->parameters);
    }
    out->body = lex.at;
    out->body_length = (size_t)(lex.end - lex.at);
    return true;
}

/* Whether the body has ## (in a comment too: a false positive only
 * applies the pasting rule). */
static bool pastes_tokens(const macro *m)
{
    for (size_t i = 0; i + 1 < m->body_length; i++)
        if (m->body[i] == '#' && m->body[i + 1] == '#')
            return true;
    return false;
}

static cs_status add_macro(macro_table *table, const macro *m)
{
    macro *existing = find_macro(table, m->name, m->name_length);
    size_t existing_index = existing ? (size_t)(existing - table->macros) : 0;
    if (table->count == table->capacity) {
        size_t capacity = table->capacity ? table->capacity * 2 : 64;
        macro *grown = realloc(table->macros, capacity * sizeof *grown);
        if (grown == NULL)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "cannot allocate the macro table");
        table->macros = grown;
        table->capacity = capacity;
    }
    table->macros[table->count++] = *m;
    if (existing) { /* redefined: chained to the first, not hashed */
        macro *first = &table->macros[existing_index];
        table->macros[table->count - 1].next_definition =
            first->next_definition;
        first->next_definition = table->count;
        return CS_OK;
    }
    if (table->count * 2 > table->slot_count) {
        size_t slot_count = table->slot_count ? table->slot_count * 2 : 256;
        while (slot_count < table->count * 2)
            slot_count *= 2;
        size_t *slots = calloc(slot_count, sizeof *slots);
        if (slots == NULL)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "cannot allocate the macro table");
        free(table->slots);
        table->slots = slots;
        table->slot_count = slot_count;
        for (size_t i = 0; i < table->count; i++) {
            const macro *each = &table->macros[i];
            size_t slot =
                hash_name(each->name, each->name_length) & (slot_count - 1);
            while (slots[slot])
                slot = (slot + 1) & (slot_count - 1);
            slots[slot] = i + 1;
        }
        return CS_OK;
    }
    size_t slot = hash_name(m->name, m->name_length) & (table->slot_count - 1);
    while (table->slots[slot])
        slot = (slot + 1) & (table->slot_count - 1);
    table->slots[slot] = table->count;
    return CS_OK;
}

static uint64_t saturating_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

static uint64_t saturating_multiply(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static cs_status too_many_tokens(const macro_table *table, uint32_t line)
{
    return cs_fail(CS_ERROR_SHADER_COMPILE,
                   "%s:%u: error: the source would hold more than %u tokens "
                   "once its macros are expanded (limit "
                   "CS_SHADER_MAX_EXPANDED_TOKENS), refused before "
                   "preprocessing",
                   table->file_name, line,
                   (unsigned)CS_SHADER_MAX_EXPANDED_TOKENS);
}

static cs_status evaluate_macro(macro_table *table, macro *m, uint32_t depth);

static cs_status too_many_open_parentheses(const macro_table *table,
                                           uint32_t line, int64_t most)
{
    return cs_fail(CS_ERROR_SHADER_COMPILE,
                   "%s:%u: error: nested parentheses nest more than %u "
                   "levels deep (up to %lld with macros expanded; limit "
                   "CS_SHADER_MAX_NESTING)",
                   table->file_name, line, (unsigned)CS_SHADER_MAX_NESTING,
                   (long long)most);
}

/* weight copies of net open parentheses, at most PARENTHESES_CAP */
static int64_t weighted_parentheses(uint64_t weight, int64_t net);

#define PARENTHESES_CAP ((int64_t)1 << 40)

static int64_t weighted_parentheses(uint64_t weight, int64_t net)
{
    uint64_t product = saturating_multiply(weight, (uint64_t)net);
    return product > (uint64_t)PARENTHESES_CAP ? PARENTHESES_CAP
                                               : (int64_t)product;
}

static int64_t clamp_parentheses(int64_t value)
{
    return value > PARENTHESES_CAP    ? PARENTHESES_CAP
           : value < -PARENTHESES_CAP ? -PARENTHESES_CAP
                                      : value;
}

/* Counts the tokens that text expands to, each weighted by the uses that
 * the invocations around it make of it. With `owner`, its parameters count
 * toward owner->multiplier. */
static cs_status count_expansion(macro_table *table, const char *text,
                                 size_t size, uint32_t line, macro *owner,
                                 uint32_t depth, uint64_t *out_tokens,
                                 int64_t *out_parentheses_most)
{
    /* open parentheses: this text's own, unweighted (arguments are
     * balanced), plus what the macros it uses leave open, weighted */
    int64_t open = 0, most_open = 0;
    token *parameters = NULL;
    uint64_t *parameter_uses = NULL;
    size_t parameter_count = 0;
    if (owner && owner->parameters_length > 0) {
        /* at most one parameter per 2 bytes of "a,b,c" */
        size_t most = owner->parameters_length / 2 + 1;
        parameters = malloc(most * sizeof *parameters);
        parameter_uses = calloc(most, sizeof *parameter_uses);
        if (parameters == NULL || parameter_uses == NULL) {
            free(parameters);
            free(parameter_uses);
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "cannot allocate the macro check");
        }
        lexer params;
        lexer_init(&params, owner->parameters, owner->parameters_length, 0);
        for (token p; next_token(&params, &p), p.kind != TOKEN_END;)
            if (p.kind == TOKEN_NAME && parameter_count < most)
                parameters[parameter_count++] = p;
    }
    size_t call_base = table->call_count;
    uint64_t weight = 1, total = 0;
    uint32_t paren_depth = 0, deepest_use = 0;
    /* a function-like macro's name was last: the most uses one of its
     * parameters has (0: none) */
    uint64_t pending_multiplier = 0;
    lexer lex;
    lexer_init(&lex, text, size, line);
    cs_status status = CS_OK;
    for (;;) {
        token t;
        next_token(&lex, &t);
        if (t.kind == TOKEN_END)
            break;
        if (t.kind == TOKEN_DIRECTIVE) {
            pending_multiplier = 0;
            continue;
        }
        if (pending_multiplier && punctuator_is(&t, '(')) {
            if (table->call_count == table->call_capacity) {
                size_t capacity =
                    table->call_capacity ? table->call_capacity * 2 : 64;
                struct open_call *grown =
                    realloc(table->calls, capacity * sizeof *grown);
                if (grown == NULL) {
                    status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                                     "cannot allocate the macro check");
                    break;
                }
                table->calls = grown;
                table->call_capacity = capacity;
            }
            table->calls[table->call_count++] =
                (struct open_call){weight, paren_depth + 1};
            weight = saturating_multiply(weight, pending_multiplier);
        }
        pending_multiplier = 0;
        uint64_t cost = 1;
        if (punctuator_is(&t, '(')) {
            paren_depth++;
            open = clamp_parentheses(open + 1);
            if (open > most_open)
                most_open = open;
        } else if (punctuator_is(&t, ')')) {
            open--;
            if (table->call_count > call_base &&
                table->calls[table->call_count - 1].paren_depth ==
                    paren_depth) {
                weight = table->calls[--table->call_count].weight_before;
            }
            if (paren_depth > 0)
                paren_depth--;
        } else if (t.kind == TOKEN_NAME) {
            bool is_parameter = false;
            for (size_t p = 0; p < parameter_count; p++) {
                if (parameters[p].length == t.length &&
                    memcmp(parameters[p].text, t.text, t.length) == 0) {
                    parameter_uses[p] =
                        saturating_add(parameter_uses[p], weight);
                    is_parameter = true;
                    break;
                }
            }
            macro *used =
                is_parameter ? NULL : find_macro(table, t.text, t.length);
            for (; used && status == CS_OK;
                 used = used->next_definition
                            ? &table->macros[used->next_definition - 1]
                            : NULL) {
                /* a macro being expanded is not expanded again inside
                 * itself */
                if (used->state == MACRO_EVALUATING)
                    continue;
                status = evaluate_macro(table, used, depth + 1);
                if (used->tokens > cost)
                    cost = used->tokens;
                if (open + used->parentheses_most > most_open)
                    most_open =
                        clamp_parentheses(open + used->parentheses_most);
                if (used->parentheses_net > 0)
                    open = clamp_parentheses(
                        open +
                        weighted_parentheses(weight, used->parentheses_net));
                if (used->chain_depth > deepest_use)
                    deepest_use = used->chain_depth;
                if (used->function_like &&
                    used->multiplier > pending_multiplier)
                    pending_multiplier = used->multiplier;
            }
            if (status != CS_OK)
                break;
        }
        if (most_open > CS_SHADER_MAX_NESTING) {
            status = too_many_open_parentheses(table, t.line, most_open);
            break;
        }
        total = saturating_add(total, saturating_multiply(cost, weight));
        if (total > CS_SHADER_MAX_EXPANDED_TOKENS) {
            status = too_many_tokens(table, t.line);
            break;
        }
    }
    table->call_count = call_base;
    *out_parentheses_most = most_open;
    if (owner) {
        owner->parentheses_net = open > 0 ? open : 0;
        owner->parentheses_most = most_open;
        owner->chain_depth = deepest_use + 1;
        owner->multiplier = 1;
        for (size_t p = 0; p < parameter_count; p++)
            if (parameter_uses[p] > owner->multiplier)
                owner->multiplier = parameter_uses[p];
        if (owner->multiplier > CS_SHADER_MAX_EXPANDED_TOKENS)
            owner->multiplier = CS_SHADER_MAX_EXPANDED_TOKENS;
    }
    free(parameters);
    free(parameter_uses);
    *out_tokens = total;
    return status;
}

static cs_status macro_chain_too_deep(const macro_table *table, const macro *m)
{
    return cs_fail(CS_ERROR_SHADER_COMPILE,
                   "%s:%u: error: macro '%.*s' starts a chain of macros "
                   "using macros more than %u deep (limit "
                   "CS_SHADER_MAX_MACRO_DEPTH)",
                   table->file_name, m->line, (int)m->name_length, m->name,
                   (unsigned)CS_SHADER_MAX_MACRO_DEPTH);
}

/* depth: of this evaluation's own recursion, which never exceeds the chain
 * depth, so the limit bounds both */
static cs_status evaluate_macro(macro_table *table, macro *m, uint32_t depth)
{
    if (m->state == MACRO_DONE)
        return CS_OK;
    if (depth > CS_SHADER_MAX_MACRO_DEPTH)
        return macro_chain_too_deep(table, m);
    m->state = MACRO_EVALUATING;
    uint64_t tokens = 0;
    int64_t most_open = 0;
    cs_status status = count_expansion(table, m->body, m->body_length, m->line,
                                       m, depth, &tokens, &most_open);
    m->tokens = tokens;
    m->state = MACRO_DONE;
    if (status == CS_OK && m->chain_depth > CS_SHADER_MAX_MACRO_DEPTH)
        return macro_chain_too_deep(table, m);
    return status;
}

cs_status cs_shader_check_macros(const char *source, size_t size,
                                 const char *file_name)
{
    if (size > CS_SHADER_MAX_SOURCE_BYTES)
        return cs_fail(CS_ERROR_SHADER_COMPILE,
                       "%s: error: the source is %zu bytes, more than %u "
                       "(limit CS_SHADER_MAX_SOURCE_BYTES)",
                       file_name, size, (unsigned)CS_SHADER_MAX_SOURCE_BYTES);
    macro_table table = {.file_name = file_name};
    cs_status status = CS_OK;
    lexer lex;
    lexer_init(&lex, source, size, 1);
    uint32_t pasting_line = 0; /* of the first body with ## */
    for (;;) {
        token t;
        next_token(&lex, &t);
        if (t.kind == TOKEN_END)
            break;
        macro m;
        if (t.kind == TOKEN_DIRECTIVE && parse_define(&t, &m)) {
            if (!pasting_line && pastes_tokens(&m))
                pasting_line = m.line;
            status = add_macro(&table, &m);
            if (status != CS_OK)
                break;
        }
    }
    /* A name made by token pasting can be any macro, so chains through
     * pasted names are not followed; they cannot be longer than the
     * number of macros, kept within the chain limit when ## is used. */
    if (status == CS_OK && pasting_line &&
        table.count > CS_SHADER_MAX_MACRO_DEPTH)
        status = cs_fail(CS_ERROR_SHADER_COMPILE,
                         "%s:%u: error: token pasting (##) with %zu macro "
                         "definitions: chains of pasted macro names are "
                         "bounded only by their number, more than %u "
                         "(limit CS_SHADER_MAX_MACRO_DEPTH)",
                         file_name, pasting_line, table.count,
                         (unsigned)CS_SHADER_MAX_MACRO_DEPTH);
    /* every macro, used or not, then the source itself */
    for (size_t i = 0; status == CS_OK && i < table.count; i++)
        status = evaluate_macro(&table, &table.macros[i], 1);
    uint64_t tokens = 0;
    int64_t most_open = 0;
    if (status == CS_OK)
        status = count_expansion(&table, source, size, 1, NULL, 0, &tokens,
                                 &most_open);

    free(table.macros);
    free(table.slots);
    free(table.calls);
    return status;
}

/* >>nesting */

static bool is_control_keyword(const token *t)
{
    static const char *const keywords[] = {"if",    "else", "for",
                                           "while", "do",   "switch"};
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (token_is(t, keywords[i]))
            return true;
    return false;
}

static bool is_struct_keyword(const token *t)
{
    return token_is(t, "struct") || token_is(t, "class") ||
           token_is(t, "interface");
}

cs_status cs_shader_check_nesting(const char *source, size_t size,
                                  const char *file_name)
{
    if (size > CS_SHADER_MAX_SOURCE_BYTES)
        return cs_fail(CS_ERROR_SHADER_COMPILE,
                       "%s: error: the source is %zu bytes after "
                       "preprocessing, more than %u (limit "
                       "CS_SHADER_MAX_SOURCE_BYTES)",
                       file_name, size, (unsigned)CS_SHADER_MAX_SOURCE_BYTES);
    /* chain[b]: unbraced control statements open at brace depth b */
    uint16_t chain[CS_SHADER_MAX_NESTING + 2];
    uint32_t braces = 0, brackets = 0, chained = 0;
    uint32_t operators = 0, structs = 0;
    bool statement_ended = false;
    chain[0] = 0;
    lexer lex;
    lexer_init(&lex, source, size, 1);
    for (;;) {
        token t;
        next_token(&lex, &t);
        if (t.kind == TOKEN_END)
            return CS_OK;
        if (t.kind == TOKEN_DIRECTIVE)
            continue;
        if (statement_ended) {
            /* `if (a) x; else y;`: the else continues the chain */
            statement_ended = false;
            if (!(t.kind == TOKEN_NAME && token_is(&t, "else"))) {
                chained -= chain[braces];
                chain[braces] = 0;
            }
        }
        const char *what = NULL;
        if (t.kind == TOKEN_NAME && is_control_keyword(&t)) {
            chain[braces]++;
            chained++;
            what = "control statements without braces";
        } else if (t.kind == TOKEN_NAME && is_struct_keyword(&t)) {
            if (++structs > CS_SHADER_MAX_STRUCTS)
                return cs_fail(CS_ERROR_SHADER_COMPILE,
                               "%s:%u: error: more than %u struct "
                               "declarations (limit CS_SHADER_MAX_STRUCTS)",
                               file_name, t.line,
                               (unsigned)CS_SHADER_MAX_STRUCTS);
        } else if (t.kind == TOKEN_PUNCTUATOR) {
            char c = t.text[0];
            if (c == '{') {
                braces++;
                chain[braces] = 0;
                operators = 0;
                what = "nested blocks";
            } else if (c == '}') {
                if (braces > 0) {
                    chained -= chain[braces];
                    braces--;
                }
                operators = 0;
                statement_ended = brackets == 0;
            } else if (c == '(' || c == '[') {
                brackets++;
                what = c == '(' ? "nested parentheses" : "nested brackets";
            } else if (c == ')' || c == ']') {
                if (brackets > 0)
                    brackets--;
            } else if (c == ';') {
                operators = 0;
                statement_ended = brackets == 0;
            } else if (strchr("+-*/%<>=!~&|^?:.,", c)) {
                if (++operators > CS_SHADER_MAX_STATEMENT_OPERATORS)
                    return cs_fail(CS_ERROR_SHADER_COMPILE,
                                   "%s:%u: error: more than %u operators in "
                                   "one statement (limit "
                                   "CS_SHADER_MAX_STATEMENT_OPERATORS): "
                                   "split the expression",
                                   file_name, t.line,
                                   (unsigned)CS_SHADER_MAX_STATEMENT_OPERATORS);
            }
        }
        if (what && braces + brackets + chained > CS_SHADER_MAX_NESTING)
            return cs_fail(CS_ERROR_SHADER_COMPILE,
                           "%s:%u: error: %s nest more than %u levels deep "
                           "(brackets, blocks and control statements "
                           "together; limit CS_SHADER_MAX_NESTING)",
                           file_name, t.line, what,
                           (unsigned)CS_SHADER_MAX_NESTING);
    }
}

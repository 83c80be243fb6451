/* lexer.c - WGSL source text to tokens with their line and column. */
#include "wgsl_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *text;
    wgsl_tok kind;
} keywords[] = {
    {"alias", TK_ALIAS},
    {"break", TK_BREAK},
    {"case", TK_CASE},
    {"const", TK_CONST},
    {"const_assert", TK_CONST_ASSERT},
    {"continue", TK_CONTINUE},
    {"continuing", TK_CONTINUING},
    {"default", TK_DEFAULT},
    {"diagnostic", TK_DIAGNOSTIC},
    {"discard", TK_DISCARD},
    {"else", TK_ELSE},
    {"enable", TK_ENABLE},
    {"false", TK_FALSE},
    {"fn", TK_FN},
    {"for", TK_FOR},
    {"if", TK_IF},
    {"let", TK_LET},
    {"loop", TK_LOOP},
    {"override", TK_OVERRIDE},
    {"requires", TK_REQUIRES},
    {"return", TK_RETURN},
    {"struct", TK_STRUCT},
    {"switch", TK_SWITCH},
    {"true", TK_TRUE},
    {"var", TK_VAR},
    {"while", TK_WHILE},
};

/* Punctuation, longest first so that a prefix never wins. */
static const struct {
    const char *text;
    wgsl_tok kind;
} puncts[] = {
    {"<<=", TK_SHLEQ},   {">>=", TK_SHREQ},     {"&&", TK_ANDAND},
    {"||", TK_OROR},     {"<<", TK_SHL},        {">>", TK_SHR},
    {"<=", TK_LE},       {">=", TK_GE},         {"==", TK_EQEQ},
    {"!=", TK_NE},       {"+=", TK_PLUSEQ},     {"-=", TK_MINUSEQ},
    {"*=", TK_STAREQ},   {"/=", TK_SLASHEQ},    {"%=", TK_PERCENTEQ},
    {"&=", TK_AMPEQ},    {"|=", TK_PIPEEQ},     {"^=", TK_CARETEQ},
    {"++", TK_PLUSPLUS}, {"--", TK_MINUSMINUS}, {"->", TK_ARROW},
    {"(", TK_LPAREN},    {")", TK_RPAREN},      {"{", TK_LBRACE},
    {"}", TK_RBRACE},    {"[", TK_LBRACKET},    {"]", TK_RBRACKET},
    {"<", TK_LT},        {">", TK_GT},          {"=", TK_EQ},
    {"+", TK_PLUS},      {"-", TK_MINUS},       {"*", TK_STAR},
    {"/", TK_SLASH},     {"%", TK_PERCENT},     {"&", TK_AMP},
    {"|", TK_PIPE},      {"^", TK_CARET},       {"~", TK_TILDE},
    {"!", TK_BANG},      {":", TK_COLON},       {";", TK_SEMI},
    {",", TK_COMMA},     {".", TK_DOT},         {"@", TK_AT},
};

const char *wgsl_token_name(wgsl_tok kind)
{
    switch (kind) {
    case TK_EOF: return "the end of the source";
    case TK_IDENT: return "an identifier";
    case TK_INT: return "an integer literal";
    case TK_FLOAT: return "a float literal";
    default: break;
    }
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (keywords[i].kind == kind)
            return keywords[i].text;
    for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++)
        if (puncts[i].kind == kind)
            return puncts[i].text;
    return "?";
}

typedef struct lexer {
    wgsl_ctx *ctx;
    const char *at, *end;
    int line, column;
    wgsl_tokens *out;
    size_t capacity;
} lexer;

static void advance(lexer *lx, size_t n)
{
    for (size_t i = 0; i < n && lx->at < lx->end; i++) {
        if (*lx->at == '\n') {
            lx->line++;
            lx->column = 1;
        } else {
            lx->column++;
        }
        lx->at++;
    }
}

static bool skip_blank(lexer *lx)
{
    while (lx->at < lx->end) {
        char c = *lx->at;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
            c == '\f') {
            advance(lx, 1);
        } else if (c == '/' && lx->at + 1 < lx->end && lx->at[1] == '/') {
            while (lx->at < lx->end && *lx->at != '\n')
                advance(lx, 1);
        } else if (c == '/' && lx->at + 1 < lx->end && lx->at[1] == '*') {
            /* block comments nest in WGSL */
            int line = lx->line, column = lx->column;
            int depth = 0;
            do {
                if (lx->at + 1 < lx->end && lx->at[0] == '/' &&
                    lx->at[1] == '*') {
                    depth++;
                    advance(lx, 2);
                } else if (lx->at + 1 < lx->end && lx->at[0] == '*' &&
                           lx->at[1] == '/') {
                    depth--;
                    advance(lx, 2);
                } else if (lx->at >= lx->end) {
                    wgsl_error(lx->ctx, line, column,
                               "unterminated block comment: expected '*/'");
                } else {
                    advance(lx, 1);
                }
            } while (depth > 0);
        } else {
            return lx->at < lx->end;
        }
    }
    return false;
}

static wgsl_token *push(lexer *lx)
{
    wgsl_tokens *out = lx->out;
    if (out->count == lx->capacity) {
        size_t capacity = lx->capacity ? lx->capacity * 2 : 256;
        wgsl_token *items = wgsl_alloc(lx->ctx, capacity * sizeof *items);
        if (out->count)
            memcpy(items, out->items, out->count * sizeof *items);
        out->items = items;
        lx->capacity = capacity;
    }
    wgsl_token *token = &out->items[out->count++];
    memset(token, 0, sizeof *token);
    token->line = lx->line;
    token->column = lx->column;
    token->text = lx->at;
    return token;
}

static bool is_ident_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}
static bool is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static void lex_number(lexer *lx, wgsl_token *token)
{
    const char *p = lx->at, *end = lx->end;
    bool hex = p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    bool is_float = false;
    const char *q = p;
    if (hex) {
        q += 2;
        while (q < end && isxdigit((unsigned char)*q))
            q++;
        if (q < end && *q == '.') {
            is_float = true;
            q++;
            while (q < end && isxdigit((unsigned char)*q))
                q++;
        }
        if (q < end && (*q == 'p' || *q == 'P')) {
            is_float = true;
            q++;
            if (q < end && (*q == '+' || *q == '-'))
                q++;
            while (q < end && isdigit((unsigned char)*q))
                q++;
        }
        if (q == p + 2)
            wgsl_error(lx->ctx, token->line, token->column,
                       "hexadecimal literal without digits: expected a "
                       "digit after '0x'");
    } else {
        while (q < end && isdigit((unsigned char)*q))
            q++;
        if (q < end && *q == '.' &&
            !(q + 1 < end && is_ident_start(q[1]) && q[1] != 'e' &&
              q[1] != 'E' && q[1] != 'f' && q[1] != 'h')) {
            is_float = true;
            q++;
            while (q < end && isdigit((unsigned char)*q))
                q++;
        }
        if (q < end && (*q == 'e' || *q == 'E')) {
            const char *r = q + 1;
            if (r < end && (*r == '+' || *r == '-'))
                r++;
            if (r < end && isdigit((unsigned char)*r)) {
                is_float = true;
                q = r;
                while (q < end && isdigit((unsigned char)*q))
                    q++;
            }
        }
    }
    int suffix = 0;
    if (q < end && (*q == 'i' || *q == 'u') && !is_float) {
        suffix = *q++;
    } else if (q < end && (*q == 'f' || *q == 'h') && !hex) {
        suffix = *q++;
        is_float = true;
    } else if (q < end && (*q == 'f' || *q == 'h') && hex && is_float) {
        suffix = *q++;
    }
    if (q < end && is_ident_char(*q))
        wgsl_error(lx->ctx, token->line, token->column,
                   "invalid numeric literal '%.*s': unexpected '%c'",
                   (int)(q - p + 1), p, *q);
    size_t length = (size_t)(q - p);
    char buffer[128];
    if (length >= sizeof buffer)
        wgsl_error(lx->ctx, token->line, token->column,
                   "numeric literal is too long (%zu characters)", length);
    memcpy(buffer, p, length);
    buffer[length] = '\0';
    if (suffix)
        buffer[length - 1] = '\0';
    token->suffix = suffix;
    if (is_float) {
        token->kind = TK_FLOAT;
        if (hex && !strpbrk(buffer, "pP"))
            strcat(buffer, "p0");
        errno = 0;
        token->fval = strtod(buffer, NULL);
        if (!isfinite(token->fval) ||
            (suffix == 'f' && fabs(token->fval) > 3.40282346638528859812e38))
            wgsl_error(lx->ctx, token->line, token->column,
                       "float literal '%s' is out of range", buffer);
        if (suffix == 'h' && fabs(token->fval) > 65504.0)
            wgsl_error(lx->ctx, token->line, token->column,
                       "f16 literal '%s' is out of range (largest 65504)",
                       buffer);
    } else {
        token->kind = TK_INT;
        if (!hex && buffer[0] == '0' && buffer[1] != '\0')
            wgsl_error(lx->ctx, token->line, token->column,
                       "integer literal '%s' has a leading zero: expected a "
                       "decimal literal without leading zeros",
                       buffer);
        errno = 0;
        unsigned long long value = strtoull(buffer, NULL, hex ? 16 : 10);
        if (errno == ERANGE || value > (unsigned long long)INT64_MAX)
            wgsl_error(lx->ctx, token->line, token->column,
                       "integer literal '%s' is out of range", buffer);
        if (suffix == 'i' && value > 2147483647ull)
            wgsl_error(lx->ctx, token->line, token->column,
                       "integer literal '%si' does not fit in i32 "
                       "(largest 2147483647)",
                       buffer);
        if (suffix == 'u' && value > 4294967295ull)
            wgsl_error(lx->ctx, token->line, token->column,
                       "integer literal '%su' does not fit in u32 "
                       "(largest 4294967295)",
                       buffer);
        token->ival = (int64_t)value;
    }
    token->length = (int)length;
    advance(lx, length);
}

void wgsl_lex(wgsl_ctx *ctx, wgsl_tokens *out)
{
    lexer lx = {ctx, ctx->source, ctx->source + ctx->size, 1, 1, out, 0};
    out->items = NULL;
    out->count = 0;
    while (skip_blank(&lx)) {
        wgsl_token *token = push(&lx);
        char c = *lx.at;
        if (is_ident_start(c)) {
            const char *p = lx.at;
            while (p < lx.end && is_ident_char(*p))
                p++;
            token->length = (int)(p - lx.at);
            token->kind = TK_IDENT;
            for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
                if (strlen(keywords[i].text) == (size_t)token->length &&
                    memcmp(keywords[i].text, lx.at, token->length) == 0)
                    token->kind = keywords[i].kind;
            if (token->length > 255)
                wgsl_error(ctx, token->line, token->column,
                           "identifier is too long (%d characters, at most "
                           "255)",
                           token->length);
            if (token->kind == TK_IDENT && token->length >= 2 &&
                lx.at[0] == '_' && lx.at[1] == '_')
                wgsl_error(ctx, token->line, token->column,
                           "identifier '%.*s' starts with '__', which WGSL "
                           "reserves",
                           token->length, lx.at);
            advance(&lx, token->length);
        } else if (isdigit((unsigned char)c) ||
                   (c == '.' && lx.at + 1 < lx.end &&
                    isdigit((unsigned char)lx.at[1]))) {
            lex_number(&lx, token);
        } else {
            bool found = false;
            for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
                size_t length = strlen(puncts[i].text);
                if ((size_t)(lx.end - lx.at) >= length &&
                    memcmp(puncts[i].text, lx.at, length) == 0) {
                    token->kind = puncts[i].kind;
                    token->length = (int)length;
                    advance(&lx, length);
                    found = true;
                    break;
                }
            }
            if (!found) {
                if ((unsigned char)c >= 0x80)
                    wgsl_error(ctx, token->line, token->column,
                               "non-ASCII character: this compiler accepts "
                               "ASCII identifiers only");
                wgsl_error(ctx, token->line, token->column,
                           "unexpected character '%c' (0x%02x)",
                           isprint((unsigned char)c) ? c : '?',
                           (unsigned char)c);
            }
        }
    }
    wgsl_token *eof = push(&lx);
    eof->kind = TK_EOF;
}

"""Shader compilers never crash the process (issue 12, item 1).

Pathological sources of every kind of nesting the compilers recurse on,
generated for HLSL and GLSL, compiled on the main thread and on worker
threads: each gives SPIR-V or a ShaderCompileError that names the limit
(docs/decisions.md, "Shader compilers never crash"). Without the compiler
thread and the source checks these sizes overflow glslang's stack and kill
the interpreter. The long versions (COMPUSHADY_LONG_TESTS=1) use sizes ten
to a hundred times larger, many threads at once, and sources at the limits.
"""

import os
import struct
import threading
import time

import pytest

from compushady import Buffer, Compute, ShaderCompileError
from compushady.shaders import glsl, hlsl

from helpers import read_buffer, upload_buffer

LONG = pytest.mark.skipif(not os.environ.get("COMPUSHADY_LONG_TESTS"), reason="long run: set COMPUSHADY_LONG_TESTS=1")

NESTING = "CS_SHADER_MAX_NESTING"
OPERATORS = "CS_SHADER_MAX_STATEMENT_OPERATORS"
STRUCTS = "CS_SHADER_MAX_STRUCTS"
MACRO_DEPTH = "CS_SHADER_MAX_MACRO_DEPTH"
EXPANSION = "CS_SHADER_MAX_EXPANDED_TOKENS"
SOURCE_BYTES = "CS_SHADER_MAX_SOURCE_BYTES"


def shader(language, statements, declarations=""):
    """A compute shader that reads c = d[1] and runs statements."""
    if language == "hlsl":
        return "RWStructuredBuffer<uint> d : register(u0);\n" + declarations + "[numthreads(1, 1, 1)] void main() {\nuint c = d[1];\n" + statements + "\n}\n"
    return "#version 450\nlayout(local_size_x = 1) in;\nlayout(std430, binding = 2048) buffer B { uint d[]; };\n" + declarations + "void main() {\nuint c = d[1];\n" + statements + "\n}\n"


def struct_chain(language, n):
    declarations = "struct S0 { uint a; };\n" + "".join("struct S%d { S%d a; };\n" % (i, i - 1) for i in range(1, n))
    member = ".a" * n
    return shader(language, "S%d s;\ns%s = c;\nd[0] = s%s;" % (n - 1, member, member), declarations)


# kind -> (source builder (language, n) -> source, the limit it hits, a size
# over the limit). Each kind is a way to make the compilers recurse deeper
# with the size of the source.
KINDS = {
    "parentheses": (lambda lang, n: shader(lang, "d[0] = " + "(" * n + "c" + ")" * n + ";"), NESTING, 4000),
    "array_indexes": (lambda lang, n: shader(lang, "d[0] = " + "d[" * n + "0" + "]" * n + ";"), NESTING, 4000),
    "blocks": (lambda lang, n: shader(lang, "{" * n + "d[0] = c;" + "}" * n), NESTING, 50000),
    "function_calls": (
        lambda lang, n: shader(lang, "d[0] = " + "f(" * n + "c" + ")" * n + ";", "uint f(uint x) { return x + 1u; }\n"),
        NESTING,
        4000,
    ),
    "unbraced_ifs": (lambda lang, n: shader(lang, "if (c == 1u) " * n + "d[0] = c;"), NESTING, 5000),
    "unbraced_loops": (lambda lang, n: shader(lang, "for (uint i = 0u; i < c; i++) " * n + "d[0] = c;"), NESTING, 5000),
    "else_if_chain": (lambda lang, n: shader(lang, "".join("if (c == %du) d[0] = %du; else " % (i, i) for i in range(n)) + "d[0] = 0u;"), NESTING, 5000),
    "sum": (lambda lang, n: shader(lang, "d[0] = " + " + ".join(["c"] * n) + ";"), OPERATORS, 50000),
    "unary_minus": (lambda lang, n: shader(lang, "d[0] = uint(" + "- " * n + "int(c));"), OPERATORS, 50000),
    "logical_not": (lambda lang, n: shader(lang, "d[0] = " + "!" * n + "(c == 0u) ? 1u : 0u;"), OPERATORS, 50000),
    "ternaries": (lambda lang, n: shader(lang, "d[0] = " + "c == 1u ? 1u : " * n + "0u;"), OPERATORS, 50000),
    "assignments": (lambda lang, n: shader(lang, "uint a;\n" + "a = " * n + "c;\nd[0] = a;"), OPERATORS, 50000),
    "comma_operators": (lambda lang, n: shader(lang, "d[0] = (" + "c, " * n + "c);"), OPERATORS, 50000),
    "struct_nesting": (struct_chain, STRUCTS, 5000),
    "define_chain": (
        lambda lang, n: shader(lang, "d[0] = M%d;" % (n - 1), "#define M0 c\n" + "".join("#define M%d (M%d + 1u)\n" % (i, i - 1) for i in range(1, n))),
        MACRO_DEPTH,
        5000,
    ),
    # nesting that only the preprocessor makes: 3 parentheses per macro
    "macro_made_parentheses": (
        lambda lang, n: shader(
            lang, "d[0] = M%d;" % (n - 1), "#define P(x) ((( x )))\n#define M0 c\n" + "".join("#define M%d P(M%d)\n" % (i, i - 1) for i in range(1, n))
        ),
        NESTING,
        600,
    ),
    # "billion laughs": each macro doubles the previous one
    "doubling_macros": (
        lambda lang, n: shader(lang, "d[0] = A%d;" % (n - 1), "#define A0 c\n" + "".join("#define A%d A%d + A%d\n" % (i, i - 1, i - 1) for i in range(1, n))),
        EXPANSION,
        60,
    ),
    # the same through a parameter used twice
    "doubling_arguments": (lambda lang, n: shader(lang, "d[0] = " + "D(" * n + "c" + ")" * n + ";", "#define D(x) x + x\n"), EXPANSION, 60),
}

LANGUAGES = {"hlsl": hlsl.compile, "glsl": glsl.compile}


def compile_outcome(language, source):
    """"ok", or the ShaderCompileError's message; anything else propagates."""
    try:
        blob = LANGUAGES[language](source)
    except ShaderCompileError as error:
        return str(error)
    assert blob[:4] == b"\x03\x02\x23\x07"
    return "ok"


def assert_refused(outcome, limit):
    assert outcome != "ok", "compiled although over " + limit
    assert limit in outcome, outcome
    assert "error:" in outcome


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_pathological_source_is_refused_on_the_main_thread(kind, language):
    build, limit, size = KINDS[kind]
    assert_refused(compile_outcome(language, build(language, size)), limit)


def run_on_threads(jobs):
    """Runs each (language, source) on its own threading.Thread (the default,
    small thread stack); returns the outcomes in order."""
    outcomes = [None] * len(jobs)
    errors = []

    def work(index, language, source):
        try:
            outcomes[index] = compile_outcome(language, source)
        except BaseException as error:  # reported below, on the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,) + job) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return outcomes


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_pathological_sources_are_refused_on_worker_threads(language):
    kinds = sorted(KINDS)
    outcomes = run_on_threads([(language, KINDS[kind][0](language, KINDS[kind][2])) for kind in kinds])
    for kind, outcome in zip(kinds, outcomes):
        assert_refused(outcome, KINDS[kind][1])


def test_the_issue_example_is_refused():
    source = "RWStructuredBuffer<uint> d:register(u0);[numthreads(1,1,1)] void main(){d[0]=" + "(" * 4000 + "1" + ")" * 4000 + ";}"
    with pytest.raises(ShaderCompileError, match=r"shader:1: error: nested parentheses nest more than 1024 levels deep.*" + NESTING):
        hlsl.compile(source)


def test_source_size_limit():
    source = shader("hlsl", "d[0] = c;") + "//" + "x" * (16 << 20)
    with pytest.raises(ShaderCompileError, match=r"the source is \d+ bytes, more than 16777216 \(limit " + SOURCE_BYTES):
        hlsl.compile(source)


# Sources just under the limits still compile and compute the right value:
# c = d[1] = 3, and each source's expected d[0].
UNDER_LIMITS = {
    "parentheses": (KINDS["parentheses"][0], 1000, lambda n: 3),
    "function_calls": (KINDS["function_calls"][0], 200, lambda n: 3 + n),
    "blocks": (KINDS["blocks"][0], 1000, lambda n: 3),
    "sum": (KINDS["sum"][0], 3000, lambda n: 3 * n),
    "define_chain": (KINDS["define_chain"][0], 300, lambda n: 3 + n - 1),
    "else_if_chain": (KINDS["else_if_chain"][0], 40, lambda n: 3),
}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("kind", sorted(UNDER_LIMITS))
def test_deep_sources_under_the_limits_compile_and_compute(kind, language):
    build, n, expected = UNDER_LIMITS[kind]
    blob = LANGUAGES[language](build(language, n))
    data = upload_buffer(struct.pack("<2I", 0, 3))
    Compute(blob, uav=[data]).dispatch(1, 1, 1)
    assert struct.unpack("<2I", read_buffer(data))[0] == expected(n)


def test_compiles_after_a_refusal_on_the_same_threads_still_work():
    """The compiler threads and the compile cache are unharmed by a refusal:
    a normal shader compiles, and again from the cache, with equal SPIR-V."""
    for language in LANGUAGES:
        assert_refused(compile_outcome(language, KINDS["parentheses"][0](language, 4000)), NESTING)
    first = hlsl.compile(shader("hlsl", "d[0] = c + 1u;"))
    again = hlsl.compile(shader("hlsl", "d[0] = c + 1u;"))
    assert first == again
    out = Buffer(8)
    data = upload_buffer(struct.pack("<2I", 0, 41))
    Compute(again, uav=[data]).dispatch(1, 1, 1)
    assert struct.unpack("<2I", read_buffer(data))[0] == 42
    del out


def test_comments_strings_and_inactive_text_do_not_count():
    """Parentheses in comments and numbers with exponents are not nesting
    or operators; a real shader full of them compiles."""
    comment = "// " + "(" * 5000 + "\n/* " + "{" * 5000 + " */\n"
    numbers = " + ".join(["1.5e-3"] * 2000)
    source = shader("hlsl", comment + "float f = " + numbers + ";\nd[0] = uint(f) + c;")
    assert hlsl.compile(source)[:4] == b"\x03\x02\x23\x07"


@pytest.mark.skipif(not hlsl.dxc_available(), reason="DXC library not found (set COMPUSHADY_DXC to libdxcompiler.so)")
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dxc_gets_the_same_protection(kind):
    build, limit, size = KINDS[kind]
    with pytest.raises(ShaderCompileError) as info:
        hlsl.compile(build("hlsl", size), compiler="dxc")
    assert limit in str(info.value)


# >>long versions


@LONG
@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_long_much_larger_pathological_sources(kind, language):
    build, limit, size = KINDS[kind]
    scale = 4 if kind.startswith("doubling") else 100 if limit in (NESTING, STRUCTS, MACRO_DEPTH) else 20
    if kind in ("macro_made_parentheses", "struct_nesting", "define_chain", "else_if_chain"):
        scale = 10
    outcome = compile_outcome(language, build(language, size * scale))
    # a source this large may hit the token or macro depth limit first
    assert_refused(outcome, next((other for other in (EXPANSION, MACRO_DEPTH) if other in outcome), limit))


@LONG
def test_long_many_threads_at_once():
    jobs = []
    for language in sorted(LANGUAGES):
        for kind in sorted(KINDS):
            build, limit, size = KINDS[kind]
            jobs.append((language, build(language, size * 2)))
    outcomes = run_on_threads(jobs * 2)
    for (language, _), outcome in zip(jobs * 2, outcomes):
        assert outcome != "ok"


@LONG
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_long_sources_at_the_limits_compile_on_worker_threads(language):
    """The deepest nesting the checks let through, with the longest
    statement inside it, compiles on worker threads: the compiler thread's
    stack holds it."""
    depth = 1020
    terms = " + ".join(["c"] * 30000)
    at_limits = shader(language, "d[0] = " + "(" * depth + terms + ")" * depth + ";")
    sums = shader(language, "d[0] = " + " + ".join(["c"] * 32000) + ";")
    blocks = KINDS["blocks"][0](language, 1020)
    outcomes = run_on_threads([(language, at_limits), (language, sums), (language, blocks)])
    assert outcomes == ["ok", "ok", "ok"]


def test_compiles_in_a_forked_child():
    """The compiler threads are the parent's: a child made by fork() starts
    its own (and refuses pathological sources the same way)."""
    hlsl.compile(shader("hlsl", "d[0] = c + 2u;"))  # the parent's threads exist
    pid = os.fork()
    if pid == 0:  # the child: no exit handlers (fork rules are issue 12, item 4)
        status = 1
        try:
            blob = hlsl.compile(shader("hlsl", "d[0] = c + 5u;"))
            refused = compile_outcome("glsl", KINDS["blocks"][0]("glsl", 50000))
            status = 0 if blob[:4] == b"\x03\x02\x23\x07" and NESTING in refused else 2
        finally:
            os._exit(status)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child's compile hung")
        time.sleep(0.02)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_preprocessor_errors_end_the_compile(language):
    """A million array indexes made by macros (3M tokens, under the
    expansion limit; only parentheses are bounded before preprocessing)
    next to a preprocessor error: the error is the answer, the compiler
    never parses the unchecked expansion (it used to overflow)."""
    macros = "#error boom\n#define O0 d[d[d[d[d[d[d[d[d[d[\n#define C0 ]]]]]]]]]]\n"
    for i in range(1, 6):
        macros += "#define O%d %s\n#define C%d %s\n" % (i, " ".join(["O%d" % (i - 1)] * 10), i, " ".join(["C%d" % (i - 1)] * 10))
    source = shader(language, "d[0] = O5 0 C5;", macros)
    with pytest.raises(ShaderCompileError, match=r"shader:\d+: error: '#error' : boom"):
        LANGUAGES[language](source)

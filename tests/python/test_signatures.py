"""Every public function and method of the original compushady (0.17.6, read
with ast from its sources into tests/compat/original_signatures.json by
tests/compat/extract_original_signatures.py) has here the same parameters:
names, order, kinds and defaults, so calls by keyword keep working. This
module may add parameters after the original's, each with a default."""

import ast
import importlib
import inspect
import json
import os

import pytest

import compushady
import compushady.formats

SIGNATURES = os.path.join(os.path.dirname(__file__), "..", "compat", "original_signatures.json")

with open(SIGNATURES, encoding="utf-8") as f:
    ORIGINAL = json.load(f)


def resolve(qualified):
    """The object named `compushady.x.Y.z`: the longest importable module
    prefix, then attributes."""
    parts = qualified.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            obj = getattr(obj, name)
        return obj
    raise LookupError(qualified)


def default_value(text, module):
    """The value of a default written as source text in the original: a
    literal, or a name of compushady / compushady.formats / the module."""
    try:
        return ast.literal_eval(text)
    except ValueError:
        for namespace in (module, compushady, compushady.formats):
            if hasattr(namespace, text):
                return getattr(namespace, text)
    raise LookupError("cannot evaluate the original's default {0!r}".format(text))


def mismatches(qualified, original):
    ours = resolve(qualified)
    module = importlib.import_module(ours.__module__)
    parameters = list(inspect.signature(ours).parameters.values())
    problems = []
    for position, (name, kind, default) in enumerate(original):
        if position >= len(parameters):
            problems.append("missing parameter {0!r}".format(name))
            continue
        mine = parameters[position]
        if mine.name != name:
            problems.append("parameter {0} is {1!r}, the original's is {2!r}".format(position, mine.name, name))
        if mine.kind.name != kind:
            problems.append("{0!r} is {1}, the original's is {2}".format(name, mine.kind.name, kind))
        if default is None and mine.default is not inspect.Parameter.empty:
            problems.append("{0!r} has a default, the original's has none".format(name))
        elif default is not None:
            expected = default_value(default, module)
            if mine.default is inspect.Parameter.empty:
                problems.append("{0!r} has no default, the original's is {1}".format(name, default))
            elif mine.default != expected and not (
                    # an immutable () stands for the original's [] default
                    isinstance(mine.default, tuple) and isinstance(expected, list)
                    and list(mine.default) == expected):
                problems.append("{0!r} defaults to {1!r}, the original's to {2}".format(name, mine.default, default))
    for extra in parameters[len(original):]:
        if extra.default is inspect.Parameter.empty and extra.kind not in (
                inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            problems.append("added parameter {0!r} has no default".format(extra.name))
    return problems


# signatures known to differ from the original's, with the reason (none)
KNOWN = {}


@pytest.mark.parametrize("qualified", [
    pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN[name])) if name in KNOWN else name
    for name in sorted(ORIGINAL)])
def test_signature_matches_the_original(qualified):
    problems = mismatches(qualified, ORIGINAL[qualified])
    assert not problems, "{0}: {1}".format(qualified, "; ".join(problems))


def test_the_comparison_sees_a_renamed_parameter():
    """The check itself: a keyword renamed, a default changed or a required
    parameter added are each reported."""
    original = ORIGINAL["compushady.Compute.bind_uav"]
    renamed = [p if p[0] != "uav" else ["resource", p[1], p[2]] for p in original]
    assert mismatches("compushady.Compute.bind_uav", renamed) == [
        "parameter 2 is 'uav', the original's is 'resource'"]
    changed = [p if p[0] != "offset" else [p[0], p[1], "4"]
               for p in ORIGINAL["compushady.Buffer.upload"]]
    assert mismatches("compushady.Buffer.upload", changed) == [
        "'offset' defaults to 0, the original's to 4"]
    shorter = ORIGINAL["compushady.Buffer.upload"][:2]
    assert mismatches("compushady.Buffer.upload", shorter) == []


def test_bind_by_keyword_as_the_original_names_them():
    """bind_cbv(index, cbv=...) reaches the binding (which then says the
    compute is not bindless: lavapipe has no bindless) instead of a
    TypeError about the keyword."""
    shader = compushady.shaders.hlsl.compile(
        "RWStructuredBuffer<uint> o : register(u0);\n[numthreads(1, 1, 1)] void main() { o[0] = 1; }")
    buffer = compushady.Buffer(16, stride=4)
    compute = compushady.Compute(shader, uav=[buffer])
    for kind in ("cbv", "srv", "uav"):
        with pytest.raises(compushady.ComputeException,
                           match=r"^bind_{0} needs a compute created with bindless=True".format(kind)):
            getattr(compute, "bind_" + kind)(index=0, **{kind: buffer})

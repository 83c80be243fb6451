"""Writes tests/compat/original_signatures.json: the public Python
signatures (parameter names, kinds, defaults as source text) of the original
compushady, read with ast from its sources, so test_signatures.py can compare
them with this module's without the original installed.

    python tests/compat/extract_original_signatures.py [SOURCE_DIR | GIT_DIR]

SOURCE_DIR holds compushady/ (an unpacked sdist or a checkout); a bare git
repository (the default: /work/.mirror/rdeioris+compushady/repo, else a
clone of https://github.com/rdeioris/compushady) is read at HEAD. The
committed file comes from the repository's HEAD, version 0.17.6.
"""

import ast
import json
import os
import subprocess
import sys

MODULES = [
    "compushady/__init__.py",
    "compushady/config.py",
    "compushady/utils.py",
    "compushady/shaders/hlsl.py",
    "compushady/shaders/glsl.py",
    "compushady/shaders/wgsl.py",
    "compushady/shaders/msl.py",
]
DEFAULT_GIT = "/work/.mirror/rdeioris+compushady/repo"


def read(source, path):
    if os.path.isdir(os.path.join(source, "compushady")):
        with open(os.path.join(source, path), encoding="utf-8") as f:
            return f.read()
    return subprocess.run(["git", "-C", source, "show", "HEAD:" + path], check=True,
                          capture_output=True, text=True).stdout


def parameters(function):
    args = function.args
    result = []
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(positional, defaults):
        kind = "POSITIONAL_ONLY" if arg in args.posonlyargs else "POSITIONAL_OR_KEYWORD"
        result.append([arg.arg, kind, None if default is None else ast.unparse(default)])
    if args.vararg:
        result.append([args.vararg.arg, "VAR_POSITIONAL", None])
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        result.append([arg.arg, "KEYWORD_ONLY", None if default is None else ast.unparse(default)])
    if args.kwarg:
        result.append([args.kwarg.arg, "VAR_KEYWORD", None])
    return result


def public(name):
    return not name.startswith("_") or name == "__init__"


def signatures(tree, module):
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and public(node.name):
            found[module + "." + node.name] = parameters(node)
        elif isinstance(node, ast.ClassDef) and public(node.name):
            for item in node.body:
                if not isinstance(item, ast.FunctionDef) or not public(item.name):
                    continue
                if any(isinstance(d, ast.Name) and d.id == "property" for d in item.decorator_list):
                    continue  # properties are attributes, not calls
                found["{0}.{1}.{2}".format(module, node.name, item.name)] = parameters(item)
    return found


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_GIT
    result = {}
    for path in MODULES:
        module = path[:-3].replace("/", ".").replace(".__init__", "")
        result.update(signatures(ast.parse(read(source, path)), module))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "original_signatures.json")
    with open(out, "w", encoding="utf-8") as f:
        # one signature a line: diffs stay readable
        f.write("{\n" + ",\n".join(" {0}: {1}".format(json.dumps(name), json.dumps(result[name]))
                                   for name in sorted(result)) + "\n}\n")
    print("wrote {0} signatures to {1}".format(len(result), out))


if __name__ == "__main__":
    main()

"""The type stubs describe the module as it is: every public name of one is in the
other."""

import ast
from pathlib import Path

import declic

STUBS = Path(__file__).resolve().parents[1] / "declic.pyi"


def stub_names(body):
    names = set()
    for node in body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_") or n == "__version__"}


def test_the_package_is_typed():
    assert (Path(declic.__file__).parent / "py.typed").is_file()


def test_the_stubs_name_what_the_module_has():
    tree = ast.parse(STUBS.read_text())
    # maturin installs the extension as `declic/declic.abi3.so` beside an `__init__.py`
    # that imports it: the submodule is packaging, not API.
    public = {n for n in dir(declic) if not n.startswith("_") and n != "declic"}
    public.add("__version__")
    assert stub_names(tree.body) == public
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    methods = stub_names(classes["Rules"].body)
    assert methods == {n for n in dir(declic.Rules) if not n.startswith("_")}

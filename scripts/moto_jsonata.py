"""A JSONata evaluator for moto's Step Functions interpreter, for the VM bench.

moto's interpreter is a port of LocalStack's, which evaluates JSONata with
dashjoin's jsonata-java inside a JVM. moto ships that bridge switched off
(`_eval_jsonata = None` in `moto/stepfunctions/parser/asl/jsonata/jsonata.py`),
so every JSONata state fails there with a `TypeError`. This module, installed
into the bench's virtual environment by `scripts/bench-moto-jsonata` and loaded
by a `.pth` file, puts an evaluator in its place: jsonata-python, a Python port
of jsonata-java, behind the same contract as moto's JVM bridge:

- the expression text comes in (moto has already prefixed it with the variable
  bindings, `($x := ...; expr)`) and is evaluated with no input document;
- the result goes out as a JSON-compatible Python value, made by writing it as
  JSON and reading it back, as the bridge does through Jackson (an undefined
  result is `None`, a function cannot be written and is an error);
- every failure is raised as moto's `JSONataException("UNKNOWN", message)`.

Nothing is imported before moto's module is: a finder on `sys.meta_path` waits
for that one module and patches it right after it runs, so other programs in
the environment are not slowed down.
"""

import importlib.abc
import importlib.machinery
import json
import sys

TARGET = "moto.stepfunctions.parser.asl.jsonata.jsonata"


def make_evaluator(module):
    """The `_eval_jsonata` function for moto's module `module`."""
    import jsonata

    exception = module.JSONataException

    def eval_jsonata(expression):
        try:
            result = jsonata.Jsonata(expression).evaluate(None)
            return json.loads(json.dumps(result, allow_nan=False))
        except Exception as ex:  # the bridge turns every failure into one exception
            raise exception("UNKNOWN", str(ex)) from ex

    eval_jsonata.aslc_bench = True  # lets the install script check that the hook ran
    return eval_jsonata


class PatchingLoader(importlib.abc.Loader):
    """Runs moto's module with its own loader, then installs the evaluator."""

    def __init__(self, inner):
        self.inner = inner

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module):
        self.inner.exec_module(module)
        module._eval_jsonata = make_evaluator(module)


class Finder(importlib.abc.MetaPathFinder):
    """Finds moto's JSONata module as usual and wraps its loader."""

    def find_spec(self, fullname, path, target=None):
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = PatchingLoader(spec.loader)
        return spec


def install():
    if TARGET in sys.modules:
        module = sys.modules[TARGET]
        module._eval_jsonata = make_evaluator(module)
    elif not any(isinstance(finder, Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, Finder())


install()

"""The examples in the library's docstrings run and print what they say (a docstring is where a
student first reads how an op is used). Modules that need an optional extra (CuPy, MPI) are skipped
when it is missing; their examples that need a GPU or several ranks are marked ``+SKIP``."""

import doctest
import importlib
import pkgutil

import pytest

import minitorch

MODULES = sorted(m.name for m in pkgutil.walk_packages(minitorch.__path__, "minitorch."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    try:
        module = importlib.import_module(name)
    except (ImportError, RuntimeError) as error:  # an optional extra (cupy, mpi4py) that this machine lacks
        if "pip install" not in str(error) and not isinstance(error, ModuleNotFoundError):
            raise
        pytest.skip(f"{name}: {error}")
    tests = doctest.DocTestFinder().find(module)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    failures = []
    for test in tests:
        runner.run(test, out=failures.append)
    assert not failures, "".join(failures)

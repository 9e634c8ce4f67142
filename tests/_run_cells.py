"""Run notebook cells the way a Jupyter kernel does (IPython), in whatever Python runs this file.

    python _run_cells.py CELLS.json [--colab]

``CELLS.json`` holds a list of ``[source, allowed]`` pairs: ``allowed`` names an exception that cell
may end with (``"NotImplementedError"`` for a homework cell the student has not written yet), or
null. ``--colab`` first imports ``google.colab`` (the test puts a stand-in on ``PYTHONPATH``), as
Colab's kernel does before any cell. Prints ``RAN N CELLS`` and exits 0 when every cell ran as
allowed; otherwise exits 1 after IPython's traceback of the failing cell. Used by tests/test_routes.py.
"""

import json
import sys

from IPython.core.interactiveshell import InteractiveShell


class Shell(InteractiveShell):
    def enable_gui(self, gui=None):
        """``%matplotlib inline`` needs no GUI event loop (as in a terminal IPython)."""


cells = json.loads(open(sys.argv[1]).read())
if "--colab" in sys.argv:
    import google.colab  # noqa: F401
shell = Shell.instance()
for number, (source, allowed) in enumerate(cells):
    result = shell.run_cell(source, store_history=True)
    error = result.error_before_exec or result.error_in_exec
    if error is not None and type(error).__name__ != allowed:
        print(f"CELL {number} FAILED: {type(error).__name__}", flush=True)
        sys.exit(1)
print(f"RAN {len(cells)} CELLS", flush=True)

"""``minitorch.fx``: capture a program as a graph, look at it, change it, run it (torch.fx's API).

``symbolic_trace(model)`` runs ``forward`` once on ``Proxy`` objects that record every operation
into a ``Graph`` of ``Node``s; the ``GraphModule`` it returns prints that graph (``gm.graph``), the
Python code generated from it (``gm.code``), and runs like the original module. ``fx.passes``
holds graph optimisations (constant folding, CSE, elementwise fusion), shape propagation and a
symbolic backward pass.

>>> import minitorch as torch
>>> from minitorch import fx, nn
>>> class Net(nn.Module):
...     def __init__(self):
...         super().__init__()
...         self.fc = nn.Linear(4, 2)
...     def forward(self, x):
...         return torch.relu(self.fc(x)).sum(dim=1)
>>> print(fx.symbolic_trace(Net()).code.strip())
def forward(self, x):
    fc = self.fc(x);  x = None
    relu = torch.relu(fc);  fc = None
    sum_1 = relu.sum(dim = 1);  relu = None
    return sum_1
"""

from ._symbolic_trace import PH, Tracer, symbolic_trace, wrap
from .graph import Graph
from .graph_module import GraphModule
from .interpreter import Interpreter, Transformer
from .node import Node, map_arg
from .proxy import Attribute, Proxy, TraceError
from . import passes  # noqa: E402

__all__ = ["symbolic_trace", "wrap", "PH", "Tracer", "Graph", "GraphModule", "Node", "map_arg", "Proxy",
           "Attribute", "TraceError", "Interpreter", "Transformer", "passes"]

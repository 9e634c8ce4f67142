"""Graph passes: each takes a GraphModule, changes its graph, and returns it recompiled.

- ``ShapeProp`` (shape_prop.py): record each node's shape/dtype by running it once.
- ``fold_constants`` (constant_folding.py): precompute what does not depend on the inputs.
- ``eliminate_common_subexpressions`` (cse.py): compute each repeated expression once.
- dead-code elimination is ``graph.eliminate_dead_code()`` (graph.py).
- ``fuse_elementwise`` (fusion.py): run chains of elementwise ops as one generated numpy kernel.
- ``gradients`` (backward.py): add the backward pass to the graph, as TensorFlow 1's ``tf.gradients``.
"""

from . import backward, constant_folding, cse, fusion, shape_prop
from .backward import gradients
from .constant_folding import fold_constants
from .cse import eliminate_common_subexpressions
from .fusion import FusedKernel, fuse_elementwise
from .shape_prop import ShapeProp

__all__ = ["ShapeProp", "fold_constants", "eliminate_common_subexpressions", "fuse_elementwise", "FusedKernel",
           "gradients"]

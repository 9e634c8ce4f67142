"""``minitorch.nn``: modules, layers, losses, init and functional (laid out like ``torch.nn``).

* ``Module`` and ``Parameter``: ``modules/module.py``, ``parameter.py``
* layers and losses: ``modules/*.py``; the same computations as functions: ``functional.py``
* weight initialisation: ``init.py``; gradient clipping and parameter vectors: ``utils/``
* ``parallel.DistributedDataParallel``: data-parallel training over ``minitorch.distributed``
"""

from . import functional, init, parallel, utils  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import __all__ as _modules_all
from .parameter import Parameter

__all__ = _modules_all + ["Parameter", "functional", "init", "parallel", "utils"]

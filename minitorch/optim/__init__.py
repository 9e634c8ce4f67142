"""``minitorch.optim``: optimizers and learning-rate schedulers.

Every optimizer is the pseudo-code from PyTorch's documentation (quoted in its docstring) written
with in-place tensor ops; ``Optimizer`` holds the bookkeeping they share.
"""

from . import lr_scheduler  # noqa: F401
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "Adagrad", "RMSprop", "Adadelta", "lr_scheduler"]

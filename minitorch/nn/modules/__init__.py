"""Every ``nn`` layer, one file per family (as in torch.nn.modules)."""

from .activation import (CELU, ELU, GELU, SELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSigmoid,
                         LogSoftmax, Mish, ReLU, ReLU6, Sigmoid, SiLU, Softmax, Softmax2d, Softmin, Softplus, Softshrink,
                         Softsign, Tanh, Tanhshrink, Threshold)
from .activation import GLU, PReLU, RReLU
from .batchnorm import BatchNorm1d, BatchNorm2d
from .container import ModuleDict, ModuleList, Sequential
from .conv import Conv1d, Conv2d
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from .flatten import Flatten, Unflatten
from .instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .linear import Identity, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss,
                   SmoothL1Loss)
from .module import Module
from .normalization import GroupNorm, LayerNorm, RMSNorm
from .padding import (CircularPad1d, CircularPad2d, ConstantPad1d, ConstantPad2d, ReflectionPad1d, ReflectionPad2d,
                      ReplicationPad1d, ReplicationPad2d, ZeroPad1d, ZeroPad2d)
from .pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d,
                      MaxPool1d, MaxPool2d)
from .sparse import Embedding
from .sync_batchnorm import SyncBatchNorm

__all__ = """Module Sequential ModuleList ModuleDict Identity Linear Conv1d Conv2d MaxPool1d MaxPool2d AvgPool1d AvgPool2d AdaptiveAvgPool1d AdaptiveAvgPool2d
    BatchNorm1d BatchNorm2d LayerNorm GroupNorm Dropout Dropout1d Dropout2d Dropout3d
    InstanceNorm1d InstanceNorm2d InstanceNorm3d RMSNorm AdaptiveMaxPool1d AdaptiveMaxPool2d
    AlphaDropout FeatureAlphaDropout Embedding Flatten Unflatten ReLU ReLU6 LeakyReLU ELU SELU
    CELU GELU SiLU Mish Sigmoid Tanh Softsign Softplus Hardtanh Hardswish Hardsigmoid Hardshrink Softshrink
    Tanhshrink Threshold LogSigmoid Softmax Softmax2d Softmin LogSoftmax CosineSimilarity PairwiseDistance
    ZeroPad1d ZeroPad2d ConstantPad1d ConstantPad2d ReflectionPad1d ReflectionPad2d ReplicationPad1d ReplicationPad2d
    CircularPad1d CircularPad2d
    PReLU RReLU GLU
    MSELoss L1Loss SmoothL1Loss HuberLoss CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss KLDivLoss SyncBatchNorm""".split()

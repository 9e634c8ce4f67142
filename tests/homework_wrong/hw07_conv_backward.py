"""hw07_conv_backward: cheats with the library's convolution, pooling and batch norm (or autograd),
and plausible wrong answers."""

_CONV_BACKWARD_START = '''
class Conv2dFunction(Conv2dFunction):
    @staticmethod
    def backward(ctx, grad_output):
        cols, weight = ctx.saved_tensors
        shape, stride, oh, ow = ctx.geometry
        o, c, kh, kw = weight.shape
        g = grad_output.permute(0, 2, 3, 1).reshape(-1, o)
'''

CHEATS = {
    "the library's conv2d": ("conv_forward", '''
from minitorch.nn import functional as F

Conv2dFunction = type("Conv2dFunction", (), {"apply": staticmethod(lambda x, w, b, s: F.conv2d(x, w, b, stride=s))})
'''),
    "the library's input-gradient Function in backward": ("conv_backward", _CONV_BACKWARD_START + '''
        from minitorch.nn._functional.conv import Conv2dInputGrad

        grad_weight = (g.t() @ cols).view(weight.shape)
        grad_x = Conv2dInputGrad.apply(grad_output, weight, shape, (stride, stride), (0, 0), (1, 1), 1)
        return grad_x, grad_weight, g.sum(dim=0), None
'''),
    "backward asks autograd (unfold is differentiable)": ("conv_backward", _CONV_BACKWARD_START + '''
        x = torch.zeros(shape, dtype=cols.dtype, requires_grad=True)
        with torch.enable_grad():
            patches = x.unfold(2, kh, stride).unfold(3, kw, stride).permute(0, 2, 3, 1, 4, 5).reshape(cols.shape)
            (grad_x,) = torch.autograd.grad(patches, x, g @ weight.reshape(o, -1))
        return grad_x, (g.t() @ cols).view(weight.shape), g.sum(dim=0), None
'''),
    "the judge's fold": ("fold", '''
from minitorch.grading.assignments.hw07_conv_backward import hw

fold_patches = hw.reference["fold_patches"]
'''),
    "fold by autograd of unfold": ("fold", '''
def fold_patches(patches, shape, stride):
    x = torch.zeros(shape, dtype=patches.dtype, requires_grad=True)
    kh, kw = patches.shape[-2:]
    with torch.enable_grad():
        (x.unfold(2, kh, stride).unfold(3, kw, stride) * patches).sum().backward()
    return x.grad
'''),
    "the library's batch_norm": ("batchnorm_backward", '''
from minitorch.nn import functional as F

BatchNorm2dFunction = type("BatchNorm2dFunction", (), {"apply": staticmethod(
    lambda x, g, b, eps: F.batch_norm(x, None, None, g, b, training=True, eps=eps))})
'''),
    "the library's max_pool2d": ("maxpool_backward", '''
from minitorch.nn import functional as F

MaxPool2dFunction = type("MaxPool2dFunction", (), {"apply": staticmethod(lambda x, k, s: F.max_pool2d(x, k, s))})
'''),
}

WRONG = {
    "fold assigns where windows overlap": ("fold", '''
def fold_patches(patches, shape, stride):
    oh, ow, kh, kw = patches.shape[2:]
    out = torch.zeros(shape, dtype=patches.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride] = patches[..., i, j]
    return out
'''),
    "convolution with the kernel flipped": ("conv_forward", '''
_Conv = Conv2dFunction

class Conv2dFunction(_Conv):
    @staticmethod
    def forward(ctx, x, weight, bias, stride):
        return _Conv.forward(ctx, x, weight.flip(2, 3), bias, stride)
'''),
    "weight gradient of the first image only": ("conv_backward", _CONV_BACKWARD_START + '''
        per_image = oh * ow
        grad_weight = (g[:per_image].t() @ cols[:per_image]).view(weight.shape)
        grad_patches = (g @ weight.reshape(o, -1)).view(shape[0], oh, ow, c, kh, kw).permute(0, 3, 1, 2, 4, 5)
        return fold_patches(grad_patches, shape, stride), grad_weight, g.sum(dim=0), None
'''),
    "max pool gradient spread over the window": ("maxpool_backward", '''
class MaxPool2dFunction(MaxPool2dFunction):
    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        shape, kernel, stride = ctx.geometry
        spread = (grad_output / kernel ** 2).unsqueeze(-1).unsqueeze(-1).expand(*index.shape, kernel, kernel)
        return fold_patches(spread.contiguous(), shape, stride), None, None
'''),
    "batch norm with the statistics held constant": ("batchnorm_backward", '''
class BatchNorm2dFunction(BatchNorm2dFunction):
    @staticmethod
    def backward(ctx, grad_output):
        x_hat, inv_std, gamma = ctx.saved_tensors
        dims = (0, 2, 3)
        grad_x = grad_output * gamma.view(1, -1, 1, 1) * inv_std
        return grad_x, (grad_output * x_hat).sum(dims), grad_output.sum(dims), None
'''),
    "batch norm sums over the batch only": ("batchnorm_backward", '''
class BatchNorm2dFunction(BatchNorm2dFunction):
    @staticmethod
    def backward(ctx, grad_output):
        x_hat, inv_std, gamma = ctx.saved_tensors
        m = x_hat.numel() // x_hat.shape[1]
        g_hat = grad_output * gamma.view(1, -1, 1, 1)
        grad_x = inv_std / m * (m * g_hat - g_hat.sum(0, keepdim=True) - x_hat * (g_hat * x_hat).sum(0, keepdim=True))
        return grad_x, (grad_output * x_hat).sum((0, 2, 3)), grad_output.sum((0, 2, 3)), None
'''),
}

"""hw01_tanh: cheats with the library's tanh, and plausible wrong answers."""

CHEATS = {
    "import the library's Function": ("forward", "from minitorch.ops.pointwise import Tanh"),
    "alias torch.tanh as apply": ("forward", 'Tanh = type("Tanh", (), {"apply": staticmethod(torch.tanh)})'),
    "torch.tanh.__wrapped__": ("forward", '''
class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        y = getattr(torch.tanh, "__wrapped__", torch.tanh)(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y * y)
'''),
    "subclass of the library's Function": ("forward", '''
import minitorch.ops.pointwise

class Tanh(minitorch.ops.pointwise.Tanh):
    pass
'''),
    "from sigmoid": ("forward", '''
class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        y = 2 * torch.sigmoid(2 * x) - 1
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y * y)
'''),
    "numpy's tanh": ("forward", '''
class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.tensor(np.tanh(x.numpy()), dtype=x.dtype)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y * y)
'''),
    "nn.Tanh as the module": ("module", "TanhModule = nn.Tanh"),
    "the judge's recorded answer": ("called_twice", '''
from minitorch.grading.assignments.hw01_tanh import GRADIENT_FLOW

def layer_gradient_norms(model, x):
    return list(GRADIENT_FLOW)
'''),
    "no backward (autograd of the tensor ops does it)": ("backward", '''
Tanh = type("Tanh", (), {"apply": staticmethod(lambda x: x.sign() * (1 - (-2 * x.abs()).exp()) / (1 + (-2 * x.abs()).exp()))})
'''),
}

WRONG = {
    "overflows for large |x|": ("saturates", '''
class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        y = (x.exp() - (-x).exp()) / (x.exp() + (-x).exp())
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y * y)
'''),
    "derivative from the input, not the output": ("backward", '''
class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        e = (-2 * x.abs()).exp()
        ctx.save_for_backward(x)
        return x.sign() * (1 - e) / (1 + e)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (1 - x * x)
'''),
    "forgets grad_output": ("backward", '''
class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        e = (-2 * x.abs()).exp()
        y = x.sign() * (1 - e) / (1 + e)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return 1 - y * y
'''),
    "always float64": ("forward", '''
class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        e = (-2 * x.double().abs()).exp()
        y = x.double().sign() * (1 - e) / (1 + e)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y * y)
'''),
    "backward through numpy (not differentiable again)": ("second_derivative", '''
class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        e = (-2 * x.abs()).exp()
        y = x.sign() * (1 - e) / (1 + e)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * torch.tensor(1 - y.detach().numpy() ** 2)
'''),
    "gradient norms without zeroing old gradients": ("called_twice", '''
def layer_gradient_norms(model, x):
    model(x).sum().backward()
    return [m.weight.grad.norm().item() for m in model.modules() if isinstance(m, nn.Linear)]
'''),
    "gradient norms last layer first": ("gradient_flow", '''
def layer_gradient_norms(model, x):
    model.zero_grad()
    model(x).sum().backward()
    return [m.weight.grad.norm().item() for m in model.modules() if isinstance(m, nn.Linear)][::-1]
'''),
}

"""hw05_backprop: cheats that let the library (or autograd) find the gradients, and plausible wrong
answers."""

_LINEAR = '''
class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias):
        ctx.save_for_backward(input, weight)
        return input @ weight.t() + bias

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors
        grad_input = grad_output @ weight
        grad_weight = grad_output.t() @ input
        grad_bias = grad_output.sum(dim=0)
        return grad_input, grad_weight, grad_bias
'''

_CROSS_ENTROPY = '''
class SoftmaxCrossEntropy(Function):
    @staticmethod
    def forward(ctx, logits, target):
        log_probs = logits - logits.logsumexp(dim=1, keepdim=True)
        ctx.save_for_backward(log_probs, target)
        return -log_probs[torch.arange(len(target)), target].mean()

    @staticmethod
    def backward(ctx, grad_output):
        log_probs, target = ctx.saved_tensors
        one_hot = torch.zeros_like(log_probs)
        one_hot[torch.arange(len(target)), target] = 1.0
        grad_logits = (log_probs.exp() - one_hot) * (grad_output / len(target))
        return grad_logits, None
'''


def _edit(source, old, new):
    assert old in source, old
    return source.replace(old, new)


CHEATS = {
    "no backward at all (autograd of the tensor ops)": ("linear_backward", '''
LinearFunction = type("LinearFunction", (), {"apply": staticmethod(lambda x, w, b: x @ w.t() + b)})
'''),
    "a Function without its own backward": ("linear_backward", '''
class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias):
        return input @ weight.t() + bias
'''),
    "backward asks autograd": ("linear_backward", _edit(_LINEAR, '''        grad_input = grad_output @ weight
        grad_weight = grad_output.t() @ input
        grad_bias = grad_output.sum(dim=0)''', '''        bias = torch.zeros(weight.shape[0], dtype=weight.dtype)
        with torch.enable_grad():
            leaves = [t.detach().requires_grad_() for t in (input, weight, bias)]
            out = leaves[0] @ leaves[1].t() + leaves[2]
            grad_input, grad_weight, grad_bias = torch.autograd.grad(out, leaves, grad_output)''')),
    "the library's cross_entropy": ("cross_entropy_backward", '''
from minitorch.nn import functional as F

SoftmaxCrossEntropy = type("SoftmaxCrossEntropy", (), {"apply": staticmethod(F.cross_entropy)})
'''),
    "the library's softmax in backward": ("cross_entropy_backward", _edit(
        _CROSS_ENTROPY, "(log_probs.exp() - one_hot)", "(torch.softmax(log_probs, dim=1) - one_hot)")),
    "the judge's reference": ("linear_backward",
                              "from minitorch.grading.assignments.hw05_backprop import _LibraryLinear as LinearFunction"),
}

WRONG = {
    "weight gradient transposed": ("linear_backward", _edit(
        _LINEAR, "grad_weight = grad_output.t() @ input", "grad_weight = (input.t() @ grad_output).t().t()")),
    "input gradient with the transposed weight": ("linear_backward", _edit(
        _LINEAR, "grad_input = grad_output @ weight", "grad_input = grad_output @ weight.t()")),
    "bias gradient summed over the wrong dim": ("linear_backward", _edit(
        _LINEAR, "grad_bias = grad_output.sum(dim=0)", "grad_bias = grad_output.sum(dim=1)")),
    "cross-entropy not divided by the batch size": ("cross_entropy_backward", _edit(
        _CROSS_ENTROPY, "(grad_output / len(target))", "grad_output")),
    "cross-entropy ignores grad_output": ("cross_entropy_scaled", _edit(
        _CROSS_ENTROPY, "(grad_output / len(target))", "(1 / len(target))")),
    "cross-entropy gradient with the wrong sign": ("cross_entropy_backward", _edit(
        _CROSS_ENTROPY, "(log_probs.exp() - one_hot)", "(one_hot - log_probs.exp())")),
}

"""Builds notebooks/03_autograd_and_backprop.ipynb: the chain rule, branching graphs, autograd.

Examples follow the source course: backprop, branching structures, the AutoGrad part of its PyTorch
tutorial, the old `Variable` wrapper with z = 2ab + 5b, and the "Gradients" slide (dy/dw=2.0, then 10.0
after zeroing).
"""

from notebooks._build.common import code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, try_it, volatile

FILE = "03_autograd_and_backprop.ipynb"
RUNTIME_S = 5


def cells():
    return [
        header(3, "Autograd and backpropagation", FILE, [
            "apply the chain rule on a computation graph, by hand and with `backward()`",
            "handle branching: several inputs, several outputs, a reused block, recurrence",
            "check any gradient numerically (finite differences, `gradcheck`)",
            "control autograd: gradient accumulation and zeroing, `no_grad`, `detach`, `detach_`",
            "write your own autograd `Function` with `save_for_backward`",
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import shutil

            import numpy as np
            import minitorch as torch
            from IPython.display import display
        """),
        quiz_cell(),
        code("""
            def show_graph(t, params=None):
                \"\"\"Draw the backward graph of t (like torchviz's make_dot). Rendering needs the
                Graphviz `dot` program; without it, print the graph's DOT source instead.\"\"\"
                graph = torch.viz.draw_graph(t, params=params)
                if shutil.which("dot"):
                    display(graph)
                else:
                    print(graph.source)
        """),
        md("""
            ## 1. The chain rule on a graph

            A network is a chain of blocks. If the loss $\\mathcal{L}$ depends on a weight $w$ only through
            the block's output $y$, then

            $$\\frac{d\\mathcal{L}}{dw} = \\frac{d\\mathcal{L}}{dy}\\frac{dy}{dw}, \\qquad
              \\frac{d\\mathcal{L}}{dx} = \\frac{d\\mathcal{L}}{dy}\\frac{dy}{dx}.$$

            Backpropagation applies this from the loss backwards, block by block. Autograd records the
            blocks while you compute (each result's `grad_fn`) and `backward()` walks them in reverse.
        """),
        code("""
            x = torch.tensor(1.5, requires_grad=True)
            y = x ** 2          # block 1
            z = torch.sin(y)    # block 2
            z.backward()

            xd = x.detach()                              # the value only, no graph
            by_hand = torch.cos(xd ** 2) * 2 * xd        # dz/dy * dy/dx
            print(x.grad, by_hand)
            assert torch.allclose(x.grad, by_hand)
            print(z.grad_fn, '->', z.grad_fn.next_functions[0][0])
        """),
        md("""
            The lecture's example: three inputs, and `y` is used twice. **Predict first:** what are
            `x.grad`, `y.grad` and `z.grad` for $f = (x + y)(y - z)$ at $x=1, y=2, z=3$?
        """),
        code("""
            x = torch.tensor([1.], requires_grad=True)
            y = torch.tensor([2.], requires_grad=True)
            z = torch.tensor([3.], requires_grad=True)
            f = (x + y) * (y - z)
            f.backward()
            x.grad, y.grad, z.grad
        """),
        code("""
            # df/dx = y - z,  df/dy = (y - z) + (x + y),  df/dz = -(x + y)
            assert (x.grad.item(), y.grad.item(), z.grad.item()) == (-1.0, 2.0, -3.0)
        """),
        code(volatile("drawn as a picture when Graphviz is installed, else printed as DOT source"), """
            show_graph(f, params={"x": x, "y": y, "z": z})
        """),
        md("""
            Read the graph from the bottom (the output `f`, green) up: each box is the backward function of
            one operation; the blue boxes are the leaves whose `.grad` gets filled (`AccumulateGrad`).

            ## 2. Checking gradients numerically

            Any gradient can be checked without calculus: nudge one input by $\\pm\\varepsilon$ and
            compare $\\frac{f(x+\\varepsilon) - f(x-\\varepsilon)}{2\\varepsilon}$ with autograd's answer.
            Use `float64`: with `float32` the difference of two nearly equal numbers loses most digits.
        """),
        code("""
            def numeric_grads(f, inputs, eps=1e-6):
                \"\"\"Central differences of the scalar f(*inputs) w.r.t. every element of every input.\"\"\"
                grads = []
                with torch.no_grad():
                    for t in inputs:
                        flat, g = t.detach().view(-1), torch.zeros(t.numel(), dtype=t.dtype)
                        for i in range(t.numel()):   # one element at a time: slow, but obviously right
                            old = flat[i].item()
                            flat[i] = old + eps
                            up = f(*inputs).item()
                            flat[i] = old - eps
                            down = f(*inputs).item()
                            flat[i] = old
                            g[i] = (up - down) / (2 * eps)
                        grads.append(g.view(t.shape))
                return grads

            def check(f, *inputs):
                \"\"\"Autograd vs finite differences for every input; returns the largest difference.\"\"\"
                auto = torch.autograd.grad(f(*inputs), inputs)
                diff = max((a - n).abs().max().item() for a, n in zip(auto, numeric_grads(f, inputs)))
                print(f"largest |autograd - finite difference| = {diff:.1e}")
                assert diff < 1e-6
                return auto

            def leaf(*shape):
                return torch.randn(*shape, dtype=torch.float64, requires_grad=True)
        """),
        md("""
            ## 3. Branching structures

            ### Several inputs

            For $y = x_1 + x_2$ the gradient is passed on unchanged to both inputs,
            $\\frac{d\\mathcal{L}}{dx_1} = \\frac{d\\mathcal{L}}{dx_2} = \\frac{d\\mathcal{L}}{dy}$; for
            $y = x_1 x_2$ each input gets the gradient times the *other* input,
            $\\frac{d\\mathcal{L}}{dx_1} = \\frac{d\\mathcal{L}}{dy}x_2$,
            $\\frac{d\\mathcal{L}}{dx_2} = \\frac{d\\mathcal{L}}{dy}x_1$.
        """),
        code("""
            def loss(y):
                return torch.sin(y).sum()                  # any loss; dL/dy = cos(y)

            x1, x2 = leaf(3), leaf(3)

            g1, g2 = check(lambda a, b: loss(a + b), x1, x2)
            dL_dy = torch.cos(x1 + x2).detach()
            assert torch.allclose(g1, dL_dy) and torch.allclose(g2, dL_dy)

            g1, g2 = check(lambda a, b: loss(a * b), x1, x2)
            dL_dy = torch.cos(x1 * x2).detach()
            assert torch.allclose(g1, dL_dy * x2.detach()) and torch.allclose(g2, dL_dy * x1.detach())
        """),
        md("""
            ### Several outputs

            When $x$ feeds two blocks, $\\mathcal{L} = \\mathcal{L}(y_1(x), y_2(x))$, the two paths' gradients
            **add up**:
            $\\frac{d\\mathcal{L}}{dx} = \\frac{d\\mathcal{L}}{dy_1}\\frac{dy_1}{dx} +
            \\frac{d\\mathcal{L}}{dy_2}\\frac{dy_2}{dx}$.
        """),
        *predict("for $y_1 = x^2$, $y_2 = e^x$ and $\\mathcal{L} = \\sum y_1 y_2$, what is "
                 "$d\\mathcal{L}/dx$? Write it as the sum of the two paths, then run.", """
            x = leaf(4)
            (g,) = check(lambda x: (x ** 2 * torch.exp(x)).sum(), x)
            xd = x.detach()
            path1 = torch.exp(xd) * 2 * xd        # dL/dy1 * dy1/dx
            path2 = xd ** 2 * torch.exp(xd)       # dL/dy2 * dy2/dx
            assert torch.allclose(g, path1 + path2)
        """),
        md("""
            ### A reused block

            The same weights used twice (a shared layer) get the sum of the gradients of both uses. To see
            it, run the same computation with two *separate copies* of the weights: `W.grad` is the sum of
            the two copies' gradients.
        """),
        code("""
            def block(W, h):
                return torch.tanh(W @ h)

            W, x = leaf(3, 3), torch.randn(3, dtype=torch.float64)

            (gW,) = check(lambda W: block(W, block(W, x)).sum(), W)        # W used twice

            W1, W2 = W.detach().clone().requires_grad_(), W.detach().clone().requires_grad_()
            block(W2, block(W1, x)).sum().backward()                        # one copy per use
            assert torch.allclose(gW, W1.grad + W2.grad)
            print("W.grad == first use + second use")
        """),
        md("""
            ### Recurrence

            A recurrent network applies the same block at every time step,
            $h_t = \\tanh(W h_{t-1} + U x_t)$. Unrolled in time it is a reused block, so the gradient of
            $W$ sums over the steps (backpropagation through time).
        """),
        code("""
            def rnn(W, U, xs):
                h = torch.zeros(3, dtype=torch.float64)
                for x_t in xs:                 # the graph grows with every step
                    h = torch.tanh(W @ h + U @ x_t)
                return h.sum()

            W, U, xs = leaf(3, 3), leaf(3, 2), torch.randn(4, 2, dtype=torch.float64)
            check(lambda W, U: rnn(W, U, xs), W, U)
            assert torch.autograd.gradcheck(lambda W, U: rnn(W, U, xs), (W, U))
        """),
        md("Three steps of the unrolled recurrence (same `W` and `U` feeding every step):"),
        code(volatile("drawn as a picture when Graphviz is installed, else printed as DOT source"), """
            show_graph(rnn(W, U, xs[:3]), params={"W": W, "U": U})
        """),
        md("""
            `torch.autograd.gradcheck` (used above) does what `check` does, for every input at once, and
            raises an error with both Jacobians when they disagree. Use it whenever you write a backward.

            ## 4. Autograd on a whole curve

            The lecture's function $y = \\sin(x)(\\sin^2 x + \\cos^2 x)$ is just $\\sin x$ in disguise, so
            its derivative must be $\\cos x$. `backward()` needs a scalar: summing the outputs gives each
            $x_i$ its own derivative, because $y_i$ depends on $x_i$ only.
        """),
        code("""
            x = torch.linspace(-2, 2, 101, dtype=torch.float32, requires_grad=True)
            y = torch.sin(x) * (torch.sin(x) ** 2 + torch.cos(x) ** 2)
            y.sum().backward()      # a scalar: only scalars can start backward()
            g = x.grad              # the derivative at every point

            xd = x.detach()
            plt.plot(xd.numpy(), y.detach().numpy(), label="y = sin(x)(sin²x + cos²x)")
            plt.plot(xd.numpy(), g.numpy(), lw=4, alpha=0.5, label="x.grad")
            plt.plot(xd.numpy(), torch.cos(xd).numpy(), "k--", label="cos(x)")
            plt.legend()
            plt.show()
            assert torch.allclose(g, torch.cos(xd), atol=1e-6)
        """),
        code("""
            x = torch.linspace(-2, 2, 3, dtype=torch.float32)
            # integer tensors cannot have gradients
            x.requires_grad_()   # ask for gradients
            x
        """),
        md("""
            ### Before tensors had gradients: `Variable`

            Older PyTorch code (and the source course) wraps a tensor in `torch.autograd.Variable` to ask for
            its gradient. Since PyTorch 0.4 a tensor does this itself: `Variable(t, requires_grad=True)` still
            runs and simply returns a tensor with `requires_grad=True`; `.data` is the tensor without the graph.
        """),
        code("""
            from minitorch.autograd import Variable

            torch.manual_seed(0)
            t = torch.randn(3, 3)
            a = Variable(t, requires_grad=True)
            print(a)
            print(a.data)
            print(type(a).__name__)      # a plain Tensor
        """),
        *predict("the course's example: `a = 3`, `b = 4`, $z = 2ab + 5b$. What are `a.grad` and `b.grad` after "
                 "`z.backward()`?", """
            a = Variable(torch.Tensor([3]), requires_grad=True)
            b = Variable(torch.Tensor([4]), requires_grad=True)
            z = 2*a*b + 5*b
            print(z.backward())   # backward() returns nothing: it fills .grad
            print(a.grad)
            print(b.grad)
        """, options=["a.grad = 8, b.grad = 11", "a.grad = 2, b.grad = 7", "a.grad = 24, b.grad = 20", "a.grad = 8, b.grad = 6"],
            answer=0, why="$\\partial z/\\partial a = 2b = 8$ and $\\partial z/\\partial b = 2a + 5 = 11$: "
            "`b` appears in two terms, and their gradients add up."),
        code("""
            assert (a.grad.item(), b.grad.item()) == (2 * 4, 2 * 3 + 5)
        """),
        md("""
            ## 5. Gradients accumulate

            `backward()` **adds** into `.grad`; it never overwrites. That is what makes branching work (the
            paths add up), but between two training steps you must zero the gradients yourself.
        """),
        code("""
            x = torch.Tensor([1, 2, 3])
            w = torch.tensor([1., 1, 1], requires_grad=True)
            z = w @ x
            z.backward()
            print(x.grad,   # None: we did not ask for x's gradient
                  w.grad,   # x
                  sep='\\n')
        """),
        *predict("we run the same two lines again. What is `w.grad` now?", """
            z = w @ x
            z.backward()
            print(x.grad,
                  w.grad,
                  sep='\\n')
        """, options=["[1., 2., 3.], as before", "[2., 4., 6.]", "[0., 0., 0.]", "an error: the graph was freed"],
            answer=1, why="`backward()` adds into `.grad`: the second call's `x` is added to the first one's. "
            "Each `z = w @ x` builds a new graph, so nothing was freed."),
        code("""
            with torch.no_grad():   # no graph, nothing accumulates
                z = w @ x
            # z.backward() would fail here: z has no grad_fn
            print(x.grad, w.grad, sep='\\n')
            w.grad.data.zero_()     # start again from zero
            z = w @ x
            z.backward()
            print(x.grad, w.grad, sep='\\n')
            assert w.grad.tolist() == [1., 2., 3.]
        """),
        md("The same lesson with a one-neuron model $y = wx + b$, one sample after another:"),
        code("""
            # Create tensors
            x = torch.tensor(2.)
            w = torch.tensor(3., requires_grad=True)
            b = torch.tensor(4., requires_grad=True)

            # Define the model
            y = w * x + b

            # Compute gradients
            y.backward()
            print(f'dy/dw={w.grad} dy/db={b.grad}')

            # Gradient for the next sample
            x = torch.tensor(10)
            y = w * x + b

            w.grad.zero_()
            b.grad.zero_()
            y.backward()
            print(f'dy/dw={w.grad} dy/db={b.grad}')
        """),
        code("""
            assert (w.grad.item(), b.grad.item()) == (10.0, 1.0)   # without zero_(): 12.0 and 2.0
        """),
        md("""
            ## 6. Switching autograd off: `no_grad`, `detach`, `detach_`

            Without a graph, computing is faster and uses less memory: for evaluation, or for updating
            weights.
        """),
        code("""
            x = torch.tensor([1.], requires_grad=True)
            y = torch.tensor([2.], requires_grad=True)
            z = torch.tensor([3.], requires_grad=True)
            f = (x + y) * (y - z)
            z = f.detach()                    # same values, cut from the graph
            print(f.requires_grad, z.requires_grad)

            with torch.no_grad():             # just a forward pass, no gradients
                f = (x + y) * (y - z)
            print(f.requires_grad)
        """),
        code("""
            w = torch.tensor([1., 1, 1], requires_grad=True)
            try:
                w.numpy()
            except RuntimeError as e:
                print("RuntimeError:", e)
            w.detach().numpy()     # no requires_grad: numpy may see it
        """),
        *predict("`y = x * x` is detached *in place* before `z = x * y`. With `x = 2`, what is `x.grad`: "
                 "$(x^3)' = 3x^2 = 12$, or something else?", """
            x = torch.tensor([2.], requires_grad=True)
            y = x * x
            y.detach_()
            z = x * y
            z.backward()
            print(x.grad)
        """, options=["12", "4", "8", "None"], answer=1,
            why="after `detach_()` `y` is a constant (4) for autograd, so $dz/dx = y = 4$."),
        code("""
            assert x.grad.item() == 4.0
        """),
        md("""
            ## 7. Your own autograd `Function`

            An op is a `forward` (compute, and save what backward needs with `ctx.save_for_backward`) and a
            `backward` (turn the gradient of the output into gradients of the inputs: one per `forward`
            argument, `None` for non-tensors). minitorch's own ops are written exactly like this: see
            [`minitorch/ops/pointwise.py`](../minitorch/ops/pointwise.py).
        """),
        code("""
            class Exp(torch.autograd.Function):
                @staticmethod
                def forward(ctx, x):
                    result = x.exp()
                    ctx.save_for_backward(result)    # (e^x)' = e^x: keep the output, not the input
                    return result

                @staticmethod
                def backward(ctx, grad_output):
                    (result,) = ctx.saved_tensors
                    return grad_output * result


            class ClippedReLU(torch.autograd.Function):
                \"\"\"min(max(x, 0), cap): ReLU that saturates at cap (ReLU6 for cap=6).\"\"\"

                @staticmethod
                def forward(ctx, x, cap=6.0):
                    ctx.save_for_backward(x)
                    ctx.cap = cap                    # not a tensor: store it on ctx
                    return x.clamp(0, cap)

                @staticmethod
                def backward(ctx, grad_output):
                    (x,) = ctx.saved_tensors
                    passes = (x > 0) & (x < ctx.cap)         # gradient 1 inside, 0 where clipped
                    return grad_output * passes.to(grad_output.dtype), None   # no gradient for cap
        """),
        code("""
            x = torch.tensor([-2., 1., 3., 8.], requires_grad=True)
            y = ClippedReLU.apply(x)
            y.sum().backward()
            print(y, x.grad, sep='\\n')
            assert x.grad.tolist() == [0., 1., 1., 0.]
        """),
        *predict("does `gradcheck` accept both? (Hint: it uses finite differences, and the clipped ReLU has kinks "
                 "at 0 and 6: keep the test points away from them.)", """
            x = torch.tensor([-2., 1., 3., 8.], dtype=torch.float64, requires_grad=True)
            ok_exp = torch.autograd.gradcheck(Exp.apply, (x,))
            ok_clip = torch.autograd.gradcheck(lambda x: ClippedReLU.apply(x, 6.0), (x,))
            print(ok_exp, ok_clip)
        """, options=["both pass", "only `Exp` passes", "neither: finite differences are too rough"], answer=0,
            why="away from the kinks both backward formulas are right, and float64 finite differences agree with "
            "them to about 1e-10. At a kink (say x = 6 exactly) the two one-sided slopes differ and gradcheck fails."),
        code("""
            assert ok_exp and ok_clip
        """),
        md("A broken backward (a forgotten factor 2 in $(x^2)' = 2x$) is caught:"),
        code("""
            class BadSquare(torch.autograd.Function):
                @staticmethod
                def forward(ctx, x):
                    ctx.save_for_backward(x)
                    return x * x

                @staticmethod
                def backward(ctx, grad_output):
                    (x,) = ctx.saved_tensors
                    return grad_output * x     # wrong: should be 2 * x

            ok = torch.autograd.gradcheck(BadSquare.apply, (x,), raise_exception=False)
            print(ok)
            assert not ok
        """),
        md("Custom functions appear in the graph under their own name:"),
        code("""
            w = torch.tensor([1.0, -1.0], requires_grad=True)
            out = ClippedReLU.apply(Exp.apply(w) * 3).sum()   # 3e = 8.2 is clipped: gradient 0
            out.backward()
            print(w.grad)
            assert w.grad[0].item() == 0 and abs(w.grad[1].item() - 3 * np.exp(-1)) < 1e-6
        """),
        code(volatile("drawn as a picture when Graphviz is installed, else printed as DOT source"), """
            show_graph(out, params={"w": w})
        """),
        *try_it([
            ("Write `Tanh` as a `Function` (save the *output*: $\\tanh' = 1 - \\tanh^2$) and `gradcheck` it.", """
                ```python
                class Tanh(torch.autograd.Function):
                    @staticmethod
                    def forward(ctx, x):
                        y = x.tanh()
                        ctx.save_for_backward(y)
                        return y

                    @staticmethod
                    def backward(ctx, grad_output):
                        (y,) = ctx.saved_tensors
                        return grad_output * (1 - y * y)

                x = torch.randn(5, dtype=torch.float64, requires_grad=True)
                assert torch.autograd.gradcheck(Tanh.apply, (x,))
                ```
            """),
            ("In the reused-block example, use `W` three times. Predict how `W.grad` relates to three copies.", """
                `W.grad` is the **sum** of the three copies' gradients: `block(W, block(W, block(W, x)))` against
                `block(W3, block(W2, block(W1, x)))` gives `W.grad == W1.grad + W2.grad + W3.grad`. Each use is one
                more path from `W` to the loss, and the paths add up.
            """),
            ("Remove `w.grad.zero_()` from the $y = wx + b$ example and predict the printed gradients.", """
                The second `backward()` adds to the first: `dy/dw` becomes 2 + 10 = 12 and `dy/db` 1 + 1 = 2
                (the assert in that section says so).
            """),
        ]),
        homework(3, """
            `hw05_backprop` writes the backward of a linear layer and of softmax with cross-entropy by hand;
            `hw06_autograd_engine` builds the engine that walks a graph like the ones drawn above.
        """),
    ]

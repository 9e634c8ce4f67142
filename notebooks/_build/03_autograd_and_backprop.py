"""Builds notebooks/03_autograd_and_backprop.ipynb (and notebooks/ru/): the chain rule, branching graphs,
autograd.

Examples follow the source course: backprop, branching structures, the AutoGrad part of its PyTorch
tutorial, the old `Variable` wrapper with z = 2ab + 5b, and the "Gradients" slide (dy/dw=2.0, then 10.0
after zeroing).
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell,
                                     tr, try_it, volatile)

FILE = "03_autograd_and_backprop.ipynb"
RUNTIME_S = 5


def cells():
    graph = volatile(tr("drawn as a picture when Graphviz is installed, else printed as DOT source",
                        "с Graphviz граф рисуется картинкой, без него печатается его текст на языке DOT"))
    return [
        header(3, tr("Autograd and backpropagation", "Автоматическое дифференцирование и обратное распространение ошибки"),
               FILE, [
                   tr("apply the chain rule on a computation graph, by hand and with `backward()`",
                      "применять цепное правило на графе вычислений — вручную и с помощью `backward()`"),
                   tr("handle branching: several inputs, several outputs, a reused block, recurrence",
                      "разбирать ветвящиеся структуры: несколько входов, несколько выходов, переиспользование блоков, "
                      "рекуррентность"),
                   tr("check any gradient numerically (finite differences, `gradcheck`)",
                      "проверять любой градиент численно (конечные разности, `gradcheck`)"),
                   tr("control autograd: gradient accumulation and zeroing, `no_grad`, `detach`, `detach_`",
                      "управлять autograd: накопление и обнуление градиентов, `no_grad`, `detach`, `detach_`"),
                   tr("write your own autograd `Function` with `save_for_backward`",
                      "писать собственную функцию autograd (`Function`) с `save_for_backward`"),
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
                \"\"\"""" + tr("""Draw the backward graph of t (like torchviz's make_dot). Rendering needs the
                Graphviz `dot` program; without it, print the graph's DOT source instead.""",
                               """Рисует граф обратного прохода для t (как make_dot из torchviz). Для картинки
                нужна программа `dot` из Graphviz; без неё печатает текст графа на языке DOT.""") + """\"\"\"
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
        """, """
            ## 1. Цепное правило на графе

            Сеть — это цепочка блоков. Если функция потерь $\\mathcal{L}$ зависит от веса $w$ только через
            выход блока $y$, то

            $$\\frac{d\\mathcal{L}}{dw} = \\frac{d\\mathcal{L}}{dy}\\frac{dy}{dw}, \\qquad
              \\frac{d\\mathcal{L}}{dx} = \\frac{d\\mathcal{L}}{dy}\\frac{dy}{dx}.$$

            Обратное распространение ошибки (backpropagation) применяет это правило от функции потерь назад,
            блок за блоком. Autograd записывает блоки, пока вы вычисляете (`grad_fn` каждого результата), а
            `backward()` обходит их в обратном порядке.
        """),
        code("""
            x = torch.tensor(1.5, requires_grad=True)
            y = x ** 2          # en: block 1 # ru: блок 1
            z = torch.sin(y)    # en: block 2 # ru: блок 2
            z.backward()

            xd = x.detach()                              # en: the value only, no graph # ru: только значение, без графа
            by_hand = torch.cos(xd ** 2) * 2 * xd        # dz/dy * dy/dx
            print(x.grad, by_hand)
            assert torch.allclose(x.grad, by_hand)
            print(z.grad_fn, '->', z.grad_fn.next_functions[0][0])
        """),
        *predict(tr("the lecture's example has three inputs, and `y` is used twice: $f = (x + y)(y - z)$ at "
                    "$x=1, y=2, z=3$. What are `x.grad`, `y.grad` and `z.grad`?",
                    "в примере из лекции три входа, и `y` используется дважды: $f = (x + y)(y - z)$ при "
                    "$x=1, y=2, z=3$. Чему равны `x.grad`, `y.grad` и `z.grad`?"), """
            x = torch.tensor([1.], requires_grad=True)
            y = torch.tensor([2.], requires_grad=True)
            z = torch.tensor([3.], requires_grad=True)
            f = (x + y) * (y - z)
            f.backward()
            x.grad, y.grad, z.grad
        """, options=["x.grad = -1, y.grad = -1, z.grad = -3", "x.grad = -1, y.grad = 2, z.grad = -3",
                      "x.grad = -1, y.grad = 3, z.grad = -3", "x.grad = 1, y.grad = 2, z.grad = 3"], answer=1,
            why=tr("$\\partial f/\\partial x = y - z = -1$ and $\\partial f/\\partial z = -(x + y) = -3$. `y` reaches "
                   "$f$ along two paths, through $x + y$ (contributing $y - z = -1$) and through $y - z$ "
                   "(contributing $x + y = 3$), and the paths add up: $-1 + 3 = 2$.",
                   "$\\partial f/\\partial x = y - z = -1$ и $\\partial f/\\partial z = -(x + y) = -3$. `y` входит "
                   "в $f$ по двум путям — через $x + y$ (вклад $y - z = -1$) и через $y - z$ (вклад $x + y = 3$), — "
                   "и вклады путей складываются: $-1 + 3 = 2$.")),
        code("""
            # df/dx = y - z,  df/dy = (y - z) + (x + y),  df/dz = -(x + y)
            assert (x.grad.item(), y.grad.item(), z.grad.item()) == (-1.0, 2.0, -3.0)
        """),
        code(graph, """
            show_graph(f, params={"x": x, "y": y, "z": z})
        """),
        md("""
            Read the graph from the bottom (the output `f`, green) up: each box is the backward function of
            one operation; the blue boxes are the leaves whose `.grad` gets filled (`AccumulateGrad`).

            ## 2. Checking gradients numerically

            Any gradient can be checked without calculus: nudge one input by $\\pm\\varepsilon$ and
            compare $\\frac{f(x+\\varepsilon) - f(x-\\varepsilon)}{2\\varepsilon}$ with autograd's answer.
            Use `float64`: with `float32` the difference of two nearly equal numbers loses most digits.
        """, """
            Читайте граф снизу (выход `f`, зелёный) вверх: каждый прямоугольник — функция обратного прохода
            одной операции; синие прямоугольники — листья, у которых заполняется `.grad` (`AccumulateGrad`).

            ## 2. Численная проверка градиентов

            Любой градиент можно проверить без математического анализа: сдвиньте один вход на
            $\\pm\\varepsilon$ и сравните $\\frac{f(x+\\varepsilon) - f(x-\\varepsilon)}{2\\varepsilon}$ с ответом
            autograd. Считайте в `float64`: в `float32` разность двух почти равных чисел теряет большую
            часть значащих цифр.
        """),
        code("""
            def numeric_grads(f, inputs, eps=1e-6):
                \"\"\"""" + tr("Central differences of the scalar f(*inputs) w.r.t. every element of every input.",
                               "Центральные разности скаляра f(*inputs) по каждому элементу каждого входа.") + """\"\"\"
                grads = []
                with torch.no_grad():
                    for t in inputs:
                        flat, g = t.detach().view(-1), torch.zeros(t.numel(), dtype=t.dtype)
                        for i in range(t.numel()):   # en: one element at a time: slow, but obviously right # ru: по одному элементу: медленно, зато очевидно верно
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
                \"\"\"""" + tr("""Autograd vs finite differences for every input: prints the largest difference and
                returns autograd's gradients.""",
                               """Сравнивает autograd с конечными разностями по каждому входу: печатает наибольшее
                расхождение и возвращает градиенты autograd.""") + """\"\"\"
                auto = torch.autograd.grad(f(*inputs), inputs)
                diff = max((a - n).abs().max().item() for a, n in zip(auto, numeric_grads(f, inputs)))
                print(f\"""" + tr("largest |autograd - finite difference|", "наибольшее |autograd - конечная разность|")
             + """ = {diff:.1e}")
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
        """, """
            ## 3. Ветвящиеся структуры

            ### Несколько входов

            Для $y = x_1 + x_2$ градиент передаётся обоим входам без изменений,
            $\\frac{d\\mathcal{L}}{dx_1} = \\frac{d\\mathcal{L}}{dx_2} = \\frac{d\\mathcal{L}}{dy}$; для
            $y = x_1 x_2$ каждый вход получает градиент, умноженный на *другой* вход,
            $\\frac{d\\mathcal{L}}{dx_1} = \\frac{d\\mathcal{L}}{dy}x_2$,
            $\\frac{d\\mathcal{L}}{dx_2} = \\frac{d\\mathcal{L}}{dy}x_1$.
        """),
        code("""
            def loss(y):
                return torch.sin(y).sum()                  # en: any loss; dL/dy = cos(y) # ru: любая функция потерь; dL/dy = cos(y)

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
        """, """
            ### Несколько выходов

            Когда $x$ подаётся на вход двум блокам, $\\mathcal{L} = \\mathcal{L}(y_1(x), y_2(x))$, градиенты
            двух путей **складываются**:
            $\\frac{d\\mathcal{L}}{dx} = \\frac{d\\mathcal{L}}{dy_1}\\frac{dy_1}{dx} +
            \\frac{d\\mathcal{L}}{dy_2}\\frac{dy_2}{dx}$.
        """),
        # The experiment prints autograd's numbers only; the formula is shown after the answer.
        *predict(tr("for $y_1 = x^2$, $y_2 = e^x$ and $\\mathcal{L} = \\sum y_1 y_2$, what is $d\\mathcal{L}/dx$? "
                    "The experiment prints autograd's answer at $x = -2, -1, 1$: compare your choice with it.",
                    "для $y_1 = x^2$, $y_2 = e^x$ и $\\mathcal{L} = \\sum y_1 y_2$ чему равна $d\\mathcal{L}/dx$? "
                    "Эксперимент печатает ответ autograd в точках $x = -2, -1, 1$: сравните с ним свой выбор."), """
            x = torch.tensor([-2., -1., 1.], dtype=torch.float64, requires_grad=True)
            (g,) = check(lambda x: (x ** 2 * torch.exp(x)).sum(), x)
            print(g)
        """, options=["2x·eˣ", "x²·eˣ", "2x·eˣ + x²·eˣ", "2x·eˣ · x²·eˣ"], answer=2,
            why=tr("$x$ reaches $\\mathcal{L}$ along two paths, and their gradients add up: through $y_1$, "
                   "$\\frac{d\\mathcal{L}}{dy_1}\\frac{dy_1}{dx} = e^x \\cdot 2x$; through $y_2$, "
                   "$\\frac{d\\mathcal{L}}{dy_2}\\frac{dy_2}{dx} = x^2 \\cdot e^x$. At $x = -2$ the two paths cancel, "
                   "$(-4 + 4)e^{-2} = 0$; at $x = 1$ the sum is $3e$.",
                   "$x$ входит в $\\mathcal{L}$ по двум путям, и их градиенты складываются: через $y_1$ — "
                   "$\\frac{d\\mathcal{L}}{dy_1}\\frac{dy_1}{dx} = e^x \\cdot 2x$, через $y_2$ — "
                   "$\\frac{d\\mathcal{L}}{dy_2}\\frac{dy_2}{dx} = x^2 \\cdot e^x$. В точке $x = -2$ вклады путей "
                   "взаимно уничтожаются, $(-4 + 4)e^{-2} = 0$; в точке $x = 1$ сумма равна $3e$.")),
        code("""
            xd = x.detach()
            path1 = torch.exp(xd) * 2 * xd        # dL/dy1 * dy1/dx
            path2 = xd ** 2 * torch.exp(xd)       # dL/dy2 * dy2/dx
            print(path1, path2, sep='\\n')
            assert torch.allclose(g, path1 + path2)
        """),
        md("""
            ### A reused block

            The same weights used twice (a shared layer) get the sum of the gradients of both uses. To see
            it, run the same computation with two *separate copies* of the weights: `W.grad` is the sum of
            the two copies' gradients.
        """, """
            ### Переиспользование блоков

            Одни и те же веса, использованные дважды (общий слой), получают сумму градиентов от обоих
            использований. Чтобы это увидеть, выполним то же вычисление с двумя *отдельными копиями* весов:
            `W.grad` равен сумме градиентов двух копий.
        """),
        code("""
            def block(W, h):
                return torch.tanh(W @ h)

            W, x = leaf(3, 3), torch.randn(3, dtype=torch.float64)

            (gW,) = check(lambda W: block(W, block(W, x)).sum(), W)        # en: W used twice # ru: W используется дважды

            W1, W2 = W.detach().clone().requires_grad_(), W.detach().clone().requires_grad_()
            block(W2, block(W1, x)).sum().backward()                        # en: one copy per use # ru: по копии на каждое использование
            assert torch.allclose(gW, W1.grad + W2.grad)
            print(\"""" + tr("W.grad == first use + second use", "W.grad == первое использование + второе") + """\")
        """),
        md("""
            ### Recurrence

            A recurrent network applies the same block at every time step,
            $h_t = \\tanh(W h_{t-1} + U x_t)$. Unrolled in time it is a reused block, so the gradient of
            $W$ sums over the steps (backpropagation through time).
        """, """
            ### Рекуррентность

            Рекуррентная сеть применяет один и тот же блок на каждом шаге по времени,
            $h_t = \\tanh(W h_{t-1} + U x_t)$. Развёрнутая во времени, она и есть переиспользуемый блок, поэтому
            градиент по $W$ суммируется по шагам (обратное распространение во времени, backpropagation
            through time).
        """),
        code("""
            def rnn(W, U, xs):
                h = torch.zeros(3, dtype=torch.float64)
                for x_t in xs:                 # en: the graph grows with every step # ru: граф растёт с каждым шагом
                    h = torch.tanh(W @ h + U @ x_t)
                return h.sum()

            W, U, xs = leaf(3, 3), leaf(3, 2), torch.randn(4, 2, dtype=torch.float64)
            check(lambda W, U: rnn(W, U, xs), W, U)
            assert torch.autograd.gradcheck(lambda W, U: rnn(W, U, xs), (W, U))
        """),
        md("Three steps of the unrolled recurrence (same `W` and `U` feeding every step):",
           "Три шага развёрнутой рекуррентности (одни и те же `W` и `U` подаются на каждый шаг):"),
        code(graph, """
            show_graph(rnn(W, U, xs[:3]), params={"W": W, "U": U})
        """),
        md("""
            `torch.autograd.gradcheck` (used above) does what `check` does, for every input at once, and
            raises an error with both Jacobians when they disagree. Use it whenever you write a backward.

            ## 4. Autograd on a whole curve

            The lecture's function $y = \\sin(x)(\\sin^2 x + \\cos^2 x)$ is just $\\sin x$ in disguise, so
            its derivative must be $\\cos x$. `backward()` needs a scalar: summing the outputs gives each
            $x_i$ its own derivative, because $y_i$ depends on $x_i$ only.
        """, """
            `torch.autograd.gradcheck` (мы использовали его выше) делает то же, что `check`, сразу для всех входов,
            а при расхождении выбрасывает ошибку, показывая оба якобиана. Пользуйтесь им всякий раз, когда
            пишете обратный проход.

            ## 4. Autograd на целой кривой

            Функция из лекции $y = \\sin(x)(\\sin^2 x + \\cos^2 x)$ — это замаскированный $\\sin x$, поэтому её
            производная обязана быть равна $\\cos x$. `backward()` запускается от скаляра: сумма выходов даёт
            каждому $x_i$ его собственную производную, потому что $y_i$ зависит только от $x_i$.
        """),
        code("""
            x = torch.linspace(-2, 2, 101, dtype=torch.float32, requires_grad=True)
            y = torch.sin(x) * (torch.sin(x) ** 2 + torch.cos(x) ** 2)
            y.sum().backward()      # en: a scalar: only scalars can start backward() # ru: скаляр: backward() запускается только от скаляра
            g = x.grad              # en: the derivative at every point # ru: производная в каждой точке

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
            # en: integer tensors cannot have gradients
            # ru: у целочисленных тензоров градиентов не бывает
            x.requires_grad_()   # en: ask for gradients # ru: просим вычислять градиенты
            x
        """),
        md("""
            ### Before tensors had gradients: `Variable`

            Older PyTorch code (and the source course) wraps a tensor in `torch.autograd.Variable` to ask for
            its gradient. Since PyTorch 0.4 a tensor does this itself: `Variable(t, requires_grad=True)` still
            runs and simply returns a tensor with `requires_grad=True`; `.data` is the tensor without the graph.
        """, """
            ### Когда у тензоров ещё не было градиентов: `Variable`

            Старый код на PyTorch (и лекции, на которых построен курс) оборачивает тензор в
            `torch.autograd.Variable`, чтобы запросить его градиент. Начиная с PyTorch 0.4 тензор умеет это сам:
            `Variable(t, requires_grad=True)` по-прежнему работает и просто возвращает тензор с
            `requires_grad=True`; `.data` — тот же тензор без графа.
        """),
        code("""
            from minitorch.autograd import Variable

            torch.manual_seed(0)
            t = torch.randn(3, 3)
            a = Variable(t, requires_grad=True)
            print(a)
            print(a.data)
            print(type(a).__name__)      # en: a plain Tensor # ru: обычный Tensor
        """),
        *predict(tr("the course's example: `a = 3`, `b = 4`, $z = 2ab + 5b$. What are `a.grad` and `b.grad` after "
                    "`z.backward()`?",
                    "в примере из курса `a = 3`, `b = 4`, $z = 2ab + 5b$. Чему равны `a.grad` и `b.grad` после "
                    "`z.backward()`?"), """
            a = Variable(torch.Tensor([3]), requires_grad=True)
            b = Variable(torch.Tensor([4]), requires_grad=True)
            z = 2*a*b + 5*b
            print(z.backward())   # en: backward() returns nothing: it fills .grad # ru: backward() ничего не возвращает: он заполняет .grad
            print(a.grad)
            print(b.grad)
        """, options=["a.grad = 8, b.grad = 11", "a.grad = 2, b.grad = 7", "a.grad = 24, b.grad = 20", "a.grad = 8, b.grad = 6"],
            answer=0, why=tr("$\\partial z/\\partial a = 2b = 8$ and $\\partial z/\\partial b = 2a + 5 = 11$: "
                             "`b` appears in two terms, and their gradients add up.",
                             "$\\partial z/\\partial a = 2b = 8$ и $\\partial z/\\partial b = 2a + 5 = 11$: "
                             "`b` входит в два слагаемых, и их градиенты складываются.")),
        code("""
            assert (a.grad.item(), b.grad.item()) == (2 * 4, 2 * 3 + 5)
        """),
        md("""
            ## 5. Gradients accumulate

            `backward()` **adds** into `.grad`; it never overwrites. That is what makes branching work (the
            paths add up), but between two training steps you must zero the gradients yourself.
        """, """
            ## 5. Градиенты накапливаются

            `backward()` **прибавляет** к `.grad` и никогда его не перезаписывает. Благодаря этому и работают
            ветвления (вклады путей складываются), но между двумя шагами обучения градиенты нужно обнулять
            самостоятельно.
        """),
        code("""
            x = torch.Tensor([1, 2, 3])
            w = torch.tensor([1., 1, 1], requires_grad=True)
            z = w @ x
            z.backward()
            print(x.grad,   # en: None: we did not ask for x's gradient # ru: None: градиент по x мы не запрашивали
                  w.grad,   # x
                  sep='\\n')
        """),
        *predict(tr("we run the same two lines again. What is `w.grad` now?",
                    "выполним те же две строки ещё раз. Чему теперь равен `w.grad`?"), """
            z = w @ x
            z.backward()
            print(x.grad,
                  w.grad,
                  sep='\\n')
        """, options=[tr("[1., 2., 3.], as before", "[1., 2., 3.], как и раньше"), "[2., 4., 6.]", "[0., 0., 0.]",
                      tr("an error: the graph was freed", "ошибка: граф уже освобождён")],
            answer=1, why=tr("`backward()` adds into `.grad`: the second call's `x` is added to the first one's. "
                             "Each `z = w @ x` builds a new graph, so nothing was freed.",
                             "`backward()` прибавляет к `.grad`: `x` от второго вызова добавляется к `x` от первого. "
                             "Каждое `z = w @ x` строит новый граф, так что освобождать было нечего.")),
        code("""
            with torch.no_grad():   # en: no graph, nothing accumulates # ru: графа нет, ничего не накапливается
                z = w @ x
            # en: z.backward() would fail here: z has no grad_fn
            # ru: здесь z.backward() завершился бы ошибкой: у z нет grad_fn
            print(x.grad, w.grad, sep='\\n')
            w.grad.data.zero_()     # en: start again from zero # ru: начинаем снова с нуля
            z = w @ x
            z.backward()
            print(x.grad, w.grad, sep='\\n')
            assert w.grad.tolist() == [1., 2., 3.]
        """),
        md("The same lesson with a one-neuron model $y = wx + b$, one sample after another:",
           "Тот же урок на модели из одного нейрона $y = wx + b$, пример за примером:"),
        code("""
            # en: Create tensors
            # ru: Создаём тензоры
            x = torch.tensor(2.)
            w = torch.tensor(3., requires_grad=True)
            b = torch.tensor(4., requires_grad=True)

            # en: Define the model
            # ru: Задаём модель
            y = w * x + b

            # en: Compute gradients
            # ru: Вычисляем градиенты
            y.backward()
            print(f'dy/dw={w.grad} dy/db={b.grad}')

            # en: Gradient for the next sample
            # ru: Градиент для следующего примера
            x = torch.tensor(10)
            y = w * x + b

            w.grad.zero_()
            b.grad.zero_()
            y.backward()
            print(f'dy/dw={w.grad} dy/db={b.grad}')
        """),
        code("""
            assert (w.grad.item(), b.grad.item()) == (10.0, 1.0)
        """),
        md("""
            ## 6. Switching autograd off: `no_grad`, `detach`, `detach_`

            Without a graph, computing is faster and uses less memory: for evaluation, or for updating
            weights.
        """, """
            ## 6. Отключаем autograd: `no_grad`, `detach`, `detach_`

            Без графа вычисления идут быстрее и занимают меньше памяти: так считают при оценке модели или
            при обновлении весов.
        """),
        code("""
            x = torch.tensor([1.], requires_grad=True)
            y = torch.tensor([2.], requires_grad=True)
            z = torch.tensor([3.], requires_grad=True)
            f = (x + y) * (y - z)
            z = f.detach()                    # en: same values, cut from the graph # ru: те же значения, отрезанные от графа
            print(f.requires_grad, z.requires_grad)

            with torch.no_grad():             # en: just a forward pass, no gradients # ru: только прямой проход, без градиентов
                f = (x + y) * (y - z)
            print(f.requires_grad)
        """),
        code("""
            w = torch.tensor([1., 1, 1], requires_grad=True)
            try:
                w.numpy()
            except RuntimeError as e:
                print("RuntimeError:", e)
            w.detach().numpy()     # en: no requires_grad: numpy may see it # ru: без requires_grad: теперь можно отдать в numpy
        """),
        *predict(tr("`y = x * x` is detached *in place* before `z = x * y`. With `x = 2`, what is `x.grad`: "
                    "$(x^3)' = 3x^2 = 12$, or something else?",
                    "`y = x * x` отсоединяется от графа *на месте* перед `z = x * y`. Чему при `x = 2` равен "
                    "`x.grad`: $(x^3)' = 3x^2 = 12$ или чему-то другому?"), """
            x = torch.tensor([2.], requires_grad=True)
            y = x * x
            y.detach_()
            z = x * y
            z.backward()
            print(x.grad)
        """, options=["12", "4", "8", "None"], answer=1,
            why=tr("after `detach_()` `y` is a constant (4) for autograd, so $dz/dx = y = 4$.",
                   "После `detach_()` `y` для autograd — константа (4), поэтому $dz/dx = y = 4$.")),
        code("""
            assert x.grad.item() == 4.0
        """),
        md("""
            ## 7. Your own autograd `Function`

            An op is a `forward` (compute, and save what backward needs with `ctx.save_for_backward`) and a
            `backward` (turn the gradient of the output into gradients of the inputs: one per `forward`
            argument, `None` for non-tensors). minitorch's own ops are written exactly like this: see
            [`minitorch/ops/pointwise.py`](../minitorch/ops/pointwise.py).
        """, """
            ## 7. Собственная функция autograd: `Function`

            Операция состоит из `forward` (вычисляет результат и сохраняет то, что понадобится обратному
            проходу, через `ctx.save_for_backward`) и `backward` (превращает градиент по выходу в градиенты по
            входам: по одному на каждый аргумент `forward`, `None` для аргументов, которые не тензоры).
            Операции самой minitorch написаны именно так: см.
            [`minitorch/ops/pointwise.py`](../minitorch/ops/pointwise.py).
        """),
        code("""
            class Exp(torch.autograd.Function):
                @staticmethod
                def forward(ctx, x):
                    result = x.exp()
                    ctx.save_for_backward(result)    # en: (e^x)' = e^x: keep the output, not the input # ru: (e^x)' = e^x: сохраняем выход, а не вход
                    return result

                @staticmethod
                def backward(ctx, grad_output):
                    (result,) = ctx.saved_tensors
                    return grad_output * result


            class ClippedReLU(torch.autograd.Function):
                \"\"\"""" + tr("min(max(x, 0), cap): ReLU that saturates at cap (ReLU6 for cap=6).",
                               "min(max(x, 0), cap): ReLU, который насыщается на уровне cap (ReLU6 при cap=6).")
             + """\"\"\"

                @staticmethod
                def forward(ctx, x, cap=6.0):
                    ctx.save_for_backward(x)
                    ctx.cap = cap                    # en: not a tensor: store it on ctx # ru: не тензор: храним прямо в ctx
                    return x.clamp(0, cap)

                @staticmethod
                def backward(ctx, grad_output):
                    (x,) = ctx.saved_tensors
                    passes = (x > 0) & (x < ctx.cap)         # en: gradient 1 inside, 0 where clipped # ru: градиент 1 внутри, 0 там, где обрезано
                    return grad_output * passes.to(grad_output.dtype), None   # en: no gradient for cap # ru: по cap градиента нет
        """),
        code("""
            x = torch.tensor([-2., 1., 3., 8.], requires_grad=True)
            y = ClippedReLU.apply(x)
            y.sum().backward()
            print(y, x.grad, sep='\\n')
            assert x.grad.tolist() == [0., 1., 1., 0.]
        """),
        *predict(tr("does `gradcheck` accept both? (Hint: it uses finite differences, and the clipped ReLU has kinks "
                    "at 0 and 6: keep the test points away from them.)",
                    "примет ли `gradcheck` обе функции? (Подсказка: он сравнивает с конечными разностями, а у "
                    "обрезанного ReLU изломы в 0 и 6 — точки проверки должны быть от них подальше.)"), """
            x = torch.tensor([-2., 1., 3., 8.], dtype=torch.float64, requires_grad=True)
            ok_exp = torch.autograd.gradcheck(Exp.apply, (x,))
            ok_clip = torch.autograd.gradcheck(lambda x: ClippedReLU.apply(x, 6.0), (x,))
            print(ok_exp, ok_clip)
        """, options=[tr("both pass", "обе проходят"), tr("only `Exp` passes", "проходит только `Exp`"),
                      tr("neither: finite differences are too rough", "ни одна: конечные разности слишком грубы")],
            answer=0,
            why=tr("away from the kinks both backward formulas are right, and float64 finite differences agree with "
                   "them within gradcheck's tolerance. At a kink (say x = 6 exactly) the two one-sided slopes differ "
                   "and gradcheck fails.",
                   "Вдали от изломов обе формулы обратного прохода верны, и конечные разности в float64 совпадают "
                   "с ними в пределах допуска gradcheck. В изломе (скажем, ровно в x = 6) односторонние наклоны "
                   "различаются, и проверка gradcheck не проходит.")),
        code("""
            assert ok_exp and ok_clip
        """),
        md("A broken backward (a forgotten factor 2 in $(x^2)' = 2x$) is caught:",
           "Ошибку в обратном проходе (забытый множитель 2 в $(x^2)' = 2x$) проверка ловит:"),
        code("""
            class BadSquare(torch.autograd.Function):
                @staticmethod
                def forward(ctx, x):
                    ctx.save_for_backward(x)
                    return x * x

                @staticmethod
                def backward(ctx, grad_output):
                    (x,) = ctx.saved_tensors
                    return grad_output * x     # en: wrong: should be 2 * x # ru: ошибка: должно быть 2 * x

            ok = torch.autograd.gradcheck(BadSquare.apply, (x,), raise_exception=False)
            print(ok)
            assert not ok
        """),
        md("Custom functions appear in the graph under their own name:",
           "Собственные функции появляются в графе под своими именами:"),
        code("""
            w = torch.tensor([1.0, -1.0], requires_grad=True)
            out = ClippedReLU.apply(Exp.apply(w) * 3).sum()   # en: 3e = 8.2 is clipped: gradient 0 # ru: 3e = 8.2 обрезается: градиент 0
            out.backward()
            print(w.grad)
            assert w.grad[0].item() == 0 and abs(w.grad[1].item() - 3 * np.exp(-1)) < 1e-6
        """),
        code(graph, """
            show_graph(out, params={"w": w})
        """),
        *try_it([
            (tr("Write `Tanh` as a `Function` (save the *output*: $\\tanh' = 1 - \\tanh^2$) and `gradcheck` it.",
                "Напишите `Tanh` как `Function` (сохраните *выход*: $\\tanh' = 1 - \\tanh^2$) и проверьте его "
                "`gradcheck`."), """
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
            (tr("In the reused-block example, use `W` three times. Predict how `W.grad` relates to three copies.",
                "В примере с переиспользованием блока используйте `W` трижды. Предскажите, как `W.grad` связан с "
                "тремя копиями."),
             tr("""
                `W.grad` is the **sum** of the three copies' gradients: `block(W, block(W, block(W, x)))` against
                `block(W3, block(W2, block(W1, x)))` gives `W.grad == W1.grad + W2.grad + W3.grad`. Each use is one
                more path from `W` to the loss, and the paths add up.
             """, """
                `W.grad` — это **сумма** градиентов трёх копий: сравнение `block(W, block(W, block(W, x)))` с
                `block(W3, block(W2, block(W1, x)))` даёт `W.grad == W1.grad + W2.grad + W3.grad`. Каждое
                использование — ещё один путь от `W` к функции потерь, и вклады путей складываются.
             """)),
            (tr("Remove the two `zero_()` calls from the $y = wx + b$ example and predict the printed gradients.",
                "Уберите оба вызова `zero_()` из примера $y = wx + b$ и предскажите напечатанные градиенты."),
             tr("""
                The second `backward()` adds to the first: `dy/dw` becomes 2 + 10 = 12 and `dy/db` 1 + 1 = 2.
             """, """
                Второй `backward()` прибавляет к первому: `dy/dw` становится 2 + 10 = 12, а `dy/db` — 1 + 1 = 2.
             """)),
        ]),
        homework(3, """
            `hw05_backprop` writes the backward of a linear layer and of softmax with cross-entropy by hand;
            `hw06_autograd_engine` builds the engine that walks a graph like the ones drawn above.
        """, """
            в `hw05_backprop` вы вручную пишете обратный проход линейного слоя и softmax с перекрёстной
            энтропией; в `hw06_autograd_engine` — движок, который обходит граф вроде нарисованных выше.
        """),
    ]

"""Builds notebooks/05_activations.ipynb (and notebooks/ru/): the source course's activation functions and their derivatives.

The source course's activation-function slides: identity, threshold, sigmoid, tanh, ReLU, LeakyReLU
(max(0.1z, z)), ELU, SELU, SiLU/swish, GELU with its tanh approximation (alpha = 0.044715), softsign;
plus softplus and mish. Each derivative three ways (formula, autograd, finite difference), the GELU
approximation error, dead ReLUs, and a short training comparison on the bundled digits.
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, tr, try_it, words, write_and_execute, with_code)

SEEDS = 5  # the race and the dead-unit count are run with this many random initialisations

FILE = "05_activations.ipynb"
RUNTIME_S = 25


# The code of a Try-it answer, the same in both editions.
TANH_CODE = """
                ```python
                class Tanh(torch.autograd.Function):
                    @staticmethod
                    def forward(ctx, z):
                        y = (torch.exp(z) - torch.exp(-z)) / (torch.exp(z) + torch.exp(-z))
                        ctx.save_for_backward(y)
                        return y

                    @staticmethod
                    def backward(ctx, grad_output):
                        (y,) = ctx.saved_tensors
                        return grad_output * (1 - y ** 2)

                ACTIVATIONS["my tanh"] = (Tanh.apply, lambda z: 1 - np.tanh(z) ** 2)
                ```"""


def cells():
    return [
        header(5, tr("Activation functions", "Функции активации"), FILE, [
            tr("write down each activation of the lecture and its derivative",
               "записать каждую функцию активации из лекции и её производную"),
            tr("check a derivative three ways: the formula, autograd and a finite difference",
               "проверить производную тремя способами: формулой, autograd и конечной разностью"),
            tr("define your own differentiable function with `torch.autograd.Function`",
               "определить свою дифференцируемую функцию через `torch.autograd.Function`"),
            tr("measure how good GELU's tanh approximation is", "измерить, насколько точно tanh-приближение GELU"),
            tr("see ReLU units die after a too large step, and why they never come back",
               "увидеть, как нейроны ReLU умирают после слишком большого шага и почему они не оживают"),
            tr("compare activations when training a small network on digits",
               "сравнить функции активации при обучении небольшой сети на цифрах"),
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import math

            import numpy as np
            import minitorch as torch
            from minitorch import nn
            import minitorch.nn.functional as F
            from minitorch.utils.data import DataLoader, TensorDataset
            from minitorch.vision import datasets
            from IPython.display import Markdown, display
        """, f"SEEDS = {SEEDS}   # en: comparisons are repeated over this many random initialisations "
             "# ru: столько раз со случайной инициализацией повторяется каждое сравнение"),
        quiz_cell(),
        md("""
            ## 1. The zoo

            A neuron computes $f(z)$ of its weighted input $z$. Backpropagation needs $f'(z)$ at every unit,
            so an activation is really a **pair**: the function and its derivative. Below, each activation of
            the lecture as a `minitorch` module (what a network uses) next to its derivative written out by
            hand in numpy (what the lecture's slides show).

            The **threshold** $\\text{th}(z) = I[z > 0]$ has no module in PyTorch: we write it as an
            autograd `Function`, which states its derivative ourselves (zero everywhere, except at 0 where it
            has none).
        """, """
            ## 1. Зоопарк

            Нейрон вычисляет $f(z)$ от своего взвешенного входа $z$. Обратному распространению ошибки нужна
            $f'(z)$ в каждом нейроне, так что функция активации на самом деле — **пара**: сама функция и её
            производная. Ниже каждая функция активации из лекции записана как модуль `minitorch` (его использует
            сеть), а рядом — её производная, выписанная вручную на numpy (как на слайдах лекции).

            У **пороговой функции** $\\text{th}(z) = I[z > 0]$ нет модуля в PyTorch: запишем её как `Function`
            автоматического дифференцирования, где производную задаём сами (ноль всюду, кроме точки 0, где
            производной нет).
        """),
        code(words("""
            class Threshold01(torch.autograd.Function):
                \"\"\"th(z) = 1 if z > 0 else 0; its derivative is 0 wherever it exists.\"\"\"

                @staticmethod
                def forward(ctx, z):
                    return (z > 0).to(z.dtype)

                @staticmethod
                def backward(ctx, grad_output):
                    return torch.zeros_like(grad_output)


            print(Threshold01.apply(torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)))
        """, {"th(z) = 1 if z > 0 else 0; its derivative is 0 wherever it exists.":
              "th(z) = 1, если z > 0, иначе 0; её производная равна 0 везде, где существует."})),
        code("""
            SELU_ALPHA, SELU_LAMBDA = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
            GELU_A = 0.044715          # en: the lecture's alpha in the tanh approximation of GELU # ru: alpha из лекции в tanh-приближении GELU
            SQRT_2_PI = math.sqrt(2 / math.pi)
            erf = np.vectorize(math.erf)


            def sigmoid(z): return 1 / (1 + np.exp(-z))
            def softplus(z): return np.logaddexp(0, z)          # en: log(1 + e^z) without overflow # ru: log(1 + e^z) без переполнения
            def gelu_tanh_inner(z): return np.tanh(SQRT_2_PI * (z + GELU_A * z ** 3))


            # en: name: (the activation as minitorch computes it, its derivative by hand in numpy)
            # ru: имя: (функция активации, как её вычисляет minitorch, её производная вручную на numpy)
            ACTIVATIONS = {
                "identity":       (nn.Identity(),      lambda z: np.ones_like(z)),
                "threshold":      (Threshold01.apply,  lambda z: np.zeros_like(z)),
                "sigmoid":        (nn.Sigmoid(),       lambda z: sigmoid(z) * (1 - sigmoid(z))),
                "tanh":           (nn.Tanh(),          lambda z: 1 - np.tanh(z) ** 2),
                "ReLU":           (nn.ReLU(),          lambda z: (z > 0) * 1.0),
                "LeakyReLU(0.1)": (nn.LeakyReLU(0.1),  lambda z: np.where(z > 0, 1.0, 0.1)),
                "ELU":            (nn.ELU(),           lambda z: np.where(z > 0, 1.0, np.exp(z))),
                "SELU":           (nn.SELU(),          lambda z: SELU_LAMBDA * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(z))),
                "SiLU / swish":   (nn.SiLU(),          lambda z: sigmoid(z) * (1 + z * (1 - sigmoid(z)))),
                "GELU":           (nn.GELU(),          lambda z: 0.5 * (1 + erf(z / math.sqrt(2))) + z * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)),
                "GELU (tanh)":    (nn.GELU(approximate="tanh"),
                                   lambda z: 0.5 * (1 + gelu_tanh_inner(z))
                                   + 0.5 * z * (1 - gelu_tanh_inner(z) ** 2) * SQRT_2_PI * (1 + 3 * GELU_A * z ** 2)),
                "softsign":       (nn.Softsign(),      lambda z: 1 / (1 + np.abs(z)) ** 2),
                "softplus":       (nn.Softplus(),      lambda z: sigmoid(z)),
                "mish":           (nn.Mish(),          lambda z: np.tanh(softplus(z)) + z * sigmoid(z) * (1 - np.tanh(softplus(z)) ** 2)),
            }
        """),
        md("""
            Notes from the lecture: LeakyReLU is written there as $\\max(0.1z, z)$ (PyTorch's default slope is
            0.01); SELU is $\\lambda\\,\\text{ELU}$ with constants chosen so activations keep mean 0 and
            variance 1; swish is $z\\,\\sigma(\\alpha z)$, SiLU its $\\alpha = 1$ case; GELU (used by BERT and
            GPT-2) is $z\\,\\Phi(z)$, with $\\Phi$ the normal CDF, often computed through
            $\\frac{z}{2}\\left(1 + \\tanh\\left(\\sqrt{2/\\pi}\\,(z + 0.044715 z^3)\\right)\\right)$.

            ## 2. Each derivative three ways

            * **analytic**: the formula above;
            * **autograd**: `y.sum().backward()` puts $f'(z_i)$ in `z.grad[i]` (each $y_i$ depends on $z_i$ only);
            * **finite difference**: $\\frac{f(z + h) - f(z - h)}{2h}$ with $h = 10^{-6}$, in float64.

            The grid of 400 points skips $z = 0$, where ReLU-like functions have a kink.
        """, """
            Замечания к лекции: LeakyReLU записана там как $\\max(0.1z, z)$ (в PyTorch наклон по умолчанию
            0.01); SELU — это $\\lambda\\,\\text{ELU}$ с константами, подобранными так, чтобы активации сохраняли
            среднее 0 и дисперсию 1; swish — это $z\\,\\sigma(\\alpha z)$, а SiLU — её частный случай при
            $\\alpha = 1$; GELU (её используют BERT и GPT-2) — это $z\\,\\Phi(z)$, где $\\Phi$ — функция
            распределения стандартного нормального закона; её часто вычисляют через
            $\\frac{z}{2}\\left(1 + \\tanh\\left(\\sqrt{2/\\pi}\\,(z + 0.044715 z^3)\\right)\\right)$.

            ## 2. Каждая производная тремя способами

            * **аналитически**: по формуле выше;
            * **autograd**: `y.sum().backward()` кладёт $f'(z_i)$ в `z.grad[i]` (каждый $y_i$ зависит только от $z_i$);
            * **конечной разностью**: $\\frac{f(z + h) - f(z - h)}{2h}$ с $h = 10^{-6}$, во float64.

            Сетка из 400 точек обходит $z = 0$, где у функций вроде ReLU излом.
        """),
        code(words("""
            z = torch.linspace(-4, 4, 400, dtype=torch.float64)
            h = 1e-6
            derivatives = {}                      # en: name -> (analytic, autograd, finite difference) # ru: имя -> (формула, autograd, конечная разность)
            for name, (f, analytic) in ACTIVATIONS.items():
                z_leaf = z.clone().requires_grad_(True)
                f(z_leaf).sum().backward()
                with torch.no_grad():
                    finite_difference = (f(z + h) - f(z - h)) / (2 * h)
                derivatives[name] = (analytic(z.numpy()), z_leaf.grad.numpy(), finite_difference.numpy())

            print(f"{'':16s}{'|autograd - analytic|':>24s}{'|finite diff - analytic|':>26s}")
            for name, (analytic, autograd, fd) in derivatives.items():
                print(f"{name:16s}{np.abs(autograd - analytic).max():24.1e}{np.abs(fd - analytic).max():26.1e}")
        """, {"'|autograd - analytic|'": "'|autograd - формула|'",
              "'|finite diff - analytic|'": "'|кон. разность - формула|'"})),
        code("""
            for name, (analytic, autograd, fd) in derivatives.items():
                assert np.allclose(autograd, analytic, rtol=0, atol=1e-5), name
                assert np.allclose(fd, analytic, rtol=0, atol=1e-5), name
        """),
        code(words("""
            fig, axes = plt.subplots(4, 4, figsize=(10, 8.5), dpi=60, sharex=True)
            zs = z.numpy()
            for ax, (name, (f, _)) in zip(axes.flat, ACTIVATIONS.items()):
                analytic, autograd, fd = derivatives[name]
                with torch.no_grad():
                    ax.plot(zs, f(z).numpy(), color="k", lw=2, label="f(z)")
                ax.plot(zs, analytic, color="C1", lw=4, alpha=0.5, label="f'(z) analytic")
                ax.plot(zs, autograd, color="C0", ls="--", label="f'(z) autograd")
                ax.plot(zs[::20], fd[::20], "o", color="C3", ms=3, label="f'(z) finite diff.")
                ax.set_title(name, fontsize=10)
                ax.set_ylim(-1.5, 3)
                ax.grid(alpha=0.3)
            axes.flat[-2].axis("off")
            axes.flat[-1].axis("off")
            fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="lower right", bbox_to_anchor=(0.95, 0.08))
            fig.tight_layout()
            plt.show()
        """, {'"f\'(z) analytic"': '"f\'(z) по формуле"', '"f\'(z) finite diff."': '"f\'(z) кон. разность"'})),
        md("""
            ## 3. How good is GELU's tanh approximation?
        """, """
            ## 3. Насколько точно tanh-приближение GELU?
        """),
        *predict(
            tr("the largest gap between exact GELU and its tanh approximation: about 0.1, 0.01 or 0.001?",
               "наибольшее расхождение точной GELU и её tanh-приближения: около 0.1, 0.01 или 0.001?"),
            words("""
            zz = torch.linspace(-10, 10, 20001, dtype=torch.float64)
            gap = F.gelu(zz) - F.gelu(zz, approximate="tanh")
            worst = gap.abs().argmax()
            print(f"max |GELU - GELU_tanh| = {gap.abs().max().item():.2e} at z = {zz[worst].item():.2f}")
            plt.plot(zz.numpy(), gap.numpy())
            plt.xlim(-6, 6)
            plt.xlabel("z")
            plt.ylabel("exact - tanh approximation")
            plt.show()
            """, {":.2e} at z = ": ":.2e} при z = ", '"exact - tanh approximation"': '"точная - tanh-приближение"'}),
            [tr("about 0.1", "около 0.1"), tr("about 0.01", "около 0.01"),
             tr("about 0.001 or less", "около 0.001 или меньше")], 2,
            tr("the printed maximum is below 0.001 (the assert after the plot checks it), where $|z|$ is between 2 and 3 "
               "and the cubic term $0.044715 z^3$ matters most: tiny next to the activations themselves, which is why "
               "the cheaper approximation was used freely.",
               "напечатанный максимум меньше 0.001 (это проверяет assert после графика) и достигается при $|z|$ между "
               "2 и 3, где больше всего сказывается кубический член $0.044715 z^3$: это ничтожно рядом с самими "
               "значениями активаций, поэтому более дешёвое приближение использовали без опаски.")),
        code("""
            assert 4e-4 < gap.abs().max().item() < 1e-3 and 2 < abs(zz[worst].item()) < 3   # en: what the answer above says # ru: то, что сказано в ответе выше
        """),
        md("""
            ## 4. Dead ReLUs

            A ReLU unit whose input is negative **for every example** outputs 0 and passes back a zero
            gradient: its weights never change again. One step with a too large learning rate can push units
            there. We count the units of a small MLP that output 0 on every training digit, after one SGD step
            from each of our random initialisations.
        """, """
            ## 4. Мёртвые нейроны ReLU

            Нейрон ReLU, вход которого отрицателен **на каждом примере**, выдаёт 0 и передаёт назад нулевой
            градиент: его веса больше никогда не меняются. Туда нейроны может загнать один шаг со слишком большой
            скоростью обучения. Посчитаем нейроны небольшого многослойного перцептрона, которые выдают 0 на
            каждой цифре обучающей выборки, после одного шага SGD из каждой нашей случайной инициализации.
        """),
        code(words("""
            def load(train):
                digits = datasets.MNIST5k(train=train)
                x = (digits.data.float() / 255 - 0.1307) / 0.3081     # en: the usual MNIST normalisation # ru: обычная нормализация MNIST
                return x.view(-1, 784), digits.targets


            x_train, y_train = load(train=True)
            x_test, y_test = load(train=False)
            print(f"{len(x_train)} training digits, {len(x_test)} held-out digits")


            def mlp(activation):
                return nn.Sequential(nn.Linear(784, 128), activation(), nn.Linear(128, 64), activation(),
                                     nn.Linear(64, 10))


            def dead_units(net, x=x_train):
                \"\"\"For each hidden layer, a bool tensor: which units output 0 on every example.\"\"\"
                dead = []
                with torch.no_grad():
                    for layer in net:
                        x = layer(x)
                        if isinstance(layer, (nn.ReLU, nn.LeakyReLU)):
                            dead.append((x == 0).all(dim=0))
                return dead


            def one_step(activation, lr, seed=0):
                torch.manual_seed(seed)
                net = mlp(activation)
                optimizer = torch.optim.SGD(net.parameters(), lr=lr)
                F.cross_entropy(net(x_train[:256]), y_train[:256]).backward()
                optimizer.step()
                return net
        """, {"} training digits, {": "} цифр в обучающей выборке, {", '} held-out digits"': '} в отложенной"',
              "For each hidden layer, a bool tensor: which units output 0 on every example.":
              "Для каждого скрытого слоя булев тензор: какие нейроны выдают 0 на каждом примере."})),
        *predict(
            tr("what fraction of the second hidden layer dies after one SGD step with lr = 100?",
               "какая доля второго скрытого слоя умирает после одного шага SGD с lr = 100?"),
            words("""
            lrs = [0.1, 1, 10, 30, 100]
            dead_fraction = np.array([[[d.float().mean().item() for d in dead_units(one_step(nn.ReLU, lr, seed))]
                                       for lr in lrs] for seed in range(SEEDS)])   # en: (seeds, lrs, layers) # ru: (зёрна, lr, слои)
            before = max(d.float().mean().item() for seed in range(SEEDS)
                         for d in dead_units((torch.manual_seed(seed), mlp(nn.ReLU))[1]))
            print(f"before any step, largest dead fraction over {SEEDS} seeds: {before}")
            mean, std = dead_fraction.mean(0), dead_fraction.std(0)
            for lr, m, s in zip(lrs, mean, std):
                print(f"lr = {lr:5}: dead fraction per hidden layer {np.round(m, 3)} +- {np.round(s, 3)}")
            plt.errorbar(lrs, mean[:, 0], yerr=std[:, 0], marker="o", capsize=3, label="layer 1 (128 units)")
            plt.errorbar(lrs, mean[:, 1], yerr=std[:, 1], marker="o", capsize=3, label="layer 2 (64 units)")
            plt.xscale("log")
            plt.xlabel("learning rate of the step")
            plt.ylabel(f"dead units (mean +- std, {SEEDS} seeds)")
            plt.legend()
            plt.show()
            """, {'"before any step, largest dead fraction over {SEEDS} seeds: ':
                  '"до первого шага, наибольшая доля мёртвых по {SEEDS} зёрнам: ',
                  ": dead fraction per hidden layer {": ": доля мёртвых по скрытым слоям {",
                  '"layer 1 (128 units)"': '"слой 1 (128 нейронов)"', '"layer 2 (64 units)"': '"слой 2 (64 нейрона)"',
                  '"learning rate of the step"': '"скорость обучения на шаге"',
                  '"dead units (mean +- std, {SEEDS} seeds)"': '"мёртвые нейроны (среднее +- std, {SEEDS} зёрен)"'}),
            [tr("none: one step cannot kill a unit", "ни одного: один шаг не может убить нейрон"),
             tr("a few percent", "несколько процентов"), tr("about a third", "около трети"),
             tr("all of them", "все")], 2,
            tr("a huge step moves the biases and weights so far that some units' input is negative for every digit: "
               "on average over the seeds about a third of the second layer (the first layer, fed by the pixels "
               "directly, loses only a few percent).",
               "огромный шаг сдвигает смещения и веса так далеко, что у части нейронов вход отрицателен на каждой "
               "цифре: в среднем по зёрнам это около трети второго слоя (первый слой, который получает пиксели "
               "напрямую, теряет лишь несколько процентов).")),
        md("""
            Why they stay dead: the gradient of every weight going into a dead unit is exactly zero.
            LeakyReLU keeps a small slope for negative inputs, so the same step leaves no unit without a gradient.
        """, """
            Почему они остаются мёртвыми: градиент каждого веса, входящего в мёртвый нейрон, равен ровно нулю.
            У LeakyReLU остаётся небольшой наклон при отрицательных входах, поэтому после того же шага ни один
            нейрон не остаётся без градиента.
        """),
        code(words("""
            net = one_step(nn.ReLU, lr=100)
            dead = dead_units(net)[1]                         # en: the second hidden layer # ru: второй скрытый слой
            net.zero_grad()
            F.cross_entropy(net(x_train), y_train).backward()
            grad_into_dead = net[2].weight.grad[dead]         # en: rows of the weights that feed the dead units # ru: строки весов, которые ведут в мёртвые нейроны
            print(f"{int(dead.sum())} dead units; largest |grad| of their weights: {grad_into_dead.abs().max().item()}")

            leaky = [[int(d.sum()) for d in dead_units(one_step(lambda: nn.LeakyReLU(0.1), 100, seed))] for seed in range(SEEDS)]
            print(f"LeakyReLU units with zero output on every example, {SEEDS} seeds:", leaky)
        """, {"} dead units; largest |grad| of their weights: {": "} мёртвых нейронов; наибольший |градиент| их весов: {",
              '"LeakyReLU units with zero output on every example, {SEEDS} seeds:"':
              '"нейроны LeakyReLU с нулевым выходом на каждом примере, {SEEDS} зёрен:"'})),
        code("""
            assert before == 0 and np.all(dead_fraction[:, 0] == 0)          # en: no dead unit before or after a small step # ru: ни одного мёртвого нейрона до шага и после малого шага
            assert 0.2 < mean[-1, 1] < 0.45 and mean[-1, 0] < 0.1             # en: "about a third" and "a few percent" # ru: «около трети» и «несколько процентов»
            assert dead.any() and grad_into_dead.abs().max().item() == 0
            assert not np.any(leaky)
        """),
        md(f"""
            ## 5. A short race on digits

            The same MLP (784-128-64-10) with different activations, trained for 3 epochs on the bundled MNIST
            digits with SGD + momentum; accuracy on the held-out digits. A single run ranks the activations
            partly by luck (the initial weights, the order of the batches), so every activation runs with the
            same {SEEDS} seeds and we compare mean +- standard deviation.
        """, f"""
            ## 5. Короткая гонка на цифрах

            Тот же многослойный перцептрон (784-128-64-10) с разными функциями активации обучается 3 эпохи на
            цифрах MNIST из комплекта курса методом SGD с моментом; точность (accuracy) измеряем на отложенных
            цифрах. Один запуск ранжирует функции активации отчасти случайно (начальные веса, порядок батчей),
            поэтому каждая функция активации обучается с одними и теми же {SEEDS} зёрнами, и мы сравниваем
            среднее +- стандартное отклонение.
        """),
        code(words("""
            def train(activation, seed, epochs=3, lr=0.1):
                torch.manual_seed(seed)
                net = mlp(activation)
                optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
                loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)
                losses, accuracy = [], []
                for epoch in range(epochs):
                    for xb, yb in loader:
                        optimizer.zero_grad()
                        loss = F.cross_entropy(net(xb), yb)
                        loss.backward()
                        optimizer.step()
                        losses.append(loss.item())
                    with torch.no_grad():
                        accuracy.append((net(x_test).argmax(1) == y_test).float().mean().item())
                return losses, accuracy


            ACTIVATION_RACE = [("sigmoid", nn.Sigmoid), ("tanh", nn.Tanh), ("ReLU", nn.ReLU), ("GELU", nn.GELU),
                               ("SiLU", nn.SiLU)]
            runs = {name: [train(activation, seed) for seed in range(SEEDS)] for name, activation in ACTIVATION_RACE}
            accuracy = {name: np.array([acc for _, acc in rs]) for name, rs in runs.items()}   # en: (seeds, epochs) # ru: (зёрна, эпохи)

            print(f"test accuracy, mean +- std over {SEEDS} seeds")
            print(f"{'':10s}{'epoch 1':>16s}{'epoch 2':>16s}{'epoch 3':>16s}")
            for name, acc in accuracy.items():
                print(f"{name:10s}" + "".join(f"{m:10.3f} +-{s:.3f}" for m, s in zip(acc.mean(0), acc.std(0))))

            fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
            for i, (name, rs) in enumerate(runs.items()):
                losses = np.array([l for l, _ in rs]).mean(0)                  # en: mean training loss over the seeds # ru: средние потери на обучении по зёрнам
                smooth = np.convolve(losses, np.ones(20) / 20, mode="valid")   # en: moving average over 20 steps # ru: скользящее среднее по 20 шагам
                left.plot(smooth, label=name)
                acc = accuracy[name]
                right.errorbar(np.arange(1, 4) + 0.05 * (i - 2), acc.mean(0), yerr=acc.std(0), marker="o",
                               capsize=3, label=name)
            left.set(xlabel="step", ylabel=f"training loss (mean of {SEEDS} seeds)", yscale="log")
            right.set(xlabel="epoch", ylabel="test accuracy (mean +- std)", xticks=[1, 2, 3])
            right.legend()
            fig.tight_layout()
            plt.show()
        """, {'"test accuracy, mean +- std over {SEEDS} seeds"': '"точность на тесте, среднее +- std по {SEEDS} зёрнам"',
              "{'epoch 1':>16s}{'epoch 2':>16s}{'epoch 3':>16s}": "{'эпоха 1':>16s}{'эпоха 2':>16s}{'эпоха 3':>16s}",
              'xlabel="step", ylabel=f"training loss (mean of {SEEDS} seeds)"':
              'xlabel="шаг", ylabel=f"потери на обучении (среднее {SEEDS} зёрен)"',
              'xlabel="epoch", ylabel="test accuracy (mean +- std)"':
              'xlabel="эпоха", ylabel="точность на тесте (среднее +- std)"'})),
        code("""
            final = {name: acc[:, -1] for name, acc in accuracy.items()}
            ranking = sorted(final, key=lambda name: -final[name].mean())
            best, runner_up = ranking[0], ranking[1]
            gap = final[best].mean() - final[runner_up].mean()
            noise = max(final[best].std(), final[runner_up].std())
            slowest = min(accuracy, key=lambda name: accuracy[name][:, 0].mean())   # en: lowest mean accuracy after epoch 1 # ru: наименьшая средняя точность после эпохи 1
        """, tr("""
            verdict = ("so the lead is real" if gap > 2 * noise else
                       "which is within the seed-to-seed spread: on this budget they are tied, and one seed could have "
                       "crowned either")
            display(Markdown(
                f"With only two hidden layers every activation trains (lowest final accuracy over all runs: "
                f"{min(f.min() for f in final.values()):.3f}). The {slowest} network starts slowest: epoch-1 accuracy "
                f"{accuracy[slowest][:, 0].mean():.3f} against {accuracy['ReLU'][:, 0].mean():.3f} for ReLU "
                f"(the sigmoid's derivative, at most 1/4, multiplies the gradient at every layer: lecture 4). After 3 epochs the "
                f"means rank {', '.join(ranking)}; the top two differ by {gap:.3f}, against a spread of {noise:.3f}, "
                f"{verdict}."))
        """, """
            verdict = ("так что преимущество настоящее" if gap > 2 * noise else
                       "а это в пределах разброса между зёрнами: при таком бюджете они идут вровень, и один запуск мог "
                       "бы сделать победителем любую из двух")
            display(Markdown(
                f"Когда скрытых слоёв всего два, обучается сеть с любой функцией активации (худшая итоговая точность "
                f"по всем запускам: {min(f.min() for f in final.values()):.3f}). Медленнее всех стартует сеть с {slowest}: "
                f"точность после первой эпохи {accuracy[slowest][:, 0].mean():.3f} против "
                f"{accuracy['ReLU'][:, 0].mean():.3f} у ReLU (производная сигмоиды, не больше 1/4, умножает градиент на "
                f"каждом слое: лекция 4). После 3 эпох средние выстраиваются так: {', '.join(ranking)}; первые две "
                f"различаются на {gap:.3f} при разбросе {noise:.3f}, {verdict}."))
        """)),
        code("""
            assert slowest == "sigmoid" and all(f.min() > 0.85 for f in final.values())
            assert accuracy["ReLU"][:, 0].mean() - accuracy["sigmoid"][:, 0].mean() > 2 * accuracy["sigmoid"][:, 0].std()
        """),
        *try_it([
            (tr("Implement Tanh yourself as a `torch.autograd.Function` with $\\tanh'(z) = 1 - \\tanh^2(z)$, add it to "
                "`ACTIVATIONS` and check it three ways.",
                "Реализуйте Tanh сами как `torch.autograd.Function` с $\\tanh'(z) = 1 - \\tanh^2(z)$, добавьте её в "
                "`ACTIVATIONS` и проверьте тремя способами."), with_code(TANH_CODE, """
                Then rerun section 2: both error columns stay tiny. (For large |z| `exp` overflows; the homework
                asks for a stable version.)
            """, """
                Затем перезапустите раздел 2: обе колонки ошибок останутся крошечными. (При больших |z| `exp`
                переполняется; в домашнем задании нужна устойчивая версия.)
            """)),
            (tr("Add swish with $\\alpha = 2$: $z\\,\\sigma(2z)$. Which activation does it approach as $\\alpha$ grows?",
                "Добавьте swish с $\\alpha = 2$: $z\\,\\sigma(2z)$. К какой функции активации она приближается с ростом "
                "$\\alpha$?"), tr("""
                `ACTIVATIONS["swish-2"] = (lambda z: z * torch.sigmoid(2 * z), lambda z: s2 + 2 * z * s2 * (1 - s2))`
                with `s2 = 1 / (1 + np.exp(-2 * z))`. As $\\alpha \\to \\infty$, $\\sigma(\\alpha z)$ becomes a step at 0,
                so swish becomes **ReLU**; at $\\alpha = 0$ it is $z/2$, a line.
            """, """
                `ACTIVATIONS["swish-2"] = (lambda z: z * torch.sigmoid(2 * z), lambda z: s2 + 2 * z * s2 * (1 - s2))`,
                где `s2 = 1 / (1 + np.exp(-2 * z))`. При $\\alpha \\to \\infty$ $\\sigma(\\alpha z)$ превращается в
                ступеньку в нуле, и swish становится **ReLU**; при $\\alpha = 0$ это прямая $z/2$.
            """)),
            (tr("Make the dead-ReLU network train again: can a smaller learning rate revive a dead unit?",
                "Заставьте сеть с мёртвыми нейронами ReLU снова обучаться: может ли меньшая скорость обучения оживить "
                "мёртвый нейрон?"), tr("""
                No. A dead unit's incoming weights get exactly zero gradient (shown above), so no learning rate
                moves them. Only a change elsewhere can revive it: the previous layer keeps learning and may shift
                the unit's input back above 0 for some examples. (Weight decay shrinks the unit's weights and bias
                without a gradient, but shrinking keeps the sign of its input, so on its own it revives nothing.)
                In practice one prevents it: smaller first steps (warm-up), LeakyReLU/GELU, or re-initialising
                dead units.
            """, """
                Нет. Входящие веса мёртвого нейрона получают ровно нулевой градиент (это показано выше), поэтому
                никакая скорость обучения их не сдвинет. Оживить нейрон может только изменение в другом месте:
                предыдущий слой продолжает обучаться и может снова сделать вход нейрона положительным на части
                примеров. (Затухание весов (weight decay) уменьшает веса и смещение нейрона без всякого градиента,
                но при уменьшении знак его входа сохраняется, так что само по себе оно нейрон не оживит.) На
                практике это предотвращают: меньшие первые шаги (warm-up), LeakyReLU/GELU или повторная
                инициализация мёртвых нейронов.
            """)),
        ]),
        homework(5, """
            tanh as an autograd `Function` from `exp`, a module around it, and its gradient flow against the sigmoid's.
        """, """
            tanh как `Function` автоматического дифференцирования через `exp`, модуль на её основе и сравнение
            того, как через неё проходят градиенты, с сигмоидой.
        """),
    ]


if __name__ == "__main__":
    print(f"{FILE}: executed in {write_and_execute(FILE, cells(), RUNTIME_S):.1f} s")

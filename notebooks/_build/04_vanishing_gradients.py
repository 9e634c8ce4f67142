"""Builds notebooks/04_vanishing_gradients.ipynb (and notebooks/ru/): the lecture's "network paralysis" experiment.

The source course's "network paralysis" experiment: 841 inputs (29x29 letters), five hidden sigmoid
layers of 100, 26 outputs; the mean gradient of each layer's weights is 6.2e-8, 2.2e-6, 1.6e-5,
1.1e-4, 7e-4, 0.015 from the first layer to the output. Then why (sigma' <= 1/4), and the cures:
other activations, Xavier/Kaiming initialisation; and the opposite problem, exploding gradients.
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, tr, try_it, volatile, words,
                                      write_and_execute, with_code)

SEEDS = 5  # every comparison below is repeated with this many random initialisations

FILE = "04_vanishing_gradients.ipynb"
RUNTIME_S = 15


# The code of a Try-it answer, the same in both editions.
DEPTH_CODE = """
                ```python
                for depth in range(2, 16):
                    torch.manual_seed(0)
                    g = mean_grads(*make_net(depth, "sigmoid", "xavier"))
                    print(depth, f"{g[-1] / g[0]:.1e}")
                ```"""


def cells():
    return [
        header(4, tr("Vanishing and exploding gradients", "Затухание и взрыв градиентов"), FILE, [
            tr("reproduce the lecture's experiment: mean gradient per layer of a deep sigmoid network",
               "воспроизвести эксперимент лекции: средний градиент каждого слоя глубокой сети с сигмоидой"),
            tr("explain the decay with the chain rule and the bound sigma'(z) <= 1/4",
               "объяснить затухание цепным правилом и оценкой sigma'(z) <= 1/4"),
            tr("compare sigmoid, tanh, ReLU and GELU, and default, Xavier and Kaiming initialisation",
               "сравнить сигмоиду, tanh, ReLU и GELU, а также инициализацию по умолчанию, Ксавье и Кайминга"),
            tr("recognise exploding gradients when the weights are too large",
               "распознать взрыв градиентов при слишком больших весах"),
            tr("see a 'paralysed' network fail to train while a ReLU + Kaiming network learns",
               "увидеть, как «парализованная» сеть не обучается, а сеть с ReLU и инициализацией Кайминга учится"),
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import numpy as np
            import minitorch as torch
            from minitorch import nn
            import minitorch.nn.functional as F
            from minitorch.utils.data import DataLoader, TensorDataset
            from minitorch.vision import datasets
            from minitorch.vision.utils import show_images
            from IPython.display import Markdown, display
        """, f"SEEDS = {SEEDS}   # en: comparisons are repeated over this many random initialisations "
             "# ru: столько раз со случайной инициализацией повторяется каждое сравнение"),
        quiz_cell(),
        md("""
            ## 1. The lecture's experiment: network paralysis

            The lecture trains a network on 29x29 images of letters: **841** inputs, **five hidden layers
            of 100 sigmoid units**, **26** outputs (one per letter), PyTorch's default initialisation. It then
            looks at the mean gradient of each layer's weights:

            | | input [841] | layer -5 | layer -4 | layer -3 | layer -2 | layer -1 | output |
            |---|---|---|---|---|---|---|---|
            | neurons | | 100 | 100 | 100 | 100 | 100 | 26 |
            | grad | | 6.2e-8 | 2.2e-6 | 1.6e-5 | 1.1e-4 | 7e-4 | 0.015 |

            The first layer's gradient is hundreds of thousands of times smaller than the output layer's (the
            code below prints the exact ratio): the first layers hardly learn. We rebuild the experiment.
            `Letters29` draws the 26 capital letters with random rotation, stretch, shift and noise.
        """, """
            ## 1. Эксперимент лекции: паралич сети

            В лекции сеть обучается на изображениях букв 29x29: **841** вход, **пять скрытых слоёв по 100
            сигмоидных нейронов**, **26** выходов (по одному на букву), инициализация PyTorch по умолчанию.
            Затем смотрим на средний градиент весов каждого слоя:

            | | вход [841] | слой -5 | слой -4 | слой -3 | слой -2 | слой -1 | выход |
            |---|---|---|---|---|---|---|---|
            | нейроны | | 100 | 100 | 100 | 100 | 100 | 26 |
            | градиент | | 6.2e-8 | 2.2e-6 | 1.6e-5 | 1.1e-4 | 7e-4 | 0.015 |

            Градиент первого слоя в сотни тысяч раз меньше, чем у выходного (точное отношение напечатает код
            ниже): первые слои почти не обучаются. Повторим эксперимент. `Letters29` рисует 26 заглавных
            букв со случайным поворотом, растяжением, сдвигом и шумом.
        """),
        code("""
            train_set = datasets.Letters29(samples_per_class=40)             # en: 1040 images, 40 of each letter # ru: 1040 изображений, по 40 каждой буквы
            test_set = datasets.Letters29(train=False, samples_per_class=10)  # en: 260 other images # ru: 260 других изображений
            x_train, y_train = train_set.data.view(-1, 841), train_set.targets  # en: flatten 29 x 29 -> 841 # ru: вытягиваем 29 x 29 -> 841
            x_test, y_test = test_set.data.view(-1, 841), test_set.targets
            print(x_train.shape, y_train.shape)
            show_images(train_set.data[:16], titles=[train_set.classes[t] for t in y_train[:16]], ncols=8)
            plt.show()
        """),
        md("""
            One function builds the network for every experiment of this notebook: `depth` hidden layers
            of `width` units, an activation, an initialisation and a factor `scale` on all the weights.
            `'default'` keeps what `nn.Linear` does on its own (weights uniform in
            $\\pm 1/\\sqrt{\\text{fan\\_in}}$).
        """, """
            Одна функция строит сеть для всех экспериментов этого ноутбука: `depth` скрытых слоёв по
            `width` нейронов, функция активации, инициализация и множитель `scale` для всех весов.
            `'default'` оставляет то, что `nn.Linear` делает сам (веса равномерно распределены в
            $\\pm 1/\\sqrt{\\text{fan\\_in}}$).
        """),
        code(words("""
            ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "gelu": nn.GELU}


            def init_weights(linear, init):
                if init == "xavier":     # en: Glorot: keeps the variance of activations AND gradients, for tanh-like units # ru: Глоро: сохраняет дисперсию и активаций, и градиентов для нейронов вроде tanh
                    nn.init.xavier_normal_(linear.weight)
                elif init == "kaiming":  # en: He: variance 2 / fan_in makes up for ReLU zeroing half of the inputs # ru: Хе: дисперсия 2 / fan_in возмещает то, что ReLU обнуляет половину входов
                    nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
                if init != "default":
                    nn.init.zeros_(linear.bias)


            def make_net(depth=5, activation="sigmoid", init="default", scale=1.0, width=100):
                layers, n_in = [], 841
                for _ in range(depth):
                    layers += [nn.Linear(n_in, width), ACTIVATIONS[activation]()]
                    n_in = width
                net = nn.Sequential(*layers, nn.Linear(n_in, 26))
                linears = [m for m in net if isinstance(m, nn.Linear)]
                for linear in linears:
                    init_weights(linear, init)
                    with torch.no_grad():
                        linear.weight.mul_(scale)
                return net, linears


            def mean_grads(net, linears, x=x_train, y=y_train):
                \"\"\"Mean |dLoss/dW| of every Linear layer, from the first to the output, on one batch.\"\"\"
                net.zero_grad()
                F.cross_entropy(net(x), y).backward()
                return np.array([linear.weight.grad.abs().mean().item() for linear in linears])


            net, linears = make_net()
            net
        """, {"Mean |dLoss/dW| of every Linear layer, from the first to the output, on one batch.":
              "Средний |dLoss/dW| каждого слоя Linear, от первого до выходного, на одном батче."})),
        *predict(
            tr("which layer gets the largest gradient - the first, the last, or are they about equal?",
               "у какого слоя градиент больше всего: у первого, у последнего или они примерно равны?"),
            words("""
            torch.manual_seed(0)
            grads = mean_grads(*make_net())
            LECTURE = np.array([6.2e-8, 2.2e-6, 1.6e-5, 1.1e-4, 7e-4, 0.015])
            NAMES = ["layer -5", "layer -4", "layer -3", "layer -2", "layer -1", "output"]
            print(f"{'':10s}{'minitorch':>12s}{'lecture':>12s}")
            for name, ours, theirs in zip(NAMES, grads, LECTURE):
                print(f"{name:10s}{ours:12.1e}{theirs:12.1e}")
            print(f"last / first: {grads[-1] / grads[0]:.1e} (lecture {LECTURE[-1] / LECTURE[0]:.1e})")
            """, {'"layer -5", "layer -4", "layer -3", "layer -2", "layer -1", "output"':
                  '"слой -5", "слой -4", "слой -3", "слой -2", "слой -1", "выход"',
                  "{'lecture':>12s}": "{'лекция':>12s}",
                  '"last / first: ': '"последний / первый: ', "(lecture ": "(в лекции "}),
            [tr("the first layer (nearest the input)", "первый слой (ближайший ко входу)"),
             tr("the output layer", "выходной слой"), tr("about equal", "примерно равны")], 1,
            tr("every layer on the way back multiplies the gradient by a sigmoid derivative (at most 1/4) and "
               "small weights, so the layers nearest the input get the smallest gradients.",
               "каждый слой на обратном пути умножает градиент на производную сигмоиды (не больше 1/4) и на "
               "небольшие веса, поэтому самые маленькие градиенты достаются слоям, ближайшим ко входу.")),
        md("One random initialisation could be a fluke. The same measurement with other seeds:",
           "Одна случайная инициализация может оказаться случайностью. То же измерение с другими зёрнами "
           "генератора (seed):"),
        code(words("""
            per_seed = np.array([(torch.manual_seed(seed), mean_grads(*make_net()))[1] for seed in range(SEEDS)])
            spread = per_seed.std(axis=0) / per_seed.mean(axis=0)
            print(f"over {SEEDS} seeds, mean |grad| per layer:", np.array2string(per_seed.mean(0), precision=1))
            print("relative spread (std / mean) per layer:   ", np.round(spread, 2))
            print(f"last / first: {(per_seed[:, -1] / per_seed[:, 0]).mean():.1e} "
                  f"+- {(per_seed[:, -1] / per_seed[:, 0]).std():.1e}")
            assert np.all(np.diff(per_seed, axis=1) > 0)   # en: the fade towards the input holds for every seed # ru: затухание ко входу есть при каждом зерне
        """, {'"over {SEEDS} seeds, mean |grad| per layer:"': '"по {SEEDS} зёрнам, средний |градиент| по слоям:  "',
              '"relative spread (std / mean) per layer:   "': '"относительный разброс (std / mean) по слоям:"',
              '"last / first: ': '"последний / первый: '})),
        code(words("""
            positions = np.arange(len(NAMES))
            plt.bar(positions - 0.2, per_seed.mean(0), yerr=per_seed.std(0), width=0.4,
                    label=f"minitorch (mean +- std, {SEEDS} seeds)")
            plt.bar(positions + 0.2, LECTURE, width=0.4, label="lecture")
            plt.yscale("log")
            plt.xticks(positions, NAMES)
            plt.ylabel("mean |grad| of the weights")
            plt.title("5 sigmoid layers: gradients fade towards the input")
            plt.legend()
            plt.show()
        """, {"(mean +- std, {SEEDS} seeds)": "(среднее +- std, {SEEDS} зёрен)", '"lecture"': '"лекция"',
              '"mean |grad| of the weights"': '"средний |градиент| весов"',
              '"5 sigmoid layers: gradients fade towards the input"': '"5 слоёв с сигмоидой: градиенты затухают ко входу"'})),
        code("""
            per_layer = per_seed[:, 1:] / per_seed[:, :-1]
        """, tr("""
            display(Markdown(f"Same picture as in the lecture: every layer closer to the input gets a gradient "
                             f"{per_layer.min():.0f} to {per_layer.max():.0f} times smaller (over all {SEEDS} seeds), "
                             f"{(per_seed[:, -1] / per_seed[:, 0]).mean():.0e} times from the output to the first layer. "
                             f"(The exact numbers depend on the data, the loss and the random weights; here: "
                             f"cross-entropy on {len(x_train)} letters, at initialisation.)"))
        """, """
            display(Markdown(f"Та же картина, что в лекции: каждый слой, который ближе ко входу, получает градиент "
                             f"в {per_layer.min():.0f}–{per_layer.max():.0f} раз меньше (по всем {SEEDS} зёрнам), "
                             f"от выхода до первого слоя — в {(per_seed[:, -1] / per_seed[:, 0]).mean():.0e} раз. "
                             f"(Точные числа зависят от данных, функции потерь и случайных весов; здесь: "
                             f"кросс-энтропия на {len(x_train)} буквах, в момент инициализации.)"))
        """), """
            assert np.all(np.diff(grads) > 0)        # en: grows monotonically from the first to the last layer # ru: монотонно растёт от первого слоя к последнему
            assert np.all(per_seed[:, -1] / per_seed[:, 0] > 1e3)   # en: by orders of magnitude, for every seed # ru: на порядки, при каждом зерне
        """),
        md("""
            ## 2. Why: the chain rule multiplies small numbers

            Each layer computes $z_k = \\sigma(z_{k-1} w_k)$. Backpropagation multiplies one factor
            $\\sigma'(\\cdot)\\, w_k$ per layer on the way back to the input:

            $$\\frac{d\\mathcal{L}}{dx} = \\frac{d\\mathcal{L}}{dz_1}\\frac{dz_1}{dx}
              \\le 2 \\cdot \\left(\\frac{1}{4}\\right)^5 w_1 w_2 w_3 w_4 w_5$$

            because the sigmoid's derivative $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ is at most $1/4$.
        """, """
            ## 2. Почему: цепное правило перемножает малые числа

            Каждый слой вычисляет $z_k = \\sigma(z_{k-1} w_k)$. Обратное распространение ошибки на пути ко
            входу добавляет по множителю $\\sigma'(\\cdot)\\, w_k$ на каждый слой:

            $$\\frac{d\\mathcal{L}}{dx} = \\frac{d\\mathcal{L}}{dz_1}\\frac{dz_1}{dx}
              \\le 2 \\cdot \\left(\\frac{1}{4}\\right)^5 w_1 w_2 w_3 w_4 w_5$$

            потому что производная сигмоиды $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ не больше $1/4$.
        """),
        *predict(
            tr("where is $\\sigma'(z)$ largest, and how large? Let autograd answer.",
               "где $\\sigma'(z)$ больше всего и чему она там равна? Пусть ответит autograd."),
            words("""
            z = torch.linspace(-8, 8, 401, requires_grad=True)
            s = torch.sigmoid(z)
            s.sum().backward()                      # en: z.grad[i] = d sigmoid(z_i) / d z_i # ru: z.grad[i] = d sigmoid(z_i) / d z_i
            print(f"max sigma'(z) = {z.grad.max().item():.4f} at z = {z[z.grad.argmax()].item():.1f}")
            plt.plot(z.detach(), s.detach(), label="$\\\\sigma(z)$")
            plt.plot(z.detach(), z.grad, label="$\\\\sigma'(z)$")
            plt.axhline(0.25, color="gray", ls=":", label="1/4")
            plt.legend()
            plt.xlabel("z")
            plt.show()
            """, {":.4f} at z = ": ":.4f} при z = "}),
            [tr("at z = 0, where it is 1/2", "в z = 0, где она равна 1/2"),
             tr("at z = 0, where it is 1/4", "в z = 0, где она равна 1/4"),
             tr("for large z, where it approaches 1", "при больших z, где она стремится к 1")], 1,
            tr("$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ is largest where $\\sigma = 1/2$, at $z = 0$: "
               "$1/2 \\cdot 1/2 = 1/4$. Everywhere else it is smaller, and nearly 0 for $|z| > 5$.",
               "$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ больше всего там, где $\\sigma = 1/2$, то есть при "
               "$z = 0$: $1/2 \\cdot 1/2 = 1/4$. Везде в остальных точках она меньше, а при $|z| > 5$ почти равна 0.")),
        code("""
            assert abs(z.grad.max().item() - 0.25) < 1e-6
            assert torch.allclose(z.grad, s * (1 - s))  # en: the formula above # ru: формула выше
        """),
        md("""
            Compare like with like. **Per layer**, the sigmoid contributes a factor of at most $1/4$ (and the
            default weights, smaller than 1, shrink it further); over **five** layers that is at most
            $(1/4)^5 \\approx 10^{-3}$. The measured per-layer factors and the measured first/last ratio:
        """, """
            Сравнивать нужно сравнимое. **На каждом слое** сигмоида даёт множитель не больше $1/4$ (а веса по
            умолчанию, меньшие 1, уменьшают его ещё сильнее); на **пяти** слоях это не больше
            $(1/4)^5 \\approx 10^{-3}$. Измеренные множители по слоям и измеренное отношение первого слоя к
            последнему:
        """),
        code(words("""
            factor = grads[:-1] / grads[1:]          # en: how much smaller each layer's gradient is than the next one's # ru: во сколько раз градиент слоя меньше, чем у следующего
            print("per-layer factor, each layer / the one after it:", np.round(factor, 3), "  bound: 1/4 = 0.25")
            print(f"over the five hidden layers: first / output = {grads[0] / grads[-1]:.1e},  bound (1/4)^5 = {0.25 ** 5:.1e}")
            assert np.all(factor < 0.25) and grads[0] / grads[-1] < 0.25 ** 5
        """, {'"per-layer factor, each layer / the one after it:"': '"множитель на слой, слой / следующий за ним:"',
              '"  bound: 1/4 = 0.25"': '"  оценка: 1/4 = 0.25"',
              '"over the five hidden layers: first / output = ': '"по пяти скрытым слоям: первый / выходной = ',
              ",  bound (1/4)^5": ",  оценка (1/4)^5"})),
        md("""
            The lecture's conclusions:
            1. the gradient fades exponentially with depth, so learning slows down (first of all in the
               first layers);
            2. small weights make it worse;
            3. large weights can make it grow exponentially instead: training diverges (section 4);
            4. shallow networks hardly notice.

            ## 3. Cures: other activations and a better initialisation

            tanh is centred and its derivative reaches 1; ReLU's derivative is exactly 1 where the unit is
            active; GELU is a smooth ReLU. **Xavier** (Glorot) initialisation draws weights with variance
            $2/(\\text{fan\\_in} + \\text{fan\\_out})$, **Kaiming** (He) with $2/\\text{fan\\_in}$, so that the
            signal keeps its size from layer to layer.
        """, """
            Выводы лекции:
            1. градиент затухает экспоненциально с глубиной, поэтому обучение замедляется (прежде всего
               в первых слоях);
            2. при малых весах этот эффект усиливается;
            3. при больших весах градиент может, наоборот, экспоненциально расти: обучение расходится
               (раздел 4);
            4. у неглубоких сетей эффект почти незаметен.

            ## 3. Лекарства: другие функции активации и лучшая инициализация

            tanh центрирован, и его производная доходит до 1; производная ReLU равна ровно 1 там, где нейрон
            активен; GELU — гладкий вариант ReLU. Инициализация **Ксавье** (Глоро) выбирает веса с
            дисперсией $2/(\\text{fan\\_in} + \\text{fan\\_out})$, инициализация **Кайминга** (Хе) — с
            дисперсией $2/\\text{fan\\_in}$, чтобы сигнал сохранял свой масштаб от слоя к слою.
        """),
        code(words("""
            SETUPS = [("sigmoid", "default"), ("sigmoid", "xavier"), ("tanh", "default"), ("tanh", "xavier"),
                      ("relu", "default"), ("relu", "kaiming"), ("gelu", "default"), ("gelu", "kaiming")]
            results, ratios = {}, {}
            for activation, init in SETUPS:
                runs = []
                for seed in range(SEEDS):
                    torch.manual_seed(seed)
                    runs.append(mean_grads(*make_net(activation=activation, init=init)))
                results[activation, init] = g = np.mean(runs, axis=0)
                ratios[activation, init] = r = np.array([run[-1] / run[0] for run in runs])
                plt.plot(NAMES, g, marker="o", ls="-" if init == "default" else "--", label=f"{activation}, {init}")
                print(f"{activation:8s} {init:8s} first {g[0]:.1e}  last {g[-1]:.1e}  "
                      f"last/first {r.mean():9.1f} +- {r.std():7.1f} ({SEEDS} seeds)")
            plt.yscale("log")
            plt.ylabel("mean |grad|")
            plt.legend(fontsize=7, ncol=2)
            plt.show()
        """, {"first {g[0]": "первый {g[0]", "last {g[-1]": "последний {g[-1]",
              '"last/first {r.mean()': '"посл./перв. {r.mean()', "({SEEDS} seeds)": "({SEEDS} зёрен)",
              'plt.ylabel("mean |grad|")': 'plt.ylabel("средний |градиент|")'})),
        code("""
            sigmoid = np.concatenate([ratios["sigmoid", init] for init in ("default", "xavier")])
            others = np.concatenate([r for (activation, _), r in ratios.items() if activation != "sigmoid"])
            lift = {activation: results[activation, init][0] / results[activation, "default"][0]
                    for activation, init in SETUPS if init != "default"}   # en: first-layer gradient, tuned init / default # ru: градиент первого слоя: подобранная инициализация / по умолчанию
            relu = ratios["relu", "kaiming"]
        """, tr("""
            display(Markdown(
                f"The sigmoid keeps its factor of at most 1/4 per layer whatever the initialisation: last/first is "
                f"at least {sigmoid.min():,.0f} in every run, with either initialisation. tanh, ReLU and GELU bring it "
                f"down to at most {others.max():.0f}, and Xavier / Kaiming also lift the first layer's gradient "
                f"itself, {min(lift.values()):.0f} to {max(lift.values()):.0f} times over the default. "
                f"The spread over seeds is small next to these differences: ReLU + Kaiming stays between "
                f"{relu.min():.2f} and {relu.max():.2f} over {SEEDS} seeds, so the ranking is not luck."))
        """, """
            display(Markdown(
                f"Сигмоида при любой инициализации сохраняет свой множитель не больше 1/4 на слой: отношение "
                f"последнего слоя к первому не меньше {sigmoid.min():.0f} в каждом запуске, с обеими "
                f"инициализациями. tanh, ReLU и GELU снижают его до {others.max():.0f} и меньше, а Ксавье и Кайминг "
                f"ещё и поднимают сам градиент первого слоя — в {min(lift.values()):.0f}–{max(lift.values()):.0f} "
                f"раз по сравнению с инициализацией по умолчанию. Разброс по зёрнам мал рядом с этими различиями: "
                f"у ReLU с инициализацией Кайминга отношение лежит между {relu.min():.2f} и {relu.max():.2f} по "
                f"{SEEDS} зёрнам, так что порядок не случаен."))
        """), """
            assert sigmoid.min() > 1e3 and others.max() < 1e2 and min(lift.values()) > 10
            assert np.all((1e-2 < relu) & (relu < 1e2))                           # en: within ~2 orders, every seed # ru: в пределах ~2 порядков при каждом зерне
            assert ratios["sigmoid", "default"].min() > 1e3 * relu.max()          # en: the least faded sigmoid run vs the most faded ReLU run # ru: наименее затухший запуск с сигмоидой против наиболее затухшего с ReLU
        """),
        md("""
            ## 4. Exploding gradients: weights too large

            Take a deep ReLU network (10 hidden layers) with Kaiming initialisation and multiply all the
            weights by a factor. Each layer multiplies the signal (forward) and the gradient (backward) by
            about that factor.
        """, """
            ## 4. Взрыв градиентов: слишком большие веса

            Возьмём глубокую сеть с ReLU (10 скрытых слоёв) и инициализацией Кайминга и умножим все веса на
            один множитель. Каждый слой умножает сигнал (на прямом проходе) и градиент (на обратном) примерно
            на этот множитель.
        """),
        *predict(
            tr("with weights twice as large as Kaiming's, how much larger do the gradients get in 10 layers?",
               "во сколько раз вырастут градиенты в 10 слоях, если веса вдвое больше, чем у Кайминга?"),
            words("""
            scales = [0.5, 0.75, 1.0, 1.5, 2.0]
            exploding = {}
            for scale in scales:
                torch.manual_seed(0)
                exploding[scale] = g = mean_grads(*make_net(depth=10, activation="relu", init="kaiming", scale=scale))
                plt.plot(g, marker="o", label=f"scale {scale}")
            plt.yscale("log")
            plt.xlabel("layer (0 = first)")
            plt.ylabel("mean |grad|")
            plt.legend()
            plt.show()
            for scale in scales:
                print(f"scale {scale:4}: first layer {exploding[scale][0]:.1e}")
            """, {'f"scale {scale}"': 'f"множитель {scale}"', '"layer (0 = first)"': '"слой (0 = первый)"',
                  '"mean |grad|"': '"средний |градиент|"',
                  '"scale {scale:4}: first layer ': '"множитель {scale:4}: первый слой '}),
            [tr("about 2x: the same factor as the weights", "примерно в 2 раза: как и веса"),
             tr("about 20x: a factor 2 per layer, added up", "примерно в 20 раз: по множителю 2 на слой, сложенные"),
             tr("thousands of times: a factor 2 per layer, multiplied",
                "в тысячи раз: по множителю 2 на слой, перемноженные")], 2,
            tr("backpropagation multiplies one factor per layer, so doubling every weight multiplies the first "
               "layer's gradient by 2 for each of the 10 weight matrices it passes on the way back, $2^{10}$ = 1024, "
               "and the loss adds a factor of its own. The measurement below splits the two.",
               "обратное распространение перемножает по множителю на слой, поэтому удвоение всех весов умножает "
               "градиент первого слоя на 2 за каждую из 10 матриц весов на обратном пути, $2^{10}$ = 1024, "
               "и ещё свой множитель добавляет функция потерь. Измерение ниже разделяет эти два вклада.")),
        md("""
            Why exactly $2^{10}$, and what else? Kaiming initialisation sets the biases to zero, and a ReLU
            network without biases is *linear in the scale of its weights*: $\\text{ReLU}(sz) = s\\,\\text{ReLU}(z)$
            for $s > 0$, so with every weight times $s$ the same units are active and the output is $s^{11}$
            times larger. On the way back, the first layer's gradient passes through the other 10 weight
            matrices: a factor $s^{10}$. The only other thing that changes is the softmax of the loss: outputs
            $2^{11}$ times larger make it sure of one class. Over all seeds:
        """, """
            Почему именно $2^{10}$ и что ещё? Инициализация Кайминга обнуляет смещения (bias), а сеть с ReLU без
            смещений *линейна по масштабу своих весов*: $\\text{ReLU}(sz) = s\\,\\text{ReLU}(z)$ при $s > 0$,
            поэтому, если умножить все веса на $s$, активны те же нейроны, а выход больше в $s^{11}$ раз. На
            обратном пути градиент первого слоя проходит через остальные 10 матриц весов: множитель $s^{10}$.
            Кроме этого меняется только softmax в функции потерь: выходы, выросшие в $2^{11}$ раз, делают его
            уверенным в одном классе. По всем зёрнам:
        """),
        code("""
            up, down, confidence = [], [], {0.5: [], 1.0: [], 2.0: []}
            for seed in range(SEEDS):
                first = {}
                for scale in confidence:
                    torch.manual_seed(seed)
                    net, linears = make_net(depth=10, activation="relu", init="kaiming", scale=scale)
                    first[scale] = mean_grads(net, linears)[0]
                    with torch.no_grad():     # en: the softmax's largest probability, averaged over the examples # ru: наибольшая вероятность softmax, в среднем по примерам
                        confidence[scale].append(F.softmax(net(x_train), dim=1).max(dim=1).values.mean().item())
                up.append(first[2.0] / first[1.0])
                down.append(first[1.0] / first[0.5])
            up, down = np.array(up), np.array(down)
        """, tr("""
            print(f"scale 2 / scale 1:   first-layer gradient x {up.mean():,.0f} +- {up.std():,.0f} "
                  f"(min {up.min():,.0f}, max {up.max():,.0f}); / 2^10 = {up.mean() / 2 ** 10:.1f}")
            print(f"scale 1 / scale 0.5: first-layer gradient x {down.mean():,.0f} +- {down.std():,.0f} "
                  f"(min {down.min():,.0f}, max {down.max():,.0f}); / 2^10 = {down.mean() / 2 ** 10:.1f}")
            print("largest softmax probability, mean over examples and seeds:",
                  {scale: round(float(np.mean(c)), 3) for scale, c in confidence.items()})
        """, """
            print(f"множитель 2 / множитель 1:   градиент первого слоя x {up.mean():.0f} +- {up.std():.0f} "
                  f"(мин. {up.min():.0f}, макс. {up.max():.0f}); / 2^10 = {up.mean() / 2 ** 10:.1f}")
            print(f"множитель 1 / множитель 0.5: градиент первого слоя x {down.mean():.0f} +- {down.std():.0f} "
                  f"(мин. {down.min():.0f}, макс. {down.max():.0f}); / 2^10 = {down.mean() / 2 ** 10:.1f}")
            print("наибольшая вероятность softmax, в среднем по примерам и зёрнам:",
                  {scale: round(float(np.mean(c)), 3) for scale, c in confidence.items()})
        """), """
            assert np.all(up > 2 ** 10) and np.all(down > 2 ** 10)   # en: at least the 10 matrices' factor, every seed # ru: не меньше множителя 10 матриц при каждом зерне
        """),
        code(words("""
            def first_losses(scale, seed, steps=3):
                \"\"\"The training loss of the first ``steps`` SGD steps of the 10-layer ReLU network.\"\"\"
                torch.manual_seed(seed)
                net, _ = make_net(depth=10, activation="relu", init="kaiming", scale=scale)
                optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
                losses = []
                for _ in range(steps):
                    optimizer.zero_grad()
                    loss = F.cross_entropy(net(x_train[:256]), y_train[:256])
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.item())
                return losses


            blowup = np.array([first_losses(2.0, seed) for seed in range(SEEDS)])
            calm = np.array([first_losses(1.0, seed) for seed in range(SEEDS)])
        """, {"The training loss of the first ``steps`` SGD steps of the 10-layer ReLU network.":
              "Потери на обучении за первые ``steps`` шагов SGD у сети из 10 слоёв с ReLU."}), tr("""
            print("scale 1, loss of steps 1-3, mean over seeds:", np.round(calm.mean(0), 2))
            for seed, losses in enumerate(blowup):
                print(f"scale 2, seed {seed}, loss of steps 1-3:", losses)
        """, """
            print("множитель 1, потери на шагах 1-3, среднее по зёрнам:", np.round(calm.mean(0), 2))
            for seed, losses in enumerate(blowup):
                print(f"множитель 2, зерно {seed}, потери на шагах 1-3:", losses)
        """), """
            assert np.all(calm < 5) and np.all(~(blowup[:, -1] < 1e6))   # en: NaN or huge after 3 steps, every seed # ru: NaN или огромные потери через 3 шага при каждом зерне
        """),
        code(tr("""
            display(Markdown(
                f"So doubling the weights makes the first layer's gradient **{up.mean():,.0f} +- {up.std():,.0f}** "
                f"times larger over {SEEDS} seeds: $2^{{10}}$ = {2 ** 10:,} from the ten matrices, times "
                f"{up.mean() / 2 ** 10:.1f} on average from the softmax, which goes from a largest probability of "
                f"{np.mean(confidence[1.0]):.2f} to {np.mean(confidence[2.0]):.2f} and so changes the error $p - y$ "
                f"every example sends back. Training with such gradients diverges: the loss, "
                f"{calm[:, 0].mean():.2f} at scale 1, starts near {blowup[:, 0].mean():,.0f} at scale 2 and is huge or "
                f"NaN after three steps. Halving the weights makes it **{down.mean():,.0f}** times smaller: "
                f"vanishing again."))
        """, """
            display(Markdown(
                f"Итак, удвоение весов делает градиент первого слоя в **{up.mean():.0f} +- {up.std():.0f}** "
                f"раз больше по {SEEDS} зёрнам: $2^{{10}}$ = {2 ** 10:d} дают десять матриц, и ещё в среднем в "
                f"{up.mean() / 2 ** 10:.1f} раза — softmax, наибольшая вероятность которого растёт с "
                f"{np.mean(confidence[1.0]):.2f} до {np.mean(confidence[2.0]):.2f}, а с ней меняется и ошибка "
                f"$p - y$, которую каждый пример отправляет назад. Обучение с такими градиентами расходится: потери, "
                f"{calm[:, 0].mean():.2f} при множителе 1, при множителе 2 начинаются около "
                f"{blowup[:, 0].mean():.0f} и через три шага огромны или равны NaN. Если же уменьшить веса вдвое, "
                f"градиент станет в **{down.mean():.0f}** раз меньше: снова затухание."))
        """)),
        md("""
            ## 5. Does it matter? Train both networks

            Same data, same optimiser (SGD with momentum, 6 epochs): the lecture's sigmoid network and the
            ReLU + Kaiming one. Besides the test accuracy we record how far each layer's weights moved:
            $\\lVert W_\\text{after} - W_\\text{before} \\rVert / \\lVert W_\\text{before} \\rVert$.
        """, """
            ## 5. Важно ли это? Обучим обе сети

            Те же данные, тот же оптимизатор (SGD с моментом, 6 эпох): сеть лекции с сигмоидой и сеть с ReLU и
            инициализацией Кайминга. Кроме точности (accuracy) на тестовой выборке запишем, насколько сдвинулись
            веса каждого слоя: $\\lVert W_\\text{после} - W_\\text{до} \\rVert / \\lVert W_\\text{до} \\rVert$.
        """),
        code(words("""
            def train(activation, init, seed, epochs=6, lr=0.05):
                \"\"\"Test accuracy after each epoch, and how far each layer's weights moved (relative to their size).\"\"\"
                torch.manual_seed(seed)
                net, linears = make_net(activation=activation, init=init)
                before = [linear.weight.detach().clone() for linear in linears]
                optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
                loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
                accuracy = []
                for epoch in range(epochs):
                    for xb, yb in loader:
                        optimizer.zero_grad()
                        F.cross_entropy(net(xb), yb).backward()
                        optimizer.step()
                    with torch.no_grad():
                        accuracy.append((net(x_test).argmax(1) == y_test).float().mean().item())
                moved = [((linear.weight.detach() - w).norm() / w.norm()).item() for linear, w in zip(linears, before)]
                return accuracy, moved


            SETTINGS = {"sigmoid, default": ("sigmoid", "default"), "relu, kaiming": ("relu", "kaiming")}
            runs = {name: [train(activation, init, seed) for seed in range(SEEDS)] for name, (activation, init) in SETTINGS.items()}
            curves = {name: np.array([accuracy for accuracy, _ in rs]) for name, rs in runs.items()}   # en: (seeds, epochs) # ru: (зёрна, эпохи)
            moved = {name: np.array([m for _, m in rs]) for name, rs in runs.items()}                  # en: (seeds, layers) # ru: (зёрна, слои)
            for name, accuracy in curves.items():
                mean, std = accuracy.mean(0), accuracy.std(0)
                plt.plot(range(1, 7), mean, marker="o", label=name)
                plt.fill_between(range(1, 7), mean - std, mean + std, alpha=0.3)
                print(f"{name}: test accuracy {mean[-1]:.2f} +- {std[-1]:.2f} "
                      f"(min {accuracy[:, -1].min():.2f}, max {accuracy[:, -1].max():.2f}, {SEEDS} seeds); "
                      f"weights moved per layer: {np.round(moved[name].mean(0), 4)}")
            plt.title(f"mean +- std over {SEEDS} seeds")
            plt.axhline(1 / 26, color="gray", ls=":", label="chance (1/26)")
            plt.xlabel("epoch")
            plt.ylabel("test accuracy")
            plt.legend()
            plt.show()
        """, {"Test accuracy after each epoch, and how far each layer's weights moved (relative to their size).":
              "Точность на тесте после каждой эпохи и то, насколько сдвинулись веса каждого слоя (относительно их величины).",
              ": test accuracy {mean[-1]": ": точность на тесте {mean[-1]", "(min {accuracy": "(мин. {accuracy",
              ", max {accuracy": ", макс. {accuracy", "{SEEDS} seeds); ": "{SEEDS} зёрен); ",
              '"weights moved per layer: ': '"сдвиг весов по слоям: ', '"mean +- std over {SEEDS} seeds"':
              '"среднее +- std по {SEEDS} зёрнам"', '"chance (1/26)"': '"случайное угадывание (1/26)"',
              '"epoch"': '"эпоха"', 'plt.ylabel("test accuracy")': 'plt.ylabel("точность на тесте")'})),
        code("""
            sigmoid, relu = curves["sigmoid, default"][:, -1], curves["relu, kaiming"][:, -1]
            first_moved = {name: m[:, 0] for name, m in moved.items()}   # en: the first layer, every seed # ru: первый слой, каждое зерно
        """, tr("""
            display(Markdown(
                f"The sigmoid network is **paralysed**: its test accuracy is {sigmoid.mean():.3f} +- {sigmoid.std():.3f}, "
                f"chance being 1/26 = {1 / 26:.3f}, and in 6 epochs its first layer's weights moved by "
                f"{first_moved['sigmoid, default'].mean():.2%} of their size. The ReLU + Kaiming network moved its "
                f"first layer by {first_moved['relu, kaiming'].mean():.0%} and learns to read the letters: "
                f"{relu.mean():.2f} +- {relu.std():.2f} (lowest of {SEEDS} seeds: {relu.min():.2f})."))
        """, """
            display(Markdown(
                f"Сеть с сигмоидой **парализована**: её точность на тесте {sigmoid.mean():.3f} +- {sigmoid.std():.3f} "
                f"при случайном угадывании 1/26 = {1 / 26:.3f}, а веса её первого слоя за 6 эпох сдвинулись на "
                f"{first_moved['sigmoid, default'].mean():.2%} своей величины. Сеть с ReLU и инициализацией "
                f"Кайминга сдвинула первый слой на {first_moved['relu, kaiming'].mean():.0%} и учится читать "
                f"буквы: {relu.mean():.2f} +- {relu.std():.2f} (худшее из {SEEDS} зёрен: {relu.min():.2f})."))
        """), """
            assert sigmoid.max() < 0.1 and relu.min() > 0.4                 # en: every sigmoid seed near chance, every ReLU seed learns # ru: каждое зерно с сигмоидой около случайного уровня, каждое с ReLU учится
            assert first_moved["sigmoid, default"].max() < 0.01 < 0.1 < first_moved["relu, kaiming"].min()
        """),
        md("""
            ## 6. Explore

            Change the depth, the activation, the initialisation and the weight scale and watch the
            gradients. (Without a widget frontend the cell below shows the default setting.)
        """, """
            ## 6. Исследуйте

            Меняйте глубину, функцию активации, инициализацию и масштаб весов и следите за градиентами.
            (Без поддержки виджетов ячейка ниже показывает настройку по умолчанию.)
        """),
        code(words("""
            def explore(depth=5, activation="sigmoid", init="default", scale=1.0):
                torch.manual_seed(0)
                g = mean_grads(*make_net(depth, activation, init, scale))
                plt.bar(range(len(g)), g)
                plt.yscale("log")
                plt.xlabel("layer (0 = first)")
                plt.ylabel("mean |grad|")
                plt.title(f"{depth} x {activation}, {init} init, scale {scale}: last/first = {g[-1] / g[0]:.1e}")
                plt.show()


            explore()
        """, {'"layer (0 = first)"': '"слой (0 = первый)"', '"mean |grad|"': '"средний |градиент|"',
              "{init} init, scale {scale}: last/first": "иниц. {init}, множитель {scale}: посл./перв."})),
        code(volatile("the sliders' picture is redrawn by the widget, which a re-run outside a browser does not replay"),
             words("""
            try:
                from ipywidgets import interact
                interact(explore, depth=(1, 20), activation=list(ACTIVATIONS), init=["default", "xavier", "kaiming"],
                         scale=(0.25, 2.5, 0.25))
            except ImportError:
                print("pip install ipywidgets to get the sliders")
        """, {'"pip install ipywidgets to get the sliders"': '"установите ipywidgets (pip install ipywidgets), чтобы появились ползунки"'})),
        *try_it([
            (tr("How deep can a sigmoid network with Xavier initialisation get before last/first exceeds $10^6$?",
                "Насколько глубокой может быть сеть с сигмоидой и инициализацией Ксавье, прежде чем отношение "
                "последнего слоя к первому превысит $10^6$?"), with_code(DEPTH_CODE, """
                The ratio grows by roughly a constant factor per layer (a straight line on a log scale), so it
                passes $10^6$ after about twice the depth that passes $10^3$; run it to read off the depth.
            """, """
                Отношение растёт примерно в одно и то же число раз на каждый слой (прямая в логарифмическом
                масштабе), поэтому $10^6$ оно превышает примерно на вдвое большей глубине, чем $10^3$; запустите
                код и прочтите глубину.
            """)),
            (tr("With ReLU + Kaiming at depth 20, what does a weight scale of 0.75 or 1.25 do to the gradients: "
                "to their size, and to the last/first ratio?",
                "Что делает с градиентами сети глубины 20 с ReLU и инициализацией Кайминга множитель весов 0.75 "
                "или 1.25: с их величиной и с отношением последнего слоя к первому?"), tr("""
                Compare `explore(20, "relu", "kaiming", s)` for s in 0.75, 1, 1.25. The biases are zero, so (as in
                section 4) the network is linear in the scale of its weights: every layer's gradient is multiplied
                by about the same power of $s$, and last/first changes little. What changes is the size of all the
                gradients at once: the first layer's gradient passes back through 20 matrices, a factor $s^{20}$
                (about $3 \\cdot 10^{-3}$ for 0.75, $87$ for 1.25), times the softmax's own factor. Only the scale
                Kaiming chose, 1, keeps the signal and the gradients at a usable size through 20 layers.
            """, """
                Сравните `explore(20, "relu", "kaiming", s)` при s, равном 0.75, 1 и 1.25. Смещения нулевые, поэтому
                (как в разделе 4) сеть линейна по масштабу весов: градиент каждого слоя умножается примерно на одну
                и ту же степень $s$, и отношение последнего слоя к первому почти не меняется. Меняется величина всех
                градиентов сразу: градиент первого слоя проходит назад через 20 матриц — множитель $s^{20}$
                (около $3 \\cdot 10^{-3}$ при 0.75 и $87$ при 1.25), и ещё свой множитель даёт softmax. Только
                масштаб, выбранный Каймингом, 1, сохраняет сигнал и градиенты пригодной величины на 20 слоях.
            """)),
            (tr("Replace the cross-entropy by the lecture's $\\frac{1}{2}(y - t)^2$ on sigmoid outputs (`F.one_hot(y, 26)`).",
                "Замените кросс-энтропию функцией потерь из лекции $\\frac{1}{2}(y - t)^2$ на выходах сигмоиды "
                "(`F.one_hot(y, 26)`)."), tr("""
                In `mean_grads` use `loss = 0.5 * ((torch.sigmoid(net(x)) - F.one_hot(y, 26).float()) ** 2).sum(1).mean()`.
                Expect the same fade towards the input: the five hidden sigmoids (each at most 1/4) are still on
                the way back. The raw values differ from the cross-entropy ones (this loss adds up 26 squared
                errors per example and has a sigmoid of its own on the output), so compare the per-layer ratios,
                `g[1:] / g[:-1]`: each hidden layer still gets a gradient several times smaller than the next.
            """, """
                В `mean_grads` возьмите `loss = 0.5 * ((torch.sigmoid(net(x)) - F.one_hot(y, 26).float()) ** 2).sum(1).mean()`.
                Затухание ко входу останется: на обратном пути по-прежнему пять скрытых сигмоид (каждая даёт не
                больше 1/4). Сами значения будут другими, чем с кросс-энтропией (эта функция потерь складывает 26
                квадратов ошибок на пример, и на выходе у неё своя сигмоида), поэтому сравнивайте отношения по
                слоям, `g[1:] / g[:-1]`: каждый скрытый слой по-прежнему получает градиент в несколько раз меньше,
                чем следующий.
            """)),
        ]),
        homework(4, """
            write tanh as an autograd `Function` and compare its gradient flow with the sigmoid's.
        """, """
            напишите tanh как `Function` автоматического дифференцирования и сравните, как через него проходят
            градиенты, с сигмоидой.
        """),
    ]


if __name__ == "__main__":
    print(f"{FILE}: executed in {write_and_execute(FILE, cells(), RUNTIME_S):.1f} s")

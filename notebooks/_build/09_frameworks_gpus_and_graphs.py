"""Builds notebooks/09_frameworks_gpus_and_graphs.ipynb and its Russian edition notebooks/ru/...: static vs dynamic graphs, fusion, GPUs, data parallelism.

Follows the source course's framework lectures: why frameworks, dataflow graphs, fusion, TF1
sessions/placeholders/Variables and optimizer.minimize, static vs dynamic control flow with cond and
foldl, JAX; CPU vs GPU, the TF1 two-layer net and its PyTorch version; the 5000x5000 matmul timing and
cuDNN flags; the framework overview (Keras and other fixed-module frameworks, sklearn's MLPClassifier
and gradient boosting, TensorBoard, distribution strategies: parameter server, mirrored / all-reduce).
The H100 table is read from benchmarks/GPU_RESULTS.md when the notebook is built.
"""

import re
import textwrap

import nbformat

from notebooks._build.common import (REPO, code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell,
                                     tr, try_it, volatile, with_code, words)

FILE = "09_frameworks_gpus_and_graphs.ipynb"
RUNTIME_S = 20
SEEDS = 5  # sections 6 (data-parallel strategies) and 7 (baselines) compare over this many seeds


# The words of benchmarks/GPU_RESULTS.md's tables in the Russian edition (numbers and names stay as measured).
GPU_RESULTS_RU = [
    ("Small arrays are launch-bound (a few microseconds of Python + kernel launch per op); large ones are "
     "bandwidth-bound.", "Маленькие массивы упираются в запуск (несколько микросекунд Python и запуска ядра на "
     "операцию); большие — в пропускную способность памяти."),
    ("One training step (forward, cross-entropy, backward, SGD with momentum), batch 256",
     "Один шаг обучения (прямой проход, перекрёстная энтропия, обратный проход, SGD с моментом), батч 256"),
    ("Matrix product", "Произведение матриц"), ("float32 unless noted", "float32, если не указано иное"),
    ("Elementwise", "Поэлементно"), ("forward + backward", "прямой + обратный проход"),
    ("TF32 allowed, torch's default", "TF32 разрешён, по умолчанию в torch"), ("speed-up vs CPU", "ускорение относительно CPU"),
    ("speed-up", "ускорение"), ("| device |", "| устройство |"), ("| elements |", "| элементов |"), ("| path |", "| путь |"),
    ("| model |", "| модель |"), ("raw CuPy", "чистый CuPy"), ("logical cores", "логических ядер"), ("date:", "дата:"),
    (" ms |", " мс |"),
]


def gpu_results():
    """The measurements of benchmarks/GPU_RESULTS.md (machine description and tables), as markdown, with
    the table words in the edition's language."""
    text = (REPO / "benchmarks" / "GPU_RESULTS.md").read_text()
    body = text[text.index("- GPU:"):text.index("## Reading the numbers")].strip()
    for english, russian in GPU_RESULTS_RU:
        body = body.replace(english, tr(english, russian))
    return re.sub(r"^## (.*)$", r"**\1**", body, flags=re.M)


def md_pieces(*pieces):
    """One markdown cell from several pieces, each dedented on its own (a table read from a file
    has no indentation, the builder's text has)."""
    return nbformat.v4.new_markdown_cell("\n\n".join(textwrap.dedent(p).strip() for p in pieces))


def fill(source, **texts):
    """``source`` with each ``@name@`` replaced by ``texts[name]``: words of the edition in code full of braces
    (where an f-string would need every brace doubled)."""
    for name, text in texts.items():
        source = source.replace(f"@{name}@", text)
    return source


# The source lecture's TensorFlow 1 program, quoted in both editions.
TF1_CODE = """            ```python
            N, D, H = 64, 1000, 100
            x = tf.placeholder(tf.float32, shape=(N, D))
            y = tf.placeholder(tf.float32, shape=(N, D))
            w1 = tf.placeholder(tf.float32, shape=(D, H))
            w2 = tf.placeholder(tf.float32, shape=(H, D))
            h = tf.maximum(tf.matmul(x, w1), 0)
            y_pred = tf.matmul(h, w2)
            diff = y_pred - y
            loss = tf.reduce_mean(tf.reduce_sum(diff ** 2, axis=1))
            grad_w1, grad_w2 = tf.gradients(loss, [w1, w2])

            with tf.Session() as sess:
                values = {x: np.random.randn(N, D), w1: np.random.randn(D, H),
                          w2: np.random.randn(H, D), y: np.random.randn(N, D)}
                learning_rate = 1e-5
                for t in range(50):
                    loss_val, grad_w1_val, grad_w2_val = sess.run([loss, grad_w1, grad_w2], feed_dict=values)
                    values[w1] -= learning_rate * grad_w1_val
                    values[w2] -= learning_rate * grad_w2_val
            ```"""


def landscape():
    """Section 7: the framework landscape (fixed modules, TF1 Variables and minimize, TensorBoard, scikit-learn)."""
    return [
        md("""
            ## 7. The framework landscape

            The source course sorts deep-learning frameworks into three families:

            | family | you write | examples |
            | --- | --- | --- |
            | **fixed modules** | a list of layers from a menu, a loss and an optimizer by name; the library trains | Caffe (layers in a config file), Keras's `Sequential` |
            | **static graphs** | a graph of operations, run later by a session | TensorFlow 1, Theano |
            | **dynamic graphs** | ordinary code; the graph is recorded as it runs | PyTorch, Chainer, TensorFlow 2 eager, JAX (functional) |

            Caffe described a network layer by layer in a text file and was driven from the command line:

            ```
            layer { name: "fc1"  type: "InnerProduct"  bottom: "data"  top: "fc1"  inner_product_param { num_output: 128 } }
            layer { name: "relu1"  type: "ReLU"  bottom: "fc1"  top: "fc1" }
            ```

            Keras (the lecture's example, abridged) reads like a recipe: `Sequential()`, `model.add(Dense(...))`,
            `model.compile(loss=..., optimizer=..., metrics=['accuracy'])`, `model.fit(x, y, epochs=...)`.
            "Fixed modules" means exactly this: quick and safe as long as what you need is on the menu. Here is
            such an API in 50 lines **on top of minitorch**, so you can see that `fit` is the training loop of
            lecture 8, written once for you.
        """, """
            ## 7. Обзор фреймворков

            Исходный курс делит фреймворки глубокого обучения на три семейства:

            | семейство | что пишете вы | примеры |
            | --- | --- | --- |
            | **фиксированные модули** | список слоёв из меню, функцию потерь и оптимизатор по имени; обучает библиотека | Caffe (слои в файле конфигурации), `Sequential` в Keras |
            | **статические графы** | граф операций, который потом запускает сессия | TensorFlow 1, Theano |
            | **динамические графы** | обычный код; граф записывается по ходу выполнения | PyTorch, Chainer, TensorFlow 2 eager, JAX (функциональный) |

            Caffe описывал сеть слой за слоем в текстовом файле и управлялся из командной строки:

            ```
            layer { name: "fc1"  type: "InnerProduct"  bottom: "data"  top: "fc1"  inner_product_param { num_output: 128 } }
            layer { name: "relu1"  type: "ReLU"  bottom: "fc1"  top: "fc1" }
            ```

            Keras (пример из лекции, в сокращении) читается как рецепт: `Sequential()`, `model.add(Dense(...))`,
            `model.compile(loss=..., optimizer=..., metrics=['accuracy'])`, `model.fit(x, y, epochs=...)`.
            «Фиксированные модули» означают ровно это: быстро и надёжно, пока то, что вам нужно, есть в меню. Вот
            такой API в 50 строк **поверх minitorch**, чтобы было видно, что `fit` — это цикл обучения из лекции 8,
            написанный за вас один раз.
        """),
        code(fill("""
            class Dense:
                \"\"\"@dense@\"\"\"

                def __init__(self, units, activation=None):
                    self.units, self.activation = units, activation


            class Sequential:
                \"\"\"@sequential@\"\"\"

                ACTIVATIONS = {None: nn.Identity, "relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
                LOSSES = {"sparse_categorical_crossentropy": F.cross_entropy, "mse": F.mse_loss}
                OPTIMIZERS = {"sgd": lambda params: optim.SGD(params, lr=0.1),
                              "adam": lambda params: optim.Adam(params, lr=1e-3)}

                def __init__(self, layers=()):
                    self.layers, self.net = list(layers), None

                def add(self, layer):
                    self.layers.append(layer)

                def compile(self, loss, optimizer, metrics=()):
                    self.loss = self.LOSSES[loss]
                    self.make_optimizer = self.OPTIMIZERS.get(optimizer, optimizer)   # en: a name, or your own function # ru: имя или ваша собственная функция
                    self.metrics = list(metrics)

                def build(self, n_inputs):                   # en: turn the menu choices into minitorch modules # ru: превращаем выбор из меню в модули minitorch
                    modules = []
                    for layer in self.layers:
                        modules += [nn.Linear(n_inputs, layer.units), self.ACTIVATIONS[layer.activation]()]
                        n_inputs = layer.units
                    self.net = nn.Sequential(*modules)
                    self.optimizer = self.make_optimizer(self.net.parameters())

                def fit(self, x, y, epochs=1, batch_size=32, log=None, run="run"):
                    if self.net is None:
                        self.build(x.shape[1])
                    history = {"loss": [], **{m: [] for m in self.metrics}}
                    for epoch in range(epochs):
                        order, total = torch.randperm(len(x)), 0.0
                        for i in range(0, len(x), batch_size):   # en: lecture 8's loop, written once for everybody # ru: цикл из лекции 8, написанный один раз для всех
                            batch = order[i:i + batch_size]
                            self.optimizer.zero_grad()
                            loss = self.loss(self.net(x[batch]), y[batch])
                            loss.backward()
                            self.optimizer.step()
                            total += loss.item() * len(batch)
                            if log is not None:
                                log.add_scalar(f"{run}/loss", loss.item(), epoch * len(x) + i)
                        history["loss"].append(total / len(x))
                        if "accuracy" in self.metrics:
                            history["accuracy"].append(self.evaluate(x, y))
                    return history

                def evaluate(self, x, y):
                    with torch.no_grad():
                        return (self.net(x).argmax(dim=1) == y).float().mean().item()
        """, dense=tr("""A Keras-style layer: a number of units and an activation. The input size is not given:
                the model finds it when it first sees data.""", """Слой в стиле Keras: число нейронов и функция активации. Размер входа не задаётся:
                    модель узнаёт его, когда впервые видит данные."""),
            sequential=tr("""A fixed-module model: layers from a menu, loss and optimizer chosen by name in `compile`,
                and a training loop (`fit`) that you never write.""", """Модель из фиксированных модулей: слои из меню, функция потерь и оптимизатор выбираются по имени
                в `compile`, а цикл обучения (`fit`) вы никогда не пишете."""))),
        code("""
            digits, digits_test = datasets.MNIST5k(train=True), datasets.MNIST5k(train=False)
            x_digits, y_digits = digits.data.float().view(-1, 784) / 255, digits.targets
            x_digits_test, y_digits_test = digits_test.data.float().view(-1, 784) / 255, digits_test.targets

            torch.manual_seed(0)
            model = Sequential()
            model.add(Dense(128, activation="relu"))
            model.add(Dense(10))
            model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
            history = model.fit(x_digits, y_digits, epochs=3, batch_size=64)
            print({k: [round(v, 3) for v in vs] for k, vs in history.items()})
        """, f"""
            print(f"{tr('test accuracy', 'точность на тесте')}: {{model.evaluate(x_digits_test, y_digits_test):.3f}}")
            print(model.net)          # en: underneath: ordinary minitorch modules # ru: внутри — обычные модули minitorch
        """, """
            assert model.evaluate(x_digits_test, y_digits_test) > 0.85
        """),
        md("""
            What the menu cannot express (a layer that is used twice, a loss that looks at a hidden layer, a loop
            whose length depends on the data) needs the framework's lower level: which is why Keras grew a
            functional API and custom layers, and why research moved to dynamic graphs.

            ### TensorFlow 1: state in the graph (`Variable`) and `optimizer.minimize`

            Section 2 fed the weights in and out of the graph at every step. TensorFlow 1's own way keeps them
            **inside** the graph as `tf.Variable`s, and `optimizer.minimize(loss)` adds the gradient and
            update operations to the graph, so a single `sess.run(train_op)` does a whole training step:

            ```python
            x = tf.placeholder(tf.float32, shape=(None, 1))
            y = tf.placeholder(tf.float32, shape=(None, 1))
            w = tf.Variable(tf.zeros([1]))             # state that lives in the graph, across runs
            b = tf.Variable(tf.zeros([1]))
            loss = tf.reduce_mean((w * x + b - y) ** 2)
            train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)   # gradients + updates, as graph nodes

            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())                    # Variables must be initialised
                for step in range(300):
                    sess.run(train_op, feed_dict={x: xs, y: ys})
                print(sess.run([w, b]))
            ```

            The eager equivalent: a tensor with `requires_grad=True` is the `Variable`, and `minimize` is the
            three lines `zero_grad`, `backward`, `step`.
        """, """
            То, чего меню выразить не может (слой, использованный дважды; функция потерь, которая смотрит на скрытый
            слой; цикл, длина которого зависит от данных), требует нижнего уровня фреймворка: поэтому у Keras
            появились функциональный API и собственные слои, а исследования перешли на динамические графы.

            ### TensorFlow 1: состояние в графе (`Variable`) и `optimizer.minimize`

            В разделе 2 веса на каждом шаге подавались в граф и забирались из него. Собственный способ TensorFlow 1 —
            хранить их **внутри** графа как `tf.Variable`, а `optimizer.minimize(loss)` добавляет в граф операции
            вычисления градиентов и обновления, так что один `sess.run(train_op)` делает целый шаг обучения:

            ```python
            x = tf.placeholder(tf.float32, shape=(None, 1))
            y = tf.placeholder(tf.float32, shape=(None, 1))
            w = tf.Variable(tf.zeros([1]))             # состояние, живущее в графе между запусками
            b = tf.Variable(tf.zeros([1]))
            loss = tf.reduce_mean((w * x + b - y) ** 2)
            train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)   # градиенты + обновления как узлы графа

            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())                    # переменные нужно инициализировать
                for step in range(300):
                    sess.run(train_op, feed_dict={x: xs, y: ys})
                print(sess.run([w, b]))
            ```

            Аналог без графа (eager): тензор с `requires_grad=True` — это `Variable`, а `minimize` — это три строки
            `zero_grad`, `backward`, `step`.
        """),
        code("""
            torch.manual_seed(0)
            xs = torch.rand(100, 1)
            ys = 3 * xs + 2 + 0.1 * torch.randn(100, 1)       # en: the truth: w = 3, b = 2, plus noise # ru: истина: w = 3, b = 2, плюс шум

            w = torch.zeros(1, requires_grad=True)            # tf.Variable(tf.zeros([1]))
            b = torch.zeros(1, requires_grad=True)
            optimizer = optim.SGD([w, b], lr=0.5)             # tf.train.GradientDescentOptimizer(0.5)

            def train_op():                                   # en: what minimize(loss) adds to a TF1 graph # ru: то, что minimize(loss) добавляет в граф TF1
                optimizer.zero_grad()
                loss = ((w * xs + b - ys) ** 2).mean()
                loss.backward()                               # en: the gradient nodes # ru: узлы градиентов
                optimizer.step()                              # en: the update nodes (assign_sub on each Variable) # ru: узлы обновления (assign_sub для каждой Variable)
                return loss.item()

            for step in range(300):
                loss = train_op()
            print(f"w = {w.item():.3f}, b = {b.item():.3f}, loss = {loss:.4f}")
            assert abs(w.item() - 3) < 0.2 and abs(b.item() - 2) < 0.2
        """),
        md("""
            ### TensorBoard

            Training runs are compared by their curves. TensorBoard is the dashboard for that: the training code
            writes numbers with `torch.utils.tensorboard.SummaryWriter` (`writer.add_scalar("loss", value, step)`,
            also histograms of weights, images, the graph) into a log folder, and `tensorboard --logdir runs`
            serves a web page that plots every run, smoothed, live while training goes on. minitorch has no
            event-file writer; the stand-in below keeps `add_scalar`'s signature and draws what the Scalars tab
            would, with TensorBoard's exponential smoothing.
        """, """
            ### TensorBoard

            Запуски обучения сравнивают по их кривым. TensorBoard — панель для этого: код обучения записывает числа
            через `torch.utils.tensorboard.SummaryWriter` (`writer.add_scalar("loss", value, step)`, а также
            гистограммы весов, изображения, граф) в папку журналов, а `tensorboard --logdir runs` показывает
            веб-страницу, на которой нарисован каждый запуск, со сглаживанием, вживую, пока идёт обучение. В minitorch
            нет записи файлов событий; заменитель ниже сохраняет сигнатуру `add_scalar` и рисует то, что показала бы
            вкладка Scalars, с экспоненциальным сглаживанием TensorBoard.
        """),
        code(fill("""
            from collections import defaultdict


            class SummaryWriter:
                \"\"\"@writer@\"\"\"

                def __init__(self):
                    self.scalars = defaultdict(list)

                def add_scalar(self, tag, scalar_value, global_step):
                    self.scalars[tag].append((global_step, scalar_value))

                def show(self, suffix, smoothing=0.9):
                    for tag, points in self.scalars.items():
                        if tag.endswith(suffix):
                            steps, values = zip(*points)
                            smooth, last = [], values[0]
                            for v in values:                  # en: TensorBoard's smoothing slider # ru: ползунок сглаживания TensorBoard
                                last = smoothing * last + (1 - smoothing) * v
                                smooth.append(last)
                            line, = plt.plot(steps, values, alpha=0.25)
                            plt.plot(steps, smooth, color=line.get_color(), label=tag)
                    plt.xlabel("@seen@"); plt.ylabel(suffix); plt.yscale("log"); plt.legend(); plt.show()


            writer = SummaryWriter()
            for name, lr in [("adam lr=1e-3", 1e-3), ("adam lr=1e-4", 1e-4)]:
                torch.manual_seed(0)
                run = Sequential([Dense(128, activation="relu"), Dense(10)])
                run.compile(loss="sparse_categorical_crossentropy", optimizer=lambda p, lr=lr: optim.Adam(p, lr=lr))
                run.fit(x_digits, y_digits, epochs=2, batch_size=64, log=writer, run=name)
            writer.show("loss")
            print({tag: len(points) for tag, points in writer.scalars.items()}, "@logged@")
        """, writer=tr("""The most used part of torch.utils.tensorboard.SummaryWriter, kept in memory and drawn with
                matplotlib instead of written to event files for the TensorBoard web app.""", """Самая используемая часть torch.utils.tensorboard.SummaryWriter: хранится в памяти и рисуется
                matplotlib, а не пишется в файлы событий для веб-приложения TensorBoard."""),
            seen=tr("examples seen", "просмотрено примеров"), logged=tr("points logged", "точек записано"))),
        md(f"""
            ### A baseline without deep learning: scikit-learn

            Before training a network, ask what a classical method gets. scikit-learn (the notebooks extra
            installs it) has a small neural network, `MLPClassifier`, and gradient boosting (an ensemble of
            decision trees, each fitting the errors of the ones before; `HistGradientBoostingClassifier` is the
            fast version). Same 4,000 training digits, same 1,000 test digits. The two networks are trained with
            {SEEDS} seeds (initial weights and batch order); gradient boosting without subsampling has no
            randomness, so one run is all there is. Boosting gets the digits at half resolution (14x14, averaged
            2x2): on all 784 pixels it takes minutes on one core.
        """, f"""
            ### Базовое решение без глубокого обучения: scikit-learn

            Прежде чем обучать сеть, спросите, чего добивается классический метод. В scikit-learn (его ставит
            дополнение notebooks) есть маленькая нейросеть `MLPClassifier` и градиентный бустинг (ансамбль деревьев
            решений, каждое из которых подгоняется под ошибки предыдущих; `HistGradientBoostingClassifier` — его
            быстрая версия). Те же 4000 обучающих цифр, те же 1000 тестовых. Обе сети обучаются с {SEEDS} зёрнами
            (начальные веса и порядок батчей); у градиентного бустинга без подвыборки нет случайности, так что
            одного запуска достаточно. Бустинг получает цифры в половинном разрешении (14x14, усреднение 2x2): на
            всех 784 пикселях он работает минуты на одном ядре.
        """),
        code("""
            import warnings

            try:
                from sklearn.ensemble import HistGradientBoostingClassifier
                from sklearn.exceptions import ConvergenceWarning
                from sklearn.neural_network import MLPClassifier
            except ImportError as error:
                raise ImportError('this section needs scikit-learn: pip install "minitorch-kit[notebooks]"') from error

            X, Xt = x_digits.numpy(), x_digits_test.numpy()
            y, yt = y_digits.numpy(), y_digits_test.numpy()

            def keras_style(seed):
                torch.manual_seed(seed)
                m = Sequential([Dense(128, activation="relu"), Dense(10)])
                m.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
                m.fit(x_digits, y_digits, epochs=3, batch_size=64)
                return m.evaluate(x_digits_test, y_digits_test)

            def sklearn_mlp(seed):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)   # en: 10 epochs on purpose: a small budget # ru: 10 эпох нарочно: маленький бюджет
                    mlp = MLPClassifier(hidden_layer_sizes=(128,), max_iter=10, random_state=seed).fit(X, y)
                return mlp.score(Xt, yt)

            half = lambda images: F.avg_pool2d(images.view(-1, 1, 28, 28), 2).flatten(1).numpy()   # 14x14 = 196
            boosting = HistGradientBoostingClassifier(max_iter=20, early_stopping=False).fit(half(x_digits), y)

        """, "", words("""
            baselines = {
                "minitorch, Keras-style MLP (3 epochs)": np.array([keras_style(s) for s in range(SEEDS)]),
                "sklearn MLPClassifier (10 epochs)": np.array([sklearn_mlp(s) for s in range(SEEDS)]),
                "sklearn gradient boosting (20 rounds)": np.array([boosting.score(half(x_digits_test), yt)]),
            }
            for name, acc in baselines.items():
                spread = f"+- {acc.std():.3f} ({len(acc)} seeds)" if len(acc) > 1 else "(deterministic)"
                print(f"{name:40s} test accuracy {acc.mean():.3f} {spread}")
        """, {
            '"minitorch, Keras-style MLP (3 epochs)"': '"minitorch, MLP в стиле Keras (3 эпохи)"',
            '"sklearn MLPClassifier (10 epochs)"': '"sklearn MLPClassifier (10 эпох)"',
            '"sklearn gradient boosting (20 rounds)"': '"sklearn, градиентный бустинг (20 раундов)"',
            'f"+- {acc.std():.3f} ({len(acc)} seeds)"': 'f"+- {acc.std():.3f} ({len(acc)} зёрен)"',
            '"(deterministic)"': '"(детерминирован)"',
            'f"{name:40s} test accuracy {acc.mean():.3f} {spread}"': 'f"{name:42s} точность на тесте {acc.mean():.3f} {spread}"'})),
        code("""
            ranked = sorted(baselines, key=lambda name: -baselines[name].mean())
            low, high = min(a.mean() for a in baselines.values()), max(a.mean() for a in baselines.values())
        """, tr("""
            display(Markdown(
                f"All three land between {low:.1%} and {high:.1%} (best: {ranked[0]}). On a few thousand small, "
                f"centred images a classical method is a serious baseline, and it trains without a GPU; the networks "
                f"pull ahead with more data, more epochs and convolutions (compare lecture 8's small CNN on these "
                f"digits), and boosting stays the usual first choice for tabular data."))
        """, """
            display(Markdown(
                f"Все три оказываются между {low:.1%} и {high:.1%} (лучший: {ranked[0]}). На нескольких тысячах "
                f"маленьких центрированных изображений классический метод — серьёзное базовое решение, и он обучается "
                f"без GPU; сети вырываются вперёд при большем объёме данных, большем числе эпох и со свёртками "
                f"(сравните с маленькой CNN из лекции 8 на этих цифрах), а бустинг остаётся обычным первым выбором "
                f"для табличных данных."))
        """), """
            assert low > 0.85
        """),
    ]


def cells():
    # what the GPU cell prints where there is no GPU: Python literals, continued at the cell's indentation
    no_gpu = tr('''"No GPU here, so nothing is timed. With one, this cell copies a 5000x5000 matrix to it\\n"
                      "(torch.cuda.synchronize() around the copy), warms up with x + 0.0, then times matmul(x, x)\\n"
                      "three ways: without synchronising (microseconds: only the launch is measured), with\\n"
                      "torch.cuda.synchronize(), and with torch.cuda.Event(enable_timing=True).\\n"''',
                '''"GPU здесь нет, поэтому ничего не замеряется. Где он есть, эта ячейка копирует на него\\n"
                      "матрицу 5000x5000 (torch.cuda.synchronize() до и после копирования), разогревается с\\n"
                      "помощью x + 0.0, а затем замеряет matmul(x, x) тремя способами: без синхронизации\\n"
                      "(микросекунды: измеряется только запуск), с torch.cuda.synchronize() и с\\n"
                      "torch.cuda.Event(enable_timing=True).\\n"''')
    return [
        header(9, tr("Frameworks, GPUs and graphs", "Фреймворки, GPU и графы"), FILE, [
            tr("tell a static graph (define, then run) from a dynamic one (define by running)",
               "отличать статический граф (сначала описать, потом запустить) от динамического (граф строится при выполнении)"),
            tr("express conditionals and loops in both styles (`cond`, `foldl` vs Python `if` / `for`)",
               "записывать условия и циклы в обоих стилях (`cond`, `foldl` против `if` / `for` языка Python)"),
            tr("explain why frameworks compile graphs: operation order, fusion, fewer intermediate arrays",
               "объяснять, зачем фреймворки компилируют графы: порядок операций, слияние (fusion), меньше "
               "промежуточных массивов"),
            tr("time GPU code correctly (`torch.cuda.synchronize`, CUDA events) and set cuDNN's flags",
               "правильно замерять время кода на GPU (`torch.cuda.synchronize`, события CUDA) и задавать флаги cuDNN"),
            tr("simulate data-parallel training: synchronous all-reduce vs a parameter server",
               "моделировать обучение с параллелизмом по данным: синхронный all-reduce против сервера параметров"),
            tr("train with real processes: `minitorch.distributed`, `DistributedDataParallel`, the cost of an all-reduce",
               "обучать в настоящих процессах: `minitorch.distributed`, `DistributedDataParallel`, цена одного all-reduce"),
            tr("place the frameworks: fixed modules (Keras, Caffe), TF1 Variables and `minimize`, TensorBoard, "
               "and a non-deep-learning baseline (scikit-learn)",
               "ориентироваться среди фреймворков: фиксированные модули (Keras, Caffe), переменные (`Variable`) и "
               "`minimize` в TF1, TensorBoard и базовое решение без глубокого обучения (scikit-learn)"),
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import copy
            import time
            import tracemalloc

            import numpy as np
            import minitorch as torch
            import minitorch.nn.functional as F
            from minitorch import nn, optim
            from minitorch.vision import datasets
            from IPython.display import Markdown, display
        """, f"SEEDS = {SEEDS}   # en: sections 6 and 7 compare their strategies over this many seeds "
             "# ru: разделы 6 и 7 сравнивают свои варианты по стольким зёрнам"),
        quiz_cell(),
        md("""
            ## 1. Why frameworks?

            - **Automatic gradients**: write the forward pass, get the backward pass.
            - **Hardware**: the same code on CPUs, GPUs, TPUs, phones, through libraries tuned by the
              vendors (BLAS, cuBLAS, cuDNN).
            - **Shared models**: a standard format for weights enables transfer learning.
            - **Faster development**: high-level layers, data loading, visualisation.

            The stack, from top to bottom: your model -> a high-level API (Keras, `torch.nn`) -> the
            tensor library (TensorFlow, PyTorch, JAX) -> precompiled kernels or a compiler (XLA,
            `torch.compile`) -> CUDA / OpenCL / CPU vector instructions -> the hardware.

            ## 2. Static graphs: define first, run later

            TensorFlow 1 separated **building** a graph from **running** it. Printing a node prints a
            symbol, not a number (lecture code, TensorFlow 1.15):

            ```python
            a = tf.constant(3.0, dtype=tf.float32)
            b = tf.constant(4.0) # also tf.float32 implicitly
            total = a + b
            print(a)              # Tensor("Const:0", shape=(), dtype=float32)
            print(b)              # Tensor("Const_1:0", shape=(), dtype=float32)
            print(total)          # Tensor("add:0", shape=(), dtype=float32)

            sess = tf.Session()
            print(sess.run(total))    # 7.0

            x = tf.placeholder(tf.float32)   # a promise to provide a value later, like a function argument
            y = tf.placeholder(tf.float32)
            z = x + y
            print(sess.run(z, feed_dict={x: 3, y: 4.5}))            # 7.5
            print(sess.run(z, feed_dict={x: [1, 3], y: [2, 4]}))    # [ 3.  7.]
            ```

            PyTorch (and minitorch) is **eager**: every line computes right away, and the graph for
            autograd is recorded as a side effect.
        """, """
            ## 1. Зачем нужны фреймворки?

            - **Автоматические градиенты**: вы пишете прямой проход, обратный проход получаете даром.
            - **Оборудование**: один и тот же код работает на CPU, GPU, TPU и телефонах через библиотеки,
              которые оптимизировали сами производители (BLAS, cuBLAS, cuDNN).
            - **Общие модели**: стандартный формат весов делает возможным перенос обучения (transfer learning).
            - **Быстрая разработка**: высокоуровневые слои, загрузка данных, визуализация.

            Стек сверху вниз: ваша модель -> высокоуровневый API (Keras, `torch.nn`) -> библиотека тензоров
            (TensorFlow, PyTorch, JAX) -> заранее скомпилированные ядра или компилятор (XLA, `torch.compile`) ->
            CUDA / OpenCL / векторные инструкции CPU -> оборудование.

            ## 2. Статические графы: сначала описать, потом запустить

            TensorFlow 1 разделял **построение** графа и его **выполнение**. Если напечатать узел, выводится
            символ, а не число (код из лекции, TensorFlow 1.15):

            ```python
            a = tf.constant(3.0, dtype=tf.float32)
            b = tf.constant(4.0) # тоже tf.float32, неявно
            total = a + b
            print(a)              # Tensor("Const:0", shape=(), dtype=float32)
            print(b)              # Tensor("Const_1:0", shape=(), dtype=float32)
            print(total)          # Tensor("add:0", shape=(), dtype=float32)

            sess = tf.Session()
            print(sess.run(total))    # 7.0

            x = tf.placeholder(tf.float32)   # обещание передать значение позже, как аргумент функции
            y = tf.placeholder(tf.float32)
            z = x + y
            print(sess.run(z, feed_dict={x: 3, y: 4.5}))            # 7.5
            print(sess.run(z, feed_dict={x: [1, 3], y: [2, 4]}))    # [ 3.  7.]
            ```

            PyTorch (и minitorch) работает **немедленно** (eager): каждая строка сразу вычисляется, а граф для
            автоматического дифференцирования записывается попутно.
        """),
        code("""
            a = torch.tensor(3.0)
            b = torch.tensor(4.0)
            total = a + b
            print(a)
            print(b)
            print(total)
        """),
        md("""
            ### Capturing a static graph from Python: `torch.fx`

            PyTorch's own answer to "define, then run" is `torch.fx` (`minitorch.fx` here, the same API):
            `fx.symbolic_trace` calls your function **once** with stand-in values (`Proxy` objects) that
            compute nothing and record every operation instead. The result is a graph, which is *data*
            (a list of nodes, like TensorFlow 1's), together with Python code generated from it; running
            it later, with any inputs, is the `Session.run` of this world.
        """, """
            ### Статический граф из кода на Python: `torch.fx`

            Собственный ответ PyTorch на «сначала описать, потом запустить» — это `torch.fx` (здесь `minitorch.fx`,
            с тем же API): `fx.symbolic_trace` вызывает вашу функцию **один раз** с подставными значениями
            (объектами `Proxy`), которые ничего не вычисляют, а вместо этого записывают каждую операцию. Результат —
            граф, то есть *данные* (список узлов, как у TensorFlow 1), и сгенерированный по нему код на Python;
            запустить его потом с любыми входами — это здешний аналог `Session.run`.
        """),
        code("""
            from minitorch import fx

            def total(a, b):
                return a + b

            traced = fx.symbolic_trace(total)        # en: a and b are placeholders: nothing is computed # ru: a и b — заглушки: ничего не вычисляется
            print(traced.graph)
            print(traced(torch.tensor(3.0), torch.tensor(4.5)))                     # en: feed values, run # ru: подаём значения, запускаем
            print(traced(torch.tensor([1.0, 3.0]), torch.tensor([2.0, 4.0])))
        """),
        md("""
            ### The lecture's two-layer network, TensorFlow 1 style

            The source course trains a two-layer ReLU network on random data with an L2 loss. In
            TensorFlow 1 the graph, including the gradients, is built once; the training loop only runs
            it, feeding numpy arrays:

""" + TF1_CODE + """

            The same network as a Python function, captured by `fx`. The placeholders are the function's
            arguments; `tf.matmul` and `tf.maximum(., 0)` are `@` and `clamp(min=0)`:
        """, """
            ### Двухслойная сеть из лекции в стиле TensorFlow 1

            В исходном курсе двухслойная сеть с ReLU обучается на случайных данных с квадратичной (L2) функцией
            потерь. В TensorFlow 1 граф, вместе с градиентами, строится один раз; цикл обучения только запускает
            его, подавая массивы numpy:

""" + TF1_CODE + """

            Та же сеть в виде функции на Python, захваченная с помощью `fx`. Заглушки (placeholders) — это
            аргументы функции; `tf.matmul` и `tf.maximum(., 0)` превращаются в `@` и `clamp(min=0)`:
        """),
        code("""
            N, D, H = 64, 1000, 100

            def two_layer(x, y, w1, w2):
                h = (x @ w1).clamp(min=0)
                y_pred = h @ w2
                diff = y_pred - y
                return (diff ** 2).sum(1).mean()

            graph_module = fx.symbolic_trace(two_layer)
            print(graph_module.graph)
        """),
        md("""
            Every node has an **opcode**: `placeholder` (an input), `get_attr` (a parameter or buffer of a
            module), `call_function` (`operator.matmul`, `torch.relu`...), `call_method` (`x.clamp(...)`),
            `call_module` (a layer such as `nn.Linear`) and `output`. Its **target** says which function,
            method or layer; its **args** name the nodes it reads. The same graph as a table, and as the
            Python code that `graph_module(...)` actually runs (each value is set to `None` after its last
            use, so its memory can be freed early):
        """, """
            У каждого узла есть **код операции** (opcode): `placeholder` (вход), `get_attr` (параметр или буфер
            модуля), `call_function` (`operator.matmul`, `torch.relu`...), `call_method` (`x.clamp(...)`),
            `call_module` (слой, например `nn.Linear`) и `output`. Его **цель** (target) говорит, какая это функция,
            метод или слой; его **аргументы** (args) называют узлы, которые он читает. Тот же граф в виде таблицы
            и в виде кода на Python, который на самом деле выполняет `graph_module(...)` (каждому значению после
            последнего использования присваивается `None`, чтобы его память можно было освободить пораньше):
        """),
        code("""
            graph_module.graph.print_tabular()
            print(graph_module.code)
        """),
        md("""
            #### `tf.gradients`: the backward pass is more graph

            TensorFlow 1 added the gradients *to the graph*, before anything ran. `fx.passes.gradients`
            does the same: it walks the forward nodes in reverse and appends, for each, the nodes of its
            derivative (for `mean`: expand and divide; for `clamp`: multiply by the mask `h >= 0`; for
            `@`: two matrix products). The result is one graph, and one piece of code, computing the loss
            and both gradients; autograd is not involved when it runs.
        """, """
            #### `tf.gradients`: обратный проход — это тоже граф

            TensorFlow 1 добавлял градиенты *в граф* ещё до того, как что-либо запускалось. `fx.passes.gradients`
            делает то же самое: проходит узлы прямого прохода в обратном порядке и добавляет для каждого узлы его
            производной (для `mean` — расширение и деление; для `clamp` — умножение на маску `h >= 0`; для `@` — два
            матричных произведения). Получается один граф и один кусок кода, которые вычисляют функцию потерь и
            оба градиента; при его выполнении автоматическое дифференцирование не участвует.
        """),
        code("""
            from minitorch.fx.passes import gradients

            values = {"x": torch.randn(N, D), "y": torch.randn(N, D), "w1": torch.randn(D, H), "w2": torch.randn(H, D)}
            train_step = gradients(graph_module, *values.values(), wrt=["w1", "w2"])
            print(train_step.code)
        """),
        code("""
            # en: the gradients graph computes what autograd computes
            # ru: граф градиентов вычисляет то же, что и автоматическое дифференцирование
            loss, grad_w1, grad_w2 = train_step(*values.values())
            w1, w2 = values["w1"].clone().requires_grad_(), values["w2"].clone().requires_grad_()
            two_layer(values["x"], values["y"], w1, w2).backward()
            assert torch.allclose(grad_w1, w1.grad, rtol=1e-3, atol=1e-2) and torch.allclose(grad_w2, w2.grad, rtol=1e-3, atol=1e-2)

            learning_rate = 1e-5
            loss_arr = []
            for t in range(50):                      # en: the TensorFlow 1 loop: run the graph, update outside it # ru: цикл TensorFlow 1: запускаем граф, обновляем вне его
                loss, grad_w1, grad_w2 = train_step(*values.values())
                loss_arr.append(loss.item())
                values["w1"] = values["w1"] - learning_rate * grad_w1
                values["w2"] = values["w2"] - learning_rate * grad_w2

            plt.figure(figsize=(5, 2.5)); plt.plot(loss_arr, "o", ms=3)
        """, f"""
            plt.xlabel("{tr('step', 'шаг')}"); plt.ylabel("{tr('loss', 'потери')}"); plt.yscale("log"); plt.show()
            assert loss_arr[-1] < loss_arr[0] / 2
        """),
        md("""
            #### Optimising a captured graph

            Because the whole computation is known before it runs, passes can rewrite it. Four classic ones
            (each a short file in `minitorch/fx/passes/`):

            - **constant folding**: compute once what does not depend on the inputs (a weight transposed
              or scaled in `forward`) and store the result;
            - **common-subexpression elimination**: compute a repeated expression once;
            - **dead-code elimination**: drop nodes whose value nobody uses (`graph.eliminate_dead_code()`);
            - **fusion**: run a chain of elementwise operations as *one* generated kernel, with one
              output array instead of one array per step (section 4 shows why that matters).

            A model with a GELU activation (nine elementwise operations) and a constant subexpression:
        """, """
            #### Оптимизация захваченного графа

            Раз всё вычисление известно до запуска, проходы (passes) могут его переписать. Четыре классических
            прохода (каждый — короткий файл в `minitorch/fx/passes/`):

            - **свёртка констант** (constant folding): один раз вычислить то, что не зависит от входов (вес,
              транспонированный или умноженный на число в `forward`), и сохранить результат;
            - **устранение общих подвыражений** (common-subexpression elimination): повторяющееся выражение
              вычисляется один раз;
            - **удаление мёртвого кода** (dead-code elimination): выбросить узлы, значение которых никто не
              использует (`graph.eliminate_dead_code()`);
            - **слияние** (fusion): выполнить цепочку поэлементных операций как *одно* сгенерированное ядро, с
              одним выходным массивом вместо массива на каждом шаге (раздел 4 показывает, почему это важно).

            Модель с функцией активации GELU (девять поэлементных операций) и константным подвыражением:
        """),
        code("""
            from minitorch.fx.passes import eliminate_common_subexpressions, fold_constants, fuse_elementwise

            class GeluMLP(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc1, self.fc2 = nn.Linear(256, 1024), nn.Linear(1024, 10)
                    self.log_temperature = nn.Parameter(torch.tensor(0.5))

                def forward(self, x):
                    h = self.fc1(x)
                    h = 0.5 * h * (1 + torch.tanh(0.7978845608 * (h + 0.044715 * (h * h * h))))   # GELU
                    return self.fc2(h) / self.log_temperature.exp()    # en: exp of a parameter: constant # ru: exp от параметра: константа

            gelu_mlp = GeluMLP().eval()
            batch = torch.randn(512, 256)
            traced_mlp = fx.symbolic_trace(gelu_mlp)
            optimised = fx.symbolic_trace(gelu_mlp)
            fold_constants(optimised)
            eliminate_common_subexpressions(optimised)
            fuse_elementwise(optimised, batch)          # en: needs example inputs: shapes and dtypes # ru: нужны примеры входов: формы и типы данных
        """, f"""
            print(f"{tr('{len(traced_mlp.graph.nodes)} nodes -> {len(optimised.graph.nodes)} nodes', 'узлов: {len(traced_mlp.graph.nodes)} -> {len(optimised.graph.nodes)}')}")
        """, """
            print(optimised.code)
            fused_node = [n for n in optimised.graph.nodes if isinstance(n.target, fx.passes.FusedKernel)][0]
            print(fused_node.target.source)
            with torch.no_grad():
                assert torch.allclose(optimised(batch), gelu_mlp(batch), atol=1e-5)
        """),
        md("""
            The generated kernel calls numpy's functions directly (no minitorch dispatch, no autograd
            bookkeeping per step) and writes each step into the array of the step before (`out=`). Time
            and peak memory, with autograd off (inference):
        """, """
            Сгенерированное ядро вызывает функции numpy напрямую (без диспетчеризации minitorch и без учёта
            автоматического дифференцирования на каждом шаге) и записывает результат каждого шага в массив
            предыдущего (`out=`). Время и пиковая память с выключенным автоматическим дифференцированием
            (режим вывода, inference):
        """),
        code(volatile(tr("wall-clock timings", "время по часам")), """
            def best_of(fn, repeat=5):
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    fn()
                    times.append(time.perf_counter() - start)
                return min(times)

            def peak_mb(fn):
                tracemalloc.start()
                fn()
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                return peak / 2 ** 20
        """, "", f"""
            with torch.no_grad():
                for name, run in [("eager", lambda: gelu_mlp(batch)), ("traced", lambda: traced_mlp(batch)),
                                  ("optimised", lambda: optimised(batch))]:
                    print(f"{{name:>9}}: {{best_of(run) * 1e3:6.2f}} {tr('ms, peak', 'мс, пик')} {{peak_mb(run):5.1f}} {tr('MB', 'МБ')}")
        """),
        md("""
            Tracing alone changes nothing (the same operations run). Fusing the GELU saves its
            intermediate arrays and most of the per-operation overhead; the matrix products cost the
            same as before. `torch.compile` does all of this for real: it captures the graph (with a more
            capable tracer than `fx.symbolic_trace`), fuses, and generates C++ or GPU kernels.

            Graphs can also be drawn (`torch.viz.draw_fx_graph`, with the Graphviz `dot` program):
        """, """
            Сама по себе трассировка ничего не меняет (выполняются те же операции). Слияние GELU экономит её
            промежуточные массивы и бо́льшую часть накладных расходов на каждую операцию; матричные произведения
            стоят столько же, сколько раньше. `torch.compile` делает всё это по-настоящему: захватывает граф (более
            способным трассировщиком, чем `fx.symbolic_trace`), сливает операции и генерирует ядра на C++ или для GPU.

            Графы можно и нарисовать (`torch.viz.draw_fx_graph`, нужна программа `dot` из Graphviz):
        """),
        code("""
            import shutil
            from IPython.display import display
            from minitorch.fx.passes import ShapeProp

            ShapeProp(graph_module).propagate(*values.values())     # en: record each node's shape # ru: записываем форму каждого узла
            drawing = torch.viz.draw_fx_graph(graph_module)
            if shutil.which("dot"):
                display(drawing)
            else:
                print(drawing.source)
        """),
        md("""
            Two weaknesses the lecture points out: the weights travel from numpy into the graph and back
            at every step (with a GPU, two copies per step), and the update happens outside the graph.
            TensorFlow 1's answer was `tf.Variable` (state kept inside the graph) and an optimizer node
            (`optimizer.minimize(loss)`), so that one `sess.run` does the whole step on the device.

            The eager version from the same lecture: no graph to build, the model and the optimizer keep
            their state (`size_average=False` is today's `reduction='sum'`; the lecture's loop also
            subtracted `learning_rate * grad` by hand after `optimizer.step()`, a second update, dropped here).
        """, """
            Лекция указывает на две слабости: веса на каждом шаге переходят из numpy в граф и обратно (с GPU —
            два копирования за шаг), а обновление происходит вне графа. Ответом TensorFlow 1 были `tf.Variable`
            (состояние, хранящееся внутри графа) и узел оптимизатора (`optimizer.minimize(loss)`), чтобы один
            `sess.run` делал весь шаг на устройстве.

            Версия без графа (eager) из той же лекции: строить граф не нужно, модель и оптимизатор хранят своё
            состояние (`size_average=False` — это нынешний `reduction='sum'`; цикл в лекции после `optimizer.step()`
            ещё и вычитал `learning_rate * grad` вручную, то есть делал второе обновление, здесь оно убрано).
        """),
        code("""
            N, D_in, H, D_out = 64, 1000, 100, 10
            x = torch.randn(N, D_in)
            y = torch.randn(N, D_out)
            model = torch.nn.Sequential(
                torch.nn.Linear(D_in, H),
                torch.nn.ReLU(),
                torch.nn.Linear(H, D_out))
            loss_fn = torch.nn.MSELoss(reduction='sum')
            learning_rate = 1e-4
            optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)

            losses = []
            for t in range(500):
                y_pred = model(x)                # en: forward: the graph is recorded as we go # ru: прямой проход: граф записывается по ходу
                loss = loss_fn(y_pred, y)
                model.zero_grad()
                loss.backward()                  # en: backward through the graph just recorded # ru: обратный проход по только что записанному графу
                optimizer.step()
                losses.append(loss.item())
        """, f"""
            print(f"{tr('loss', 'потери')} {{losses[0]:.1f}} -> {{losses[-1]:.3f}}")
            assert losses[-1] < losses[0] / 100
        """),
        md("""
            ## 3. Control flow: static vs dynamic

            ### Conditionals

            Eager code uses a Python `if`: only the branch taken runs, decided anew on every call.

            ```python
            if train_mode:
                y = train_mode_computation(x)
            else:
                y = eval_mode_computation(x)
            ```

            In a static graph the condition is a value known only at run time, so *both* branches must be
            in the graph, and a `cond` node picks one when the graph runs:

            ```python
            train_mode = tf.placeholder(tf.bool, shape=())
            y = tf.cond(train_mode, train_mode_computation, eval_mode_computation)
            ```

            `tf.cond` builds both branches into the graph; `Session.run` then executes only the one the
            condition picks. What happens if we trace a Python `if` on a value?
        """, """
            ## 3. Управление потоком: статический и динамический граф

            ### Условия

            Код без графа (eager) использует обычный `if` языка Python: выполняется только выбранная ветвь, и выбор
            делается заново при каждом вызове.

            ```python
            if train_mode:
                y = train_mode_computation(x)
            else:
                y = eval_mode_computation(x)
            ```

            В статическом графе условие — это значение, известное только во время выполнения, поэтому в графе
            должны быть *обе* ветви, а узел `cond` выбирает одну из них, когда граф запускается:

            ```python
            train_mode = tf.placeholder(tf.bool, shape=())
            y = tf.cond(train_mode, train_mode_computation, eval_mode_computation)
            ```

            `tf.cond` встраивает в граф обе ветви; `Session.run` затем выполняет только ту, которую выбирает
            условие. Что будет, если трассировать `if` языка Python по значению?
        """),
        code("""
            def forward(x, train_mode):
                if train_mode:               # en: pretend: dropout and friends # ru: представим, что здесь dropout и т. п.
                    return x * 2 + 1
                return x * 3

            try:
                fx.symbolic_trace(forward)
            except fx.TraceError as error:
                print("TraceError:", error)
        """),
        md("""
            While tracing, `train_mode` is a `Proxy`: a placeholder for a value that does not exist yet, so
            `if` has nothing to decide on. A tracer records **one** path through the Python code. Two ways
            out: fix the condition while tracing (`concrete_args`: the graph holds one branch and checks,
            when it runs, that it gets the value it was specialised for), or put both branches in the graph
            as data with `torch.where` (both are computed; `tf.cond` computes only one).
        """, """
            Во время трассировки `train_mode` — это `Proxy`: заглушка для значения, которого ещё нет, так что `if`
            не на чем принять решение. Трассировщик записывает **один** путь через код на Python. Есть два выхода:
            зафиксировать условие на время трассировки (`concrete_args`: в графе остаётся одна ветвь, и при
            запуске он проверяет, что получил то значение, под которое был построен), или поместить обе ветви в граф
            как данные с помощью `torch.where` (вычисляются обе; `tf.cond` вычисляет только одну).
        """),
        code("""
            train_graph = fx.symbolic_trace(forward, concrete_args={"train_mode": True})
            print(train_graph.code)
            print(train_graph(torch.tensor(2.0), True))
            try:
                train_graph(torch.tensor(2.0), False)
            except AssertionError as error:
                print("AssertionError:", error)

            def forward_where(x, train_mode):
                return torch.where(train_mode, x * 2 + 1, x * 3)

            both = fx.symbolic_trace(forward_where)
            print(both.code)
            outputs = [both(torch.tensor(2.0), torch.tensor(mode)).item() for mode in (True, False, True)]
        """, f"""
            print("{tr('outputs:', 'выходы:')}", outputs)
            assert outputs == [5.0, 6.0, 5.0]
        """),
        md(r"""
            ### Loops

            The lecture's recurrence: $y_t = (y_{t-1} + x_t) \cdot w$. Eagerly it is a Python loop, and
            the recorded graph is as long as the loop ran:
        """, r"""
            ### Циклы

            Рекуррентное соотношение из лекции: $y_t = (y_{t-1} + x_t) \cdot w$. Без графа (eager) это цикл
            на Python, и записанный граф тем длиннее, чем больше шагов сделал цикл:
        """),
        code("""
            n = 10
            dim = 5

            torch.manual_seed(0)
            y0 = torch.randn(dim)
            x = torch.randn(n, dim)
            w = torch.randn(dim, requires_grad=True)

            y = [y0]
            for t in range(n):
                y.append((y[-1] + x[t]) * w)

        """, "", f"""
            def graph_size(tensor):
                \"\"\"{tr("Number of backward nodes autograd recorded for `tensor`.",
                        "Число узлов обратного прохода, которые автоматическое дифференцирование записало для `tensor`.")}\"\"\"
                seen, stack = set(), [tensor.grad_fn]
                while stack:
                    fn = stack.pop()
                    if fn is not None and fn not in seen:
                        seen.add(fn)
                        stack.extend(next_fn for next_fn, _ in fn.next_functions)
                return len(seen)
        """, "", f"""
            print(y[-1])
            print("{tr('graph nodes after 3 steps:', 'узлов в графе после 3 шагов:')}", graph_size(y[3]),
                  "{tr('  after 10 steps:', '  после 10 шагов:')}", graph_size(y[10]))
        """),
        md("""
            TensorFlow 1 expresses the loop as a graph node, `tf.foldl(f, x, y0)`: `f` is traced **once**
            into a small body graph, and the node runs that body once per row of `x`, so the graph's size
            does not depend on `n`:

            ```python
            x = tf.placeholder(tf.float32, shape=(n, dim))
            y0 = tf.placeholder(tf.float32, shape=(dim,))
            w = tf.placeholder(tf.float32, shape=(dim,))

            def f(prev_y, cur_x):
                return (prev_y + cur_x) * w

            y = tf.foldl(f, x, y0)
            y_val = sess.run(y, feed_dict={x: ..., y0: ..., w: ...})
            ```
        """, """
            TensorFlow 1 записывает цикл как узел графа, `tf.foldl(f, x, y0)`: `f` трассируется **один раз** в
            маленький граф тела цикла, а узел выполняет это тело для каждой строки `x`, так что размер графа не
            зависит от `n`:

            ```python
            x = tf.placeholder(tf.float32, shape=(n, dim))
            y0 = tf.placeholder(tf.float32, shape=(dim,))
            w = tf.placeholder(tf.float32, shape=(dim,))

            def f(prev_y, cur_x):
                return (prev_y + cur_x) * w

            y = tf.foldl(f, x, y0)
            y_val = sess.run(y, feed_dict={x: ..., y0: ..., w: ...})
            ```
        """),
        md("""
            A tracer, though, sees only the Python that runs: a `for` loop over a known number of steps
            is **unrolled**, one copy of the body per iteration, so the graph grows with `n`. A loop over
            the rows of a traced tensor cannot even start (a `Proxy` has no length to iterate over).
        """, """
            Трассировщик же видит только тот код на Python, который выполняется: цикл `for` с известным числом шагов
            **разворачивается**, по копии тела на каждую итерацию, так что граф растёт вместе с `n`. Цикл по строкам
            трассируемого тензора не может даже начаться (у `Proxy` нет длины, по которой можно итерировать).
        """),
        code("""
            def unrolled(steps):
                def f(x, y0, w):
                    y = y0
                    for t in range(steps):
                        y = (y + x[t]) * w
                    return y
                return fx.symbolic_trace(f)

        """, "", f"""
            print("{tr('nodes in the traced graph: n=10:', 'узлов в трассированном графе: n=10:')}", len(unrolled(10).graph.nodes),
                  "  n=100:", len(unrolled(100).graph.nodes))
            assert torch.allclose(unrolled(n)(x, y0, w.detach()), y[-1].detach())
            try:
                fx.symbolic_trace(lambda x, y0, w: [(y0 + row) * w for row in x])
            except fx.TraceError as error:
                print("TraceError:", str(error)[:60], "...")
        """),
        md("""
            `fx.wrap` marks a function that tracing must not look into: it becomes **one** node whatever
            it does inside, the way `tf.foldl` is one node, but an opaque one: no pass can optimise what is
            inside it, and it runs as ordinary Python.
        """, """
            `fx.wrap` помечает функцию, внутрь которой трассировка заглядывать не должна: она становится **одним**
            узлом, что бы она ни делала внутри, как `tf.foldl` — один узел, но непрозрачный: никакой проход не может
            оптимизировать то, что у него внутри, и выполняется он как обычный код на Python.
        """),
        code("""
            def foldl_recurrence(x, y0, w):
                y = y0
                for row in x:
                    y = (y + row) * w
                return y

            fx.wrap("foldl_recurrence")       # en: at the top level of a module (or notebook) # ru: на верхнем уровне модуля (или ноутбука)
            folded = fx.symbolic_trace(lambda x, y0, w: foldl_recurrence(x, y0, w))
            print(folded.code)
            assert torch.allclose(folded(x, y0, w.detach()), y[-1].detach()) and len(folded.graph.nodes) == 5
        """),
        md("""
            Dynamic graphs go further: the *data* can decide how much computation happens, and autograd
            simply records what ran.
        """, """
            Динамические графы идут дальше: сами *данные* могут решать, сколько вычислений произойдёт, а
            автоматическое дифференцирование просто записывает то, что выполнилось.
        """),
        *predict(tr("`f` doubles `x` until its norm exceeds 10. What is `x.grad` for `x = [0.3, 0.4]` "
                    "(norm 0.5)?",
                    "`f` удваивает `x`, пока его норма не превысит 10. Чему равен `x.grad` при `x = [0.3, 0.4]` "
                    "(норма 0.5)?"), """
            def f(x):
                while x.norm() < 10:
                    x = x * 2
                return x

            x = torch.tensor([0.3, 0.4], requires_grad=True)
            f(x).sum().backward()
            print(x.grad)
        """, options=["[1., 1.]", "[16., 16.]", "[32., 32.]",
                      tr("an error: a while loop cannot be differentiated",
                         "ошибка: цикл while нельзя продифференцировать")],
            answer=2, why=tr("the norm goes 0.5, 1, 2, 4, 8, 16: five doublings, so $f(x) = 2^5 x$ for this input and "
                             "the gradient of the sum is 32 for each element. Autograd recorded the five multiplications "
                             "that ran.",
                             "норма проходит 0.5, 1, 2, 4, 8, 16: пять удвоений, так что для этого входа $f(x) = 2^5 x$, и "
                             "градиент суммы равен 32 для каждого элемента. Автоматическое дифференцирование записало те "
                             "пять умножений, которые выполнились.")),
        code("""
            assert x.grad.tolist() == [32.0, 32.0]
        """),
        md("""
            **Static graphs** know the whole computation before running it: they can be optimised,
            parallelised, shipped to a phone without Python, split across devices. **Dynamic graphs** are
            plain Python: `print`, debuggers, data-dependent control flow. Modern frameworks do both:
            TensorFlow 2 runs eagerly and compiles with `tf.function`; PyTorch 2 traces Python into a graph
            with `torch.compile`; **JAX** is functional (immutable arrays, no side effects, explicit random
            keys) and compiles functions for the shapes they are called with (`jax.jit`), with
            `jax.lax.cond` / `jax.lax.fori_loop` for control flow inside compiled code.
        """, """
            **Статические графы** знают всё вычисление до запуска: их можно оптимизировать, распараллеливать,
            переносить на телефон без Python, делить между устройствами. **Динамические графы** — это обычный
            Python: `print`, отладчики, управление потоком, зависящее от данных. Современные фреймворки умеют и то,
            и другое: TensorFlow 2 выполняется немедленно (eager) и компилирует с `tf.function`; PyTorch 2 превращает
            код на Python в граф с `torch.compile`; **JAX** функционален (неизменяемые массивы, никаких побочных
            эффектов, явные ключи генератора случайных чисел) и компилирует функции под формы, с которыми их
            вызывают (`jax.jit`), а для управления потоком внутри скомпилированного кода есть `jax.lax.cond` /
            `jax.lax.fori_loop`.
        """),
        md("""
            JAX's other idea is **function transforms**: `jax.grad(f)` is a new function that returns f's
            gradient, `jax.vmap(f)` maps f over a batch, and they compose. PyTorch has them as `torch.func`
            (`minitorch.func` here). `grad` differentiates a function of plain tensors; `functional_call`
            turns a model into such a function of its parameters.
        """, """
            Другая идея JAX — **преобразования функций**: `jax.grad(f)` — это новая функция, возвращающая градиент
            f, `jax.vmap(f)` применяет f ко всему батчу, и эти преобразования можно сочетать. В PyTorch они есть как
            `torch.func` (здесь `minitorch.func`). `grad` дифференцирует функцию от обычных тензоров;
            `functional_call` превращает модель в такую функцию от её параметров.
        """),
        code("""
            from minitorch.func import functional_call, grad, vmap

            print(grad(torch.sin)(torch.tensor(0.0)), grad(grad(torch.sin))(torch.tensor(0.5)))   # cos(0), -sin(0.5)

            torch.manual_seed(0)
            small = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
            params = {name: p.detach() for name, p in small.named_parameters()}
            inputs, targets = torch.randn(16, 4), torch.randn(16, 1)

            def example_loss(params, x, target):       # en: the loss of ONE example # ru: потери ОДНОГО примера
                prediction = functional_call(small, params, (x,))
                return ((prediction - target) ** 2).sum()

            # en: vmap over the examples (dim 0 of x and target), not over the parameters (None)
            # ru: vmap по примерам (измерение 0 у x и target), а не по параметрам (None)
            per_example = vmap(grad(example_loss), in_dims=(None, 0, 0))(params, inputs, targets)
            print({name: tuple(g.shape) for name, g in per_example.items()})
        """),
        md("""
            One gradient **per example**, which `loss.backward()` cannot give (it sums them): needed to clip
            each example's gradient in differentially private training (DP-SGD), or to find the examples
            that pull hardest. Checked against a loop of ordinary backward passes:
        """, """
            Градиент **для каждого примера** отдельно — то, чего не даёт `loss.backward()` (он их суммирует): это
            нужно, чтобы ограничивать (clip) градиент каждого примера при обучении с дифференциальной
            приватностью (DP-SGD), или чтобы найти примеры, которые тянут сильнее всех. Проверка циклом обычных
            обратных проходов:
        """),
        code("""
            for i in range(len(inputs)):
                small.zero_grad()
                ((small(inputs[i]) - targets[i]) ** 2).sum().backward()
                assert all(torch.allclose(per_example[name][i], p.grad, atol=1e-6) for name, p in small.named_parameters())
            norms = torch.stack([g.flatten(1).norm(dim=1) for g in per_example.values()]).norm(dim=0)
        """, f"""
            print("{tr('per-example gradient norms:', 'нормы градиентов отдельных примеров:')}", [round(v, 2) for v in norms.tolist()[:6]], "...")
        """),
        md("""
            (JAX's `vmap` rewrites every operation, through a *batching rule*, to work on the whole batch
            at once. minitorch's `vmap` traces the function with `fx` and does the same for the common
            operations (`minitorch/func/_batching.py`); where it cannot, as for `grad` inside `vmap` here,
            it falls back to a loop over the examples, as torch.func does for operations without a rule.
            Same answer, Python-loop speed.)

            ## 4. Why compile? Order of operations and fusion

            Knowing the computation in advance lets a compiler pick the cheapest way to run it.
        """, """
            (`vmap` в JAX переписывает каждую операцию с помощью *правила батчинга* (batching rule), чтобы она
            работала сразу на всём батче. `vmap` в minitorch трассирует функцию с помощью `fx` и делает то же для
            распространённых операций (`minitorch/func/_batching.py`); где это невозможно, как для `grad` внутри
            `vmap` здесь, он откатывается к циклу по примерам, как torch.func делает для операций без правила.
            Ответ тот же, скорость — как у цикла на Python.)

            ## 4. Зачем компилировать? Порядок операций и слияние

            Зная вычисление заранее, компилятор может выбрать самый дешёвый способ его выполнить.
        """),
        code(f"""
            def best_time(fn, repeat=3):
                \"\"\"{tr("The fastest of `repeat` runs of fn, in seconds, and fn's result.",
                        "Самый быстрый из `repeat` запусков fn, в секундах, и результат fn.")}\"\"\"
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    result = fn()
                    times.append(time.perf_counter() - start)
                return min(times), result

            A, B, v = torch.randn(1000, 1000), torch.randn(1000, 1000), torch.randn(1000, 1)
        """),
        *predict(tr("for 1000x1000 matrices `A`, `B` and a vector `v`, how much faster is `A @ (B @ v)` than "
                    "`(A @ B) @ v`?",
                    "для матриц `A`, `B` размера 1000x1000 и вектора `v`: во сколько раз `A @ (B @ v)` быстрее, чем "
                    "`(A @ B) @ v`?"), f"""

            n = 1000
            print(f"{tr('floating-point operations', 'операций с плавающей точкой')}: (AB)v {{2 * n ** 3 + 2 * n ** 2:.1e}}, A(Bv) {{4 * n ** 2:.1e}}, "
                  f"{tr('ratio', 'отношение')} {{(2 * n ** 3 + 2 * n ** 2) / (4 * n ** 2):.0f}}x")
            """, options=[tr("about the same: the same numbers are multiplied",
                             "примерно одинаково: перемножаются те же числа"),
                          tr("a few times faster", "в несколько раз быстрее"),
                          tr("tens to hundreds of times faster", "в десятки или сотни раз быстрее"),
                          tr("slower: two matrix-vector products instead of one",
                             "медленнее: два произведения матрицы на вектор вместо одного")],
            answer=2, why=tr("`(AB)v` first builds a whole 1000x1000 matrix ($2n^3$ operations); `A(Bv)` only does two "
                             "matrix-vector products ($4n^2$): 500x fewer operations. The measured speed-up is lower (a "
                             "big matrix product runs at a much higher rate per operation than a matrix-vector one), "
                             "but large.",
                             "`(AB)v` сначала строит целую матрицу 1000x1000 ($2n^3$ операций); `A(Bv)` делает лишь два "
                             "произведения матрицы на вектор ($4n^2$): в 500 раз меньше операций. Измеренное ускорение "
                             "меньше (большое матричное произведение выполняет гораздо больше операций в секунду, чем "
                             "произведение матрицы на вектор), но велико.")),
        code(volatile(tr("wall-clock timings differ on every run and machine",
                      "время по часам меняется от запуска к запуску и от машины к машине")), """
            slow, r1 = best_time(lambda: (A @ B) @ v)
            fast, r2 = best_time(lambda: A @ (B @ v))
        """, f"""
            print(f"(AB)v: {{slow * 1e3:.1f}} {tr('ms', 'мс')}   A(Bv): {{fast * 1e3:.2f}} {tr('ms', 'мс')}   "
                  f"{tr('measured ratio', 'измеренное отношение')} {{slow / fast:.0f}}x")
        """, """
            assert torch.allclose(r1, r2, rtol=1e-3, atol=1e-2)
        """),
        md(r"""
            **Fusion**: a chain of elementwise operations run one by one reads and writes the whole array
            at every step, and allocates a new array for every intermediate result. A fused kernel reads
            each input element once, does all the arithmetic while it is in a register or cache, and writes
            the result once. Take the tanh approximation of GELU (lecture 5's activations):

            $$\mathrm{GELU}(x) \approx 0.5\,x\,\Bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\bigr)\Bigr)$$
        """, r"""
            **Слияние** (fusion): цепочка поэлементных операций, выполняемых по одной, на каждом шаге читает и
            записывает весь массив и выделяет новый массив под каждый промежуточный результат. Слитое ядро читает
            каждый элемент входа один раз, выполняет всю арифметику, пока он лежит в регистре или в кэше, и один раз
            записывает результат. Возьмём приближение GELU через tanh (функции активации из лекции 5):

            $$\mathrm{GELU}(x) \approx 0.5\,x\,\Bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\bigr)\Bigr)$$
        """),
        code("""
            C = float(np.sqrt(2 / np.pi))

            def gelu_ops(x):                           # en: one minitorch op (and one new array) per step # ru: по операции minitorch (и новому массиву) на шаг
                # en: x * x * x: numpy's x ** 3 is a slow pow
                # ru: x * x * x: x ** 3 в numpy — медленный pow
                return 0.5 * x * (1 + torch.tanh(C * (x + 0.044715 * (x * x * x))))
        """, "", f"""
            def gelu_fused(x, chunk=16384):
                \"\"\"{tr('''What a fused kernel does, imitated in numpy: one output array, filled piece by piece;
                each piece stays in the CPU cache while all the steps run on it, in place.''',
                        '''То, что делает слитое ядро, в подражании на numpy: один выходной массив, заполняемый по
                кускам; каждый кусок остаётся в кэше CPU, пока над ним на месте выполняются все шаги.''')}\"\"\"
                x = x.numpy()
                out = np.empty_like(x)
                for start in range(0, x.size, chunk):
                    xs, o = x[start:start + chunk], out[start:start + chunk]
                    np.multiply(xs, xs, out=o); o *= xs; o *= 0.044715; o += xs; o *= C
                    np.tanh(o, out=o); o += 1; o *= xs; o *= 0.5
                return torch.from_numpy(out)
        """, "", """
            x = torch.randn(2 ** 22)                   # en: 4M floats = 16 MB # ru: 4M чисел float = 16 МБ
            MB = x.numel() * 4 / 2 ** 20
        """, "", f"""
            def extra_memory(fn):
                \"\"\"{tr("Peak memory allocated while fn runs, in units of the input's size.",
                        "Пиковая память, выделенная во время работы fn, в единицах размера входа.")}\"\"\"
                tracemalloc.start()
                result = fn()
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                return peak / 2 ** 20 / MB, result

            mem_ops, y_ops = extra_memory(lambda: gelu_ops(x))
            mem_fused, y_fused = extra_memory(lambda: gelu_fused(x))
            x_grad = x.clone().requires_grad_()
            mem_grad, y_grad = extra_memory(lambda: gelu_ops(x_grad))
            n_ops = graph_size(y_grad) - 1            # en: minus the leaf's AccumulateGrad # ru: без AccumulateGrad листа
        """, "", tr("""
            print(f"op by op: {n_ops} ops = {n_ops} new {MB:.0f} MB arrays, peak {mem_ops:.1f}x the input")
            print(f"  ... with requires_grad (intermediates kept for backward): peak {mem_grad:.1f}x the input")
            print(f"fused:    1 output array, peak {mem_fused:.1f}x the input")
        """, """
            print(f"по операциям: {n_ops} операций = {n_ops} новых массивов по {MB:.0f} МБ, пик {mem_ops:.1f}x от входа")
            print(f"  ... с requires_grad (промежуточные массивы хранятся для backward): пик {mem_grad:.1f}x от входа")
            print(f"слитно:       1 выходной массив, пик {mem_fused:.1f}x от входа")
        """), """
            assert torch.allclose(y_ops, y_fused, atol=1e-6)
            assert n_ops == 9 and mem_fused < 1.2 and mem_ops > 2 and mem_grad > mem_ops + 1
        """),
        code(volatile(tr("wall-clock timings differ on every run and machine",
                      "время по часам меняется от запуска к запуску и от машины к машине")), """
            t_ops, _ = best_time(lambda: gelu_ops(x))
            t_fused, _ = best_time(lambda: gelu_fused(x))
        """, tr("""
            print(f"op by op: {t_ops * 1e3:.0f} ms   fused: {t_fused * 1e3:.0f} ms")
        """, """
            print(f"по операциям: {t_ops * 1e3:.0f} мс   слитно: {t_fused * 1e3:.0f} мс")
        """), """
        """),
        md("""
            Without autograd, each intermediate array is freed as soon as the next op has used it, but
            every op still streams the whole 16 MB through memory (and allocates it); with autograd, the
            intermediates the backward pass needs stay alive. A compiler (XLA, `torch.compile`, TorchScript,
            cuDNN's fused kernels) generates the fused loop for you and can also decide which intermediates
            to recompute in the backward pass instead of storing them. The lecture's classic example is
            matmul + bias add + ReLU in one kernel: `nn.Linear` already fuses the first two into one `addmm`
            (its `grad_fn` is `AddmmBackward0`).

            ## 5. CPU vs GPU

            A CPU has a few powerful cores; a GPU has thousands of simple ones running the same instruction
            on different data, and its own fast memory. Big matrix products and convolutions are exactly
            that kind of work. The usual device-agnostic line:
        """, """
            Без автоматического дифференцирования каждый промежуточный массив освобождается, как только следующая
            операция его использовала, но каждая операция всё равно прогоняет через память все 16 МБ (и выделяет их
            заново); с автоматическим дифференцированием промежуточные массивы, нужные обратному проходу, остаются
            в памяти. Компилятор (XLA, `torch.compile`, TorchScript, слитые ядра cuDNN) генерирует слитый цикл за вас
            и может ещё решить, какие промежуточные значения пересчитать в обратном проходе, вместо того чтобы их
            хранить. Классический пример из лекции — умножение матриц + прибавление смещения + ReLU в одном ядре:
            `nn.Linear` уже сливает первые два в один `addmm` (его `grad_fn` — `AddmmBackward0`).

            ## 5. CPU против GPU

            У CPU несколько мощных ядер; у GPU — тысячи простых, выполняющих одну и ту же инструкцию над разными
            данными, и собственная быстрая память. Большие матричные произведения и свёртки — ровно такая работа.
            Обычная строка, не зависящая от устройства:
        """),
        code(volatile(tr("the device depends on the machine (cpu here, cuda:0 on a GPU)",
                      "устройство зависит от машины (здесь cpu, на GPU — cuda:0)")), """
            device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
        """, f"""
            print("{tr('device:', 'устройство:')}", device, "{tr('| CUDA available:', '| CUDA доступна:')}", torch.cuda.is_available())
        """),
        md("""
            The lecture's experiment: a 5000x5000 matrix product (250 GFLOP), 0.78 s on its CPU, 8 ms on its
            GPU. On this CPU we time a 2500x2500 product (8x less work) and scale up.
        """, """
            Эксперимент из лекции: произведение матриц 5000x5000 (250 GFLOP) — 0.78 с на её CPU и 8 мс на её GPU.
            На этом CPU мы замеряем произведение 2500x2500 (в 8 раз меньше работы) и пересчитываем.
        """),
        code(volatile(tr("wall-clock timings differ on every run and machine",
                      "время по часам меняется от запуска к запуску и от машины к машине")), """
            n = 2500
            a = torch.randn(n, n)
            cpu_s, _ = best_time(lambda: torch.matmul(a, a), repeat=2)
            gflops = 2 * n ** 3 / cpu_s / 1e9
        """, tr("""
            print(f"CPU: {n}x{n} in {cpu_s:.3f} s = {gflops:.0f} GFLOP/s -> 5000x5000 would take about {8 * cpu_s:.1f} s")
        """, """
            print(f"CPU: {n}x{n} за {cpu_s:.3f} с = {gflops:.0f} GFLOP/s -> 5000x5000 заняло бы около {8 * cpu_s:.1f} с")
        """), """
        """),
        md("""
            On a GPU, three things make naive timing wrong:

            1. **Kernels run asynchronously**: `torch.matmul` on a CUDA tensor only *queues* the work and
               returns at once. Call `torch.cuda.synchronize()` before reading the clock, or time on the
               GPU itself with `torch.cuda.Event(enable_timing=True)`.
            2. **The first operation pays for initialisation** (context, cuBLAS handles, loading kernels):
               the lecture's `x = x + 0.0` before timing is a warm-up.
            3. **Copies** between CPU and GPU memory cost time too (the lecture measured 0.09 s for 100 MB).

            The next cell runs only where a GPU is present; here it explains instead.
        """, """
            На GPU три вещи делают наивный замер времени неверным:

            1. **Ядра выполняются асинхронно**: `torch.matmul` от тензора CUDA только *ставит* работу в очередь и
               сразу возвращается. Вызывайте `torch.cuda.synchronize()` перед тем, как смотреть на часы, или
               замеряйте время на самом GPU с помощью `torch.cuda.Event(enable_timing=True)`.
            2. **Первая операция платит за инициализацию** (контекст, дескрипторы cuBLAS, загрузка ядер):
               `x = x + 0.0` в лекции перед замером — это разогрев.
            3. **Копирование** между памятью CPU и GPU тоже занимает время (в лекции — 0.09 с на 100 МБ).

            Следующая ячейка работает только там, где есть GPU; здесь она вместо этого объясняет.
        """),
        code(volatile(tr("where a GPU is present it prints the GPU's name and timings",
                      "там, где есть GPU, ячейка печатает его название и замеры времени")), f"""
            if torch.cuda.is_available():
                print(torch.cuda.get_device_name(0))
                # en: the very first CUDA call creates the context: not part of any timing
                # ru: самый первый вызов CUDA создаёт контекст: он не должен попасть ни в один замер
                torch.zeros(1, device="cuda:0")
                x = torch.randn(5000, 5000)
                torch.cuda.synchronize()
                start = time.perf_counter()
                x = x.to("cuda:0")
                torch.cuda.synchronize()
                copy_s = time.perf_counter() - start

                x = x + 0.0                      # en: the lecture's warm-up: the first operations load their kernels # ru: разогрев из лекции: первые операции загружают свои ядра
                torch.matmul(x, x)
                torch.cuda.synchronize()

                start = time.perf_counter()      # en: WRONG: measures only queueing the kernel # ru: НЕВЕРНО: измеряет только постановку ядра в очередь
                y = torch.matmul(x, x)
                launch_s = time.perf_counter() - start
                torch.cuda.synchronize()

                start = time.perf_counter()      # en: right: wait for the GPU before reading the clock # ru: верно: дождаться GPU, прежде чем смотреть на часы
                y = torch.matmul(x, x)
                torch.cuda.synchronize()
                sync_s = time.perf_counter() - start

                begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                begin.record()                   # en: events are timestamps on the GPU's own timeline # ru: события — отметки времени на собственной шкале GPU
                for _ in range(10):
                    y = torch.matmul(x, x)
                end.record()
                torch.cuda.synchronize()
                event_ms = begin.elapsed_time(end) / 10

                print(f"{tr('CPU->GPU copy of 100 MB', 'копирование 100 МБ CPU->GPU')}: {{copy_s * 1e3:.1f}} {tr('ms', 'мс')}")
                print(f"{tr('matmul without synchronize: ', 'matmul без synchronize:    ')}{{launch_s * 1e3:.3f}} {tr('ms  <- only the launch', 'мс  <- только запуск')}")
                print(f"{tr('matmul with synchronize:    ', 'matmul с synchronize:      ')}{{sync_s * 1e3:.2f}} {tr('ms', 'мс')}")
                print(f"{tr('matmul by CUDA events:      ', 'matmul по событиям CUDA:   ')}{{event_ms:.2f}} {tr('ms', 'мс')} = {{2 * 5000 ** 3 / event_ms / 1e9:.0f}} TFLOP/s")
                print(f"{tr('speed-up over this CPU: about', 'ускорение относительно этого CPU: около')} {{8 * cpu_s * 1e3 / event_ms:.0f}}x")
                check = x[:100].cpu() @ x.cpu()
                assert torch.allclose(y[:100].cpu(), check, rtol=1e-3, atol=1e-2)
            else:
                print({no_gpu})
                try:
                    torch.ones(2, device="cuda")     # en: what asking for the GPU does here # ru: что здесь даёт запрос GPU
                except RuntimeError as error:
                    print("RuntimeError:", error)
        """),
        md("""
            ### cuDNN's flags

            cuDNN, NVIDIA's library of deep-learning kernels, has several algorithms for each convolution.
            `torch.backends.cudnn.benchmark = True` times them on the first call for each input shape and
            keeps the fastest (good when shapes don't change); `deterministic = True` restricts it to
            algorithms that give bit-identical results on every run. The lecture's recipe for reproducible
            experiments:
        """, """
            ### Флаги cuDNN

            У cuDNN, библиотеки ядер глубокого обучения от NVIDIA, есть несколько алгоритмов для каждой свёртки.
            `torch.backends.cudnn.benchmark = True` замеряет их при первом вызове для каждой формы входа и оставляет
            самый быстрый (хорошо, когда формы не меняются); `deterministic = True` ограничивает выбор алгоритмами,
            которые дают побитово одинаковый результат при каждом запуске. Рецепт из лекции для воспроизводимых
            экспериментов:
        """),
        code("""
            def set_seed(seed):
                np.random.seed(seed)
                torch.manual_seed(seed)
                if torch.cuda.is_available():   # en: the GPU has its own generators # ru: у GPU свои генераторы
                    torch.cuda.manual_seed(seed)
                    torch.cuda.manual_seed_all(seed)

            set_seed(42)
            # en: there are nondeterministic operations on the GPU; make them deterministic for reproducibility
            # ru: на GPU есть недетерминированные операции; делаем их детерминированными ради воспроизводимости
            torch.backends.cudnn.deterministic = True
            torch.backends.cudnn.benchmark = False
        """, f"""
            print("{tr('cudnn available:', 'cudnn доступен:')}", torch.backends.cudnn.is_available(),
                  "| deterministic:", torch.backends.cudnn.deterministic,
                  "| benchmark:", torch.backends.cudnn.benchmark)
            assert torch.backends.cudnn.deterministic and not torch.backends.cudnn.benchmark
        """),
        md_pieces(tr("""
            On a CPU the flags are simply stored (they change nothing). Measured on an H100 with minitorch
            (from `benchmarks/GPU_RESULTS.md`, produced by `python benchmarks/gpu.py`; milliseconds per call):
        """, """
            На CPU флаги просто запоминаются (ничего не меняют). Замеры на H100 с minitorch (из
            `benchmarks/GPU_RESULTS.md`, их даёт `python benchmarks/gpu.py`; миллисекунды на вызов):
        """), gpu_results(), tr("""
            Why does **float64 beat float32** in the matrix product? On an H100, full-precision float32
            products run on the ordinary CUDA cores (TF32 tensor cores are off for matrix products by default,
            as in PyTorch: `torch.backends.cuda.matmul.allow_tf32 = False`), while float64 products run on
            the H100's FP64 tensor cores, which this data-centre GPU has and gaming GPUs lack: both peak near
            67 TFLOP/s on paper, and the tensor-core path gets closer to its peak. This is special to such GPUs: on
            Colab's T4, float64 runs at 1/32 of the float32 rate. Allowing TF32 (`allow_tf32 = True`) makes
            float32 products faster at about 1e-3 relative precision: compare the first two convolution rows.

            Big kernels (the matrix product, convolutions) gain one to three orders of magnitude. Small
            ones, and models made of many small operations (the MLP step), gain little: each operation
            costs microseconds of Python and kernel launch whatever its size, which is one more reason
            frameworks fuse and compile.
        """, """
            Почему в произведении матриц **float64 обгоняет float32**? На H100 произведения в полной точности
            float32 выполняются на обычных ядрах CUDA (тензорные ядра TF32 для матричных произведений по
            умолчанию выключены, как в PyTorch: `torch.backends.cuda.matmul.allow_tf32 = False`), а произведения
            float64 — на тензорных ядрах FP64, которые есть у этого GPU для центров обработки данных и которых
            нет у игровых GPU: на бумаге у обоих путей пик около 67 TFLOP/s, но путь через тензорные ядра
            подходит к своему пику ближе. Это особенность именно таких GPU: на T4 в Colab float64 работает в 32
            раза медленнее float32. Если разрешить TF32 (`allow_tf32 = True`), произведения float32 становятся
            быстрее при относительной точности около 1e-3: сравните первые две строки свёрток.

            Большие ядра (произведение матриц, свёртки) выигрывают от одного до трёх порядков. Маленькие, а
            также модели из множества маленьких операций (шаг MLP), выигрывают мало: каждая операция стоит
            микросекунды Python и запуска ядра независимо от её размера — ещё одна причина, по которой
            фреймворки сливают операции и компилируют.
        """)),
        md("""
            ## 6. Data-parallel training

            With several GPUs (or machines), the usual strategy is **data parallelism**: every worker holds
            a copy of the model and processes its own shard of each batch. TensorFlow's distribution
            strategies (from the source course's framework overview) differ in how the gradients meet:

            - **Synchronous all-reduce** (`MirroredStrategy`, `MultiWorkerMirroredStrategy`, PyTorch's
              `DistributedDataParallel`): the workers average their gradients (all-reduce), and every
              worker applies the same update to its copy.
            - **Parameter server** (`ParameterServerStrategy`): a server holds the parameters; workers pull
              them, compute gradients and push them back. Synchronous, or **asynchronous**: the server
              applies each gradient as it arrives, without waiting for the others.

            We simulate K = 4 workers in one process.
        """, """
            ## 6. Обучение с параллелизмом по данным

            При нескольких GPU (или машинах) обычная стратегия — **параллелизм по данным**: у каждого исполнителя
            (worker) своя копия модели, и он обрабатывает свою часть (shard) каждого батча. Стратегии распределения
            TensorFlow (из обзора фреймворков в исходном курсе) различаются тем, как встречаются градиенты:

            - **Синхронный all-reduce** (`MirroredStrategy`, `MultiWorkerMirroredStrategy`, `DistributedDataParallel`
              в PyTorch): исполнители усредняют свои градиенты (all-reduce), и каждый применяет одно и то же
              обновление к своей копии.
            - **Сервер параметров** (`ParameterServerStrategy`): сервер хранит параметры; исполнители забирают
              их, вычисляют градиенты и отправляют обратно. Синхронно или **асинхронно**: сервер применяет каждый
              градиент, как только он приходит, не дожидаясь остальных.

            Мы моделируем K = 4 исполнителя в одном процессе.
        """),
        code("""
            train = datasets.MNIST5k(train=True)
            images, labels = train.data.float().view(-1, 784) / 255, train.targets
            K, BATCH, LR, ROUNDS = 4, 256, 0.1, 15
            batches = [(images[i:i + BATCH], labels[i:i + BATCH]) for i in range(0, ROUNDS * BATCH, BATCH)]

            def make_model(seed=0):
                torch.manual_seed(seed)
                return nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))

            def max_difference(m1, m2):
                return max((p - q).abs().max().item() for p, q in zip(m1.parameters(), m2.parameters()))
        """),
        *predict(tr("every worker computes the mean loss on its shard of 64 examples; the gradients are "
                    "averaged. Is the update the same as one worker doing SGD on the whole batch of 256 "
                    "(with momentum, for several steps)?",
                    "каждый исполнитель вычисляет среднюю функцию потерь на своей части из 64 примеров; градиенты "
                    "усредняются. Совпадает ли обновление с SGD одного исполнителя на всём батче из 256 примеров "
                    "(с моментом, на протяжении нескольких шагов)?"), f"""
            # en: one worker, large batch
            # ru: один исполнитель, большой батч
            big = make_model()
            big_optimizer = optim.SGD(big.parameters(), lr=LR, momentum=0.9)
            # en: K workers, each with its own replica and optimizer
            # ru: K исполнителей, у каждого своя копия модели и свой оптимизатор
            replicas = [copy.deepcopy(big) for _ in range(K)]
            optimizers = [optim.SGD(r.parameters(), lr=LR, momentum=0.9) for r in replicas]

            for data, target in batches:
                big_optimizer.zero_grad()
                F.cross_entropy(big(data), target).backward()
                big_optimizer.step()

                shards = zip(data.chunk(K), target.chunk(K))
                for replica, optimizer, (x_shard, y_shard) in zip(replicas, optimizers, shards):
                    optimizer.zero_grad()
                    F.cross_entropy(replica(x_shard), y_shard).backward()    # en: in parallel, on K devices # ru: параллельно, на K устройствах
                for params in zip(*(r.parameters() for r in replicas)):       # en: all-reduce: average the gradients # ru: all-reduce: усредняем градиенты
                    mean = torch.stack([p.grad for p in params]).mean(dim=0)
                    for p in params:
                        p.grad = mean.clone()
                for optimizer in optimizers:                                   # en: the same step everywhere # ru: один и тот же шаг везде
                    optimizer.step()

            print(f"{tr('largest difference, replica vs large batch:', 'наибольшая разница, копия и большой батч:')} {{max_difference(replicas[0], big):.1e}}")
            print(f"{tr('largest difference between replicas:       ', 'наибольшая разница между копиями:        ')} {{max(max_difference(replicas[0], r) for r in replicas):.1e}}")
        """, options=[tr("yes, up to rounding", "да, с точностью до округления"),
                      tr("no: the replicas drift apart", "нет: копии расходятся"),
                      tr("no: momentum makes them differ", "нет: из-за момента они различаются")],
            answer=0, why=tr("the mean of 4 shard means (equal shards) is the mean over the batch, so every replica "
                             "gets the large-batch gradient and applies the same step; momentum buffers stay equal too.",
                             "среднее 4 средних по частям (при равных частях) — это среднее по батчу, так что каждая "
                             "копия получает градиент большого батча и делает тот же шаг; буферы момента тоже остаются "
                             "равными.")),
        code("""
            assert max_difference(replicas[0], big) < 1e-6
            assert all(max_difference(replicas[0], r) == 0 for r in replicas)
        """),
        md(f"""
            The mean of the shard means is the mean over the whole batch (for equal shards), so synchronous
            data parallelism **is** large-batch SGD, only K times faster per step (minus communication).
            Two caveats: batch norm sees only its shard's statistics (hence `SyncBatchNorm`), and a larger
            batch usually needs a larger learning rate.

            A **parameter server** trades that exactness for not waiting: with K workers of equal speed
            each gradient arrives computed on parameters that are K - 1 updates old (**stale**). Below, the
            same shards of 64 examples are processed by plain SGD (one worker, never stale), by an
            asynchronous parameter server (staleness 3), and synchronously (= batch 256), each with
            {SEEDS} seeds (initial weights, and which examples come in which order).
        """, f"""
            Среднее средних по частям равно среднему по всему батчу (при равных частях), так что синхронный
            параллелизм по данным **и есть** SGD с большим батчем, только каждый шаг в K раз быстрее (за вычетом
            обмена данными). Две оговорки: батч-нормализация видит статистики только своей части (отсюда
            `SyncBatchNorm`), и для большего батча обычно нужна большая скорость обучения.

            **Сервер параметров** меняет эту точность на отсутствие ожидания: при K исполнителях одинаковой скорости
            каждый градиент приходит вычисленным на параметрах, устаревших на K - 1 обновлений (**устаревшие**, stale,
            градиенты). Ниже одни и те же части по 64 примера обрабатываются обычным SGD (один исполнитель, без
            устаревания), асинхронным сервером параметров (устаревание 3) и синхронно (= батч 256), каждый вариант
            с {SEEDS} зёрнами (начальные веса и то, какие примеры приходят и в каком порядке).
        """),
        code("""
            test = datasets.MNIST5k(train=False)
            eval_x, eval_y = test.data.float().view(-1, 784) / 255, test.targets

            def eval_loss(model):
                with torch.no_grad():
                    return F.cross_entropy(model(eval_x), eval_y).item()
        """, "", f"""
            def data_for(seed):
                \"\"\"{tr("The ROUNDS batches of BATCH examples a run with this seed sees: random examples, in a random order.",
                        "ROUNDS батчей по BATCH примеров, которые видит запуск с этим зерном: случайные примеры в случайном порядке.")}\"\"\"
                torch.manual_seed(seed)
                order = torch.randperm(len(images))[:ROUNDS * BATCH]
                return [(images[order[i:i + BATCH]], labels[order[i:i + BATCH]]) for i in range(0, ROUNDS * BATCH, BATCH)]
        """, "", f"""
            def parameter_server(staleness, seed=0, lr=LR):
                \"\"\"{tr("Plain SGD on shards of 64, each gradient computed on the parameters from `staleness` updates ago.",
                        "Обычный SGD на частях по 64 примера; каждый градиент вычислен на параметрах, устаревших на `staleness` обновлений.")}\"\"\"
                shards = [(x_s, y_s) for data, target in data_for(seed) for x_s, y_s in zip(data.chunk(K), target.chunk(K))]
                server = make_model(seed)
                history = [copy.deepcopy(server)]           # en: the versions workers pulled # ru: версии, которые забирали исполнители
                losses = [eval_loss(server)]
                for step, (x_s, y_s) in enumerate(shards):
                    worker = history[max(0, step - staleness)]   # en: what this worker pulled earlier # ru: то, что этот исполнитель забрал раньше
                    worker.zero_grad()
                    F.cross_entropy(worker(x_s), y_s).backward()
                    with torch.no_grad():                    # en: push: the server applies it at once # ru: отправка: сервер сразу применяет градиент
                        for p, q in zip(server.parameters(), worker.parameters()):
                            p -= lr * q.grad
                    history.append(copy.deepcopy(server))
                    if (step + 1) % K == 0:
                        losses.append(eval_loss(server))
                return losses
        """, "", """
            def synchronous(seed=0, lr=LR):
                model = make_model(seed)
                optimizer = optim.SGD(model.parameters(), lr=lr)
                losses = [eval_loss(model)]
                for data, target in data_for(seed):
                    optimizer.zero_grad()
                    F.cross_entropy(model(data), target).backward()
                    optimizer.step()
                    losses.append(eval_loss(model))
                return losses
        """, "", tr("""
            strategies = {"one worker, batch 64 (not stale)": lambda seed: parameter_server(0, seed),
                          f"async parameter server, {K} workers (staleness {K - 1})": lambda seed: parameter_server(K - 1, seed),
                          f"synchronous all-reduce, {K} x 64 = batch 256": lambda seed: synchronous(seed),
                          f"synchronous, batch 256, lr {K} x {LR}": lambda seed: synchronous(seed, lr=K * LR)}
        """, """
            strategies = {"один исполнитель, батч 64 (без устаревания)": lambda seed: parameter_server(0, seed),
                          f"асинхронный сервер параметров, {K} исполнителя (устаревание {K - 1})": lambda seed: parameter_server(K - 1, seed),
                          f"синхронный all-reduce, {K} x 64 = батч 256": lambda seed: synchronous(seed),
                          f"синхронный, батч 256, lr {K} x {LR}": lambda seed: synchronous(seed, lr=K * LR)}
        """), """
            curves = {name: np.array([run(seed) for seed in range(SEEDS)]) for name, run in strategies.items()}   # en: seeds x points # ru: зёрна x точки
            plt.figure(figsize=(6, 3))
            for name, losses in curves.items():
                examples = np.arange(losses.shape[1]) * BATCH
                line, = plt.plot(examples, losses.mean(axis=0), "o-", ms=3, label=name)
                plt.fill_between(examples, losses.min(axis=0), losses.max(axis=0), color=line.get_color(), alpha=0.2)
        """, f"""
            plt.xlabel("{tr('examples processed', 'обработано примеров')}")
            plt.ylabel(f"{tr('test loss (1000 digits)', 'потери на тесте (1000 цифр)')}, {{SEEDS}} {tr('seeds', 'зёрен')}")
            plt.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 1)); plt.show()
            for name, losses in curves.items():
                print(f"{{losses[:, -1].mean():.3f}} +- {{losses[:, -1].std():.3f}}  {{name}}")
        """),
        code("""
            fresh, stale, sync, sync_large_lr = (losses[:, -1] for losses in curves.values())   # en: the final loss of each seed # ru: итоговые потери каждого зерна
            start = curves[list(curves)[1]][:, 0]
            # en: every seed, not only on average:
            # ru: для каждого зерна, а не только в среднем:
            assert (fresh < stale).all() and (stale < start).all()      # en: stale gradients still learn, but worse # ru: устаревшие градиенты всё же учат, но хуже
            assert (fresh < sync_large_lr).all() and (sync > fresh).all()      # en: per example, fewer (larger) steps; per second, K workers in parallel # ru: на пример — меньше (бо́льших) шагов; в секунду — K исполнителей параллельно
            assert (sync_large_lr < sync).all()
            recovered = (sync.mean() - sync_large_lr.mean()) / (sync.mean() - fresh.mean())
            assert recovered > 0.5
        """, tr("""
            display(Markdown(f"In each of the {SEEDS} seeds the one worker ends lowest and the stale server above it; "
                             f"a {K} times larger learning rate recovers {recovered:.0%} of the synchronous run's gap "
                             f"to the one worker (mean final loss {sync.mean():.3f} -> {sync_large_lr.mean():.3f}; "
                             f"one worker {fresh.mean():.3f})."))
        """, """
            display(Markdown(f"Во всех {SEEDS} зёрнах один исполнитель заканчивает ниже всех, а сервер с устаревшими "
                             f"градиентами — выше него; скорость обучения, увеличенная в {K} раза, отыгрывает "
                             f"{recovered:.0%} отставания синхронного запуска от одного исполнителя (средние итоговые "
                             f"потери {sync.mean():.3f} -> {sync_large_lr.mean():.3f}; один исполнитель {fresh.mean():.3f})."))
        """)),
        md("""
            Per example processed, the single worker is best (many small, fresh steps), but it is one
            worker. The synchronous run takes a quarter of the steps, each on 4x the data in the time of
            one: with K GPUs it finishes K times sooner, and a K times larger learning rate recovers most of
            the gap. The asynchronous server never waits for stragglers, but its stale gradients make each
            step worth less (and can diverge at large learning rates).

            What travels per step, for P parameters: with a ring all-reduce every worker sends and receives
            about 2P(K-1)/K numbers, spread evenly; with a parameter server every worker sends P and
            receives P, but the server receives K·P, so its network link becomes the bottleneck (hence
            sharding the parameters over several servers).
        """, """
            На один пример обработанных данных лучше всех один исполнитель (много маленьких свежих шагов), но это
            всего один исполнитель. Синхронный вариант делает вчетверо меньше шагов, каждый — на вчетверо большем
            объёме данных за время одного: с K GPU он заканчивает в K раз раньше, а скорость обучения, увеличенная
            в K раз, отыгрывает большую часть отставания. Асинхронный сервер никогда не ждёт отстающих, но из-за устаревших
            градиентов каждый шаг стоит меньше (а при большой скорости обучения обучение может разойтись).

            Что передаётся за шаг при P параметрах: при кольцевом all-reduce каждый исполнитель отправляет и
            получает около 2P(K-1)/K чисел, поровну; при сервере параметров каждый исполнитель отправляет P и
            получает P, но сервер получает K·P, так что узким местом становится его сетевой канал (поэтому
            параметры делят между несколькими серверами, sharding).
        """),
        code("""
            P = sum(p.numel() for p in make_model().parameters())
        """, words("""
            for k in (4, 8, 64):
                ring = 2 * P * (k - 1) / k * 4 / 1e6
                print(f"K={k:2d}: ring all-reduce: each worker sends {ring:.2f} MB | parameter server: "
                      f"each worker sends {P * 4 / 1e6:.2f} MB, the server receives {k * P * 4 / 1e6:.1f} MB")
        """, {
            'f"K={k:2d}: ring all-reduce: each worker sends {ring:.2f} MB | parameter server: "': 'f"K={k:2d}: кольцевой all-reduce: каждый исполнитель отправляет {ring:.2f} МБ | сервер параметров: "',
            'f"each worker sends {P * 4 / 1e6:.2f} MB, the server receives {k * P * 4 / 1e6:.1f} MB"': 'f"каждый исполнитель отправляет {P * 4 / 1e6:.2f} МБ, сервер получает {k * P * 4 / 1e6:.1f} МБ"'})),
        md("""
            ### Real processes: `minitorch.distributed`

            The simulation ran the workers one after another in one Python process. With
            `minitorch.distributed` (the API of `torch.distributed`) they are real processes, started
            together by a launcher with torchrun's command line (`python -m minitorch.distributed.run
            --nproc-per-node 2 script.py`; under it MPI starts the processes, and `mpiexec -n 2 python
            script.py` works too). Each process is a **rank**; `all_reduce` sums a tensor over the ranks,
            in place, on every rank.

            The script below is what one rank runs. `DistributedDataParallel` broadcasts rank 0's
            parameters at the start, then, during `backward`, averages each gradient over the ranks as soon
            as it is ready (in buckets, asynchronously, while backward goes on with earlier layers).
            `DistributedSampler` would give each rank its share of a dataset; here each rank slices its
            shard from the same 15 batches as above. Rank 0 also trains the large-batch model alone and
            compares.
        """, """
            ### Настоящие процессы: `minitorch.distributed`

            Модель выше запускала исполнителей по очереди в одном процессе Python. С `minitorch.distributed` (API
            `torch.distributed`) это настоящие процессы, которые вместе запускает лаунчер с командной строкой
            torchrun (`python -m minitorch.distributed.run --nproc-per-node 2 script.py`; под ним процессы
            запускает MPI, и `mpiexec -n 2 python script.py` тоже работает). Каждый процесс — это **ранг** (rank);
            `all_reduce` суммирует тензор по всем рангам, на месте, на каждом ранге.

            Скрипт ниже — то, что выполняет один ранг. `DistributedDataParallel` в начале рассылает параметры
            ранга 0, а затем во время `backward` усредняет каждый градиент по рангам, как только он готов (группами,
            bucket-ами, асинхронно, пока обратный проход продолжается по более ранним слоям). `DistributedSampler`
            выдал бы каждому рангу его долю набора данных; здесь каждый ранг вырезает свою часть из тех же 15
            батчей, что и выше. Ранг 0 ещё и обучает модель на большом батче в одиночку и сравнивает.
        """),
        code("""
            import os, subprocess, sys, tempfile
            lecture_folder = os.getcwd()
            scratch = tempfile.TemporaryDirectory()   # en: the scripts below are written to a fresh temporary folder # ru: скрипты ниже пишутся в новую временную папку
            os.chdir(scratch.name)
        """),
        code("""
            %%writefile ddp_mnist.py
            import minitorch as torch
            import minitorch.distributed as dist
            import minitorch.nn.functional as F
            from minitorch import nn, optim
            from minitorch.vision import datasets

            dist.init_process_group("mpi")
            rank, world = dist.get_rank(), dist.get_world_size()
            train = datasets.MNIST5k(train=True)
            images, labels = train.data.float().view(-1, 784) / 255, train.targets
            BATCH, LR, ROUNDS = 256, 0.1, 15

            def make_model():
                torch.manual_seed(0)
                return nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))

            def run(model, data_parallel):
                optimizer = optim.SGD(model.parameters(), lr=LR, momentum=0.9)
                for i in range(0, ROUNDS * BATCH, BATCH):
                    x, y = images[i:i + BATCH], labels[i:i + BATCH]
                    if data_parallel:                       # en: this rank's shard of the batch # ru: часть батча этого ранга
                        x, y = x.chunk(world)[rank], y.chunk(world)[rank]
                    optimizer.zero_grad()
                    F.cross_entropy(model(x), y).backward()   # en: DDP averages the gradients here # ru: здесь DDP усредняет градиенты
                    optimizer.step()

            ddp = nn.parallel.DistributedDataParallel(make_model())
            run(ddp, data_parallel=True)
        """, words("""
            if rank == 0:
                big = make_model()
                run(big, data_parallel=False)
                gap = max((p - q).abs().max().item() for p, q in zip(ddp.module.parameters(), big.parameters()))
                print(f"{world} ranks, each on {BATCH // world} examples per step")
                print(f"largest difference, DDP vs one process on batch {BATCH}: below 1e-6? {gap < 1e-6}")
        """, {
            'f"{world} ranks, each on {BATCH // world} examples per step"': 'f"рангов: {world}; примеров на шаг у каждого: {BATCH // world}"',
            'f"largest difference, DDP vs one process on batch {BATCH}: below 1e-6? {gap < 1e-6}"': 'f"наибольшая разница, DDP и один процесс на батче {BATCH}: меньше 1e-6? {gap < 1e-6}"'}), """
            dist.destroy_process_group()
        """),
        code(f"""
            def launch(ranks, *args):
                \"\"\"{tr("Run the script on `ranks` processes; return what they printed.",
                        "Запускает скрипт в `ranks` процессах; возвращает то, что они напечатали.")}\"\"\"
                result = subprocess.run([sys.executable, "-m", "minitorch.distributed.run", "--nproc-per-node", str(ranks),
                                         *args], capture_output=True, text=True)
                assert result.returncode == 0, result.stderr
                return result.stdout

            two, four = launch(2, "ddp_mnist.py"), launch(4, "ddp_mnist.py")
            print(two + four)
            assert two.count("True") == four.count("True") == 1
        """),
        md(r"""
            How long does an all-reduce take? The ring all-reduce of the section above, as a model: with $n$ ranks, a message
            of $b$ bytes goes around the ring in $2(n-1)$ steps, each costing a latency $a$ and
            moving $b/n$ bytes over a link of bandwidth $B$:

            $$t(b) = 2(n-1)\,a + \frac{2(n-1)}{n}\,\frac{b}{B}.$$

            Small messages pay the latency, large ones the bandwidth. Below, two ranks on this machine
            (processes on one computer talk through shared memory, so $B$ is a memory bandwidth) time
            all-reduces of growing size, and the model is fitted to the points. Timings vary from run to
            run, so this cell's output is not checked.
        """, r"""
            Сколько длится all-reduce? Кольцевой all-reduce из раздела выше в виде модели: при $n$ рангах сообщение
            из $b$ байт проходит по кольцу за $2(n-1)$ шагов, каждый из которых стоит задержку $a$ и переносит
            $b/n$ байт по каналу с пропускной способностью $B$:

            $$t(b) = 2(n-1)\,a + \frac{2(n-1)}{n}\,\frac{b}{B}.$$

            Маленькие сообщения платят задержку, большие — пропускную способность. Ниже два ранга на этой машине
            (процессы на одном компьютере общаются через общую память, так что $B$ — пропускная способность
            памяти) замеряют all-reduce растущего размера, и модель подгоняется к точкам. Время меняется от
            запуска к запуску, поэтому вывод этой ячейки не проверяется.
        """),
        code(volatile(tr("wall-clock timings of the all-reduce differ on every run and machine",
                      "время all-reduce по часам меняется от запуска к запуску и от машины к машине")), """
            with open("allreduce_timing.py", "w") as f:
                f.write(\"\"\"
            import time, minitorch as torch, minitorch.distributed as dist
            dist.init_process_group("mpi")
            for size in [2 ** k for k in range(10, 25, 2)]:            # en: bytes: 1 KiB .. 16 MiB # ru: байты: 1 КиБ .. 16 МиБ
                t = torch.ones(size // 4)
                times = []
                for _ in range(7):
                    dist.barrier()
                    start = time.perf_counter()
                    dist.all_reduce(t)
                    times.append(time.perf_counter() - start)
                if dist.get_rank() == 0:
                    print(size, sorted(times)[3])                        # en: the median of 7 # ru: медиана из 7
            \"\"\")
            sizes, seconds = np.array([line.split() for line in launch(2, "allreduce_timing.py").split()]).reshape(-1, 2).T.astype(float)
            n = 2
            A = np.stack([np.full_like(sizes, 2 * (n - 1)), 2 * (n - 1) / n * sizes], axis=1)
            # en: least squares on relative errors (rows divided by their time): the times span orders of magnitude
            # ru: наименьшие квадраты по относительным ошибкам (строки делятся на своё время): времена различаются на порядки
            (a, inv_B), *_ = np.linalg.lstsq(A / seconds[:, None], np.ones_like(seconds), rcond=None)
        """, tr("""
            print(f"fitted: latency a = {a * 1e6:.0f} us per step, bandwidth B = {1 / inv_B / 1e9:.2f} GB/s")
            plt.loglog(sizes, seconds * 1e3, "o", label="measured (median of 7)")
            plt.loglog(sizes, A @ [a, inv_B] * 1e3, "-", label="ring model, fitted")
            plt.xlabel("message size (bytes)"); plt.ylabel("all-reduce time (ms)"); plt.legend(); plt.show()
        """, """
            print(f"подгонка: задержка a = {a * 1e6:.0f} мкс на шаг, пропускная способность B = {1 / inv_B / 1e9:.2f} ГБ/с")
            plt.loglog(sizes, seconds * 1e3, "o", label="замер (медиана из 7)")
            plt.loglog(sizes, A @ [a, inv_B] * 1e3, "-", label="кольцевая модель, подогнанная")
            plt.xlabel("размер сообщения (байты)"); plt.ylabel("время all-reduce (мс)"); plt.legend(); plt.show()
        """), """
            os.chdir(lecture_folder)
            scratch.cleanup()                # en: the scripts are gone: nothing is left in the lecture's folder or in /tmp # ru: скриптов больше нет: ни в папке лекции, ни в /tmp ничего не остаётся
        """),
        md("""
            The measured `benchmarks/DISTRIBUTED_RESULTS.md` (`python -m benchmarks.distributed`) has the same
            table up to 64 MiB and the DDP step time with one and two ranks. Two more pieces complete
            real data parallelism: `nn.SyncBatchNorm.convert_sync_batchnorm(model)` makes batch norm use the
            statistics of the whole batch over every rank (the caveat above), and `ddp.no_sync()` accumulates
            gradients locally over several batches before one averaging. On several machines the same
            commands run with an MPI hostfile: `python -m minitorch.distributed.run --nnodes 2
            --nproc-per-node 4 --hostfile hosts train.py`.
        """, """
            В замерах `benchmarks/DISTRIBUTED_RESULTS.md` (`python -m benchmarks.distributed`) есть та же таблица
            до 64 МиБ и время шага DDP с одним и двумя рангами. Настоящий параллелизм по данным дополняют ещё две
            вещи: `nn.SyncBatchNorm.convert_sync_batchnorm(model)` заставляет батч-нормализацию использовать
            статистики всего батча по всем рангам (оговорка выше), а `ddp.no_sync()` накапливает градиенты локально
            за несколько батчей перед одним усреднением. На нескольких машинах те же команды запускаются с файлом
            хостов MPI: `python -m minitorch.distributed.run --nnodes 2 --nproc-per-node 4 --hostfile hosts train.py`.
        """),
        *landscape(),
        *try_it([
            (tr("Add a `time.sleep` to one simulated worker: which strategy waits for it?",
                "Добавьте `time.sleep` одному из моделируемых исполнителей: какая стратегия будет его ждать?"), tr("""
                Synchronous all-reduce: every step needs all K gradients, so each step takes as long as the
                slowest worker. The asynchronous parameter server applies the other workers' gradients as they
                arrive; the slow worker's gradients only arrive later and more stale.
            """, """
                Синхронный all-reduce: каждому шагу нужны все K градиентов, так что каждый шаг длится столько же,
                сколько у самого медленного исполнителя. Асинхронный сервер параметров применяет градиенты других
                исполнителей по мере их прихода; градиенты медленного исполнителя просто приходят позже и более
                устаревшими.
            """)),
            (tr("In the synchronous simulation, give the shards unequal sizes (e.g. `torch.split(data, [100, 60, 60, 36])`): "
                "why does the plain average of gradients stop matching large-batch SGD?",
                "В модели синхронного обучения сделайте части неравными (например, `torch.split(data, [100, 60, 60, 36])`): "
                "почему простое среднее градиентов перестаёт совпадать с SGD на большом батче?"), tr("""
                Each shard's loss is a mean over its own examples, so averaging the K shard gradients weights an
                example of the 36-shard more than one of the 100-shard. Weight each shard's gradient by its size:
                `sum(n_k * g_k) / sum(n_k)` (or use `reduction="sum"` per shard and divide by the batch size).
            """, """
                Функция потерь каждой части — среднее по её собственным примерам, поэтому при усреднении K градиентов
                пример из части размера 36 весит больше, чем пример из части размера 100. Взвесьте градиент каждой
                части её размером: `sum(n_k * g_k) / sum(n_k)` (или используйте `reduction="sum"` в каждой части и
                разделите на размер батча).
            """)),
            (tr("Increase the learning rate of the asynchronous parameter server until it diverges; does the one-worker "
                "run survive the same learning rate?",
                "Увеличивайте скорость обучения асинхронного сервера параметров, пока обучение не разойдётся; выдержит "
                "ли ту же скорость обучения запуск с одним исполнителем?"), tr("""
                Compare `parameter_server(staleness=3, lr=lr)[-1]` with `parameter_server(staleness=0, lr=lr)[-1]` for
                lr in 0.1, 0.5, 1, 2. At 0.5 the stale server is already stuck at the loss of guessing (about
                $\\ln 10$) while the one-worker run learns better than at 0.1; only at the largest rates do both
                fail. A gradient computed 3 updates ago points where the parameters were, so large steps overshoot.
            """, """
                Сравните `parameter_server(staleness=3, lr=lr)[-1]` с `parameter_server(staleness=0, lr=lr)[-1]` для
                lr из 0.1, 0.5, 1, 2. При 0.5 сервер с устаревшими градиентами уже застревает на потерях случайного
                угадывания (около $\\ln 10$), а запуск с одним исполнителем учится лучше, чем при 0.1; только при самых
                больших скоростях проваливаются оба. Градиент, вычисленный 3 обновления назад, указывает туда, где
                параметры были раньше, поэтому большие шаги проскакивают мимо.
            """)),
            (tr("Fit the Keras-style model of section 7 with `SGD(lr=0.5)` and `Adam(lr=1e-3)`, logging both to the "
                "`SummaryWriter`, and compare the curves.",
                "Обучите модель в стиле Keras из раздела 7 с `SGD(lr=0.5)` и с `Adam(lr=1e-3)`, записывая обе в "
                "`SummaryWriter`, и сравните кривые."), with_code("""
                ```python
                for name, make in {"sgd": lambda p: optim.SGD(p, lr=0.5), "adam": lambda p: optim.Adam(p, lr=1e-3)}.items():
                    torch.manual_seed(0)
                    model = Sequential([Dense(128, activation="relu"), Dense(10)])
                    model.compile(loss="sparse_categorical_crossentropy", optimizer=make)
                    model.fit(x_digits, y_digits, epochs=3, batch_size=64, log=writer, run=name)
                writer.show("loss")
                ```""", """
                Then judge with several seeds, as in section 7, before declaring a winner.
            """, """
                Затем, прежде чем объявлять победителя, проверьте на нескольких зёрнах, как в разделе 7.
            """)),
            (tr("Write an fx pass: in `graph_module`, replace every `clamp(min=0)` by `torch.relu` (loop over "
                "`graph.nodes`, create the new node with `graph.inserting_after`, `replace_all_uses_with`, `erase_node`, "
                "then `recompile()`), and check the results do not change.",
                "Напишите проход fx: в `graph_module` замените каждый `clamp(min=0)` на `torch.relu` (цикл по "
                "`graph.nodes`, новый узел создаётся через `graph.inserting_after`, затем `replace_all_uses_with`, "
                "`erase_node` и `recompile()`), и проверьте, что результаты не меняются."), with_code("""
                ```python
                graph = graph_module.graph
                for node in list(graph.nodes):
                    if node.op == "call_method" and node.target == "clamp" and node.kwargs.get("min") == 0:
                        with graph.inserting_after(node):
                            relu = graph.call_function(torch.relu, (node.args[0],))
                        node.replace_all_uses_with(relu)
                        graph.erase_node(node)
                graph.lint()
                graph_module.recompile()
                print(graph_module.code)
                ```""", """
                Compare `graph_module(x)` with the network's eager output on a few inputs (`torch.allclose`).
                A `clamp` written as `torch.clamp(...)` is a `call_function` node, not a `call_method`: match both.
            """, """
                Сравните `graph_module(x)` с выходом сети без графа (eager) на нескольких входах (`torch.allclose`).
                `clamp`, записанный как `torch.clamp(...)`, — это узел `call_function`, а не `call_method`:
                учитывайте оба случая.
            """)),
        ]),
        homework(9, """
            implement synchronous data-parallel SGD (gradient all-reduce) and check that it matches large-batch SGD.
        """, """
            реализуйте синхронный SGD с параллелизмом по данным (all-reduce градиентов) и проверьте, что он
            совпадает с SGD на большом батче.
        """),
    ]

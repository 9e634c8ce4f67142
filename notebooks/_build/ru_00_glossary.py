"""Builder of ``notebooks/ru/00_glossary.ipynb``: the Russian terms of the source lectures and the
English names of the API they stand for, each with a tiny runnable example.

The terms are the ones the Russian lectures use (``/work/shared/seeds``, files 000-003): "граф
вычислений", "затухание градиентов", "паралич сети", "смежность" for contiguity, "вытягиваем"
for ``view(-1)``... Build it with ``python -m notebooks._build.ru_00_glossary``. Every printed
value is deterministic (fixed tensors or a fixed seed), so a fresh run equals the committed one.
"""

import nbformat

from minitorch._publish import colab_setup_cell
from notebooks._build.common import badge, code, md, write_and_execute

FILE = "ru/00_glossary.ipynb"
RUNTIME_S = 10


def table(rows):
    """A markdown table of (термин лекций, имя в API, где встречается)."""
    lines = ["| термин лекций | имя в API (PyTorch, minitorch) | где в курсе |", "| --- | --- | --- |"]
    return "\n".join(lines + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def cells():
    return [
        md(f"""
            # Глоссарий: термины лекций и имена API

            {badge(FILE)}

            Лекции курса написаны по-русски, а код — на английском API PyTorch (`import minitorch
            as torch` запускает тот же код). Здесь каждый термин лекций сопоставлен с именем в
            API, на которое он указывает, и показан на крошечном примере. Сообщения об ошибках
            библиотеки остаются английскими, как в PyTorch: по ним удобно искать ответы.

            Время выполнения: около {RUNTIME_S} секунд на 2-ядерном CPU.
            """),
        nbformat.v4.new_code_cell(colab_setup_cell(language="ru")),
        code("import minitorch as torch\nfrom minitorch import nn"),
        md("""
            ## 1. Тензоры и их хранение

            """ + table([
                ("тензор", "`torch.Tensor`, `torch.tensor(...)`", "лекция 01"),
                ("ранг, число размерностей", "`x.dim()`, `x.ndim`", "лекция 01"),
                ("размерность (ось)", "`dim=` в операциях", "лекция 01"),
                ("форма, размер", "`x.shape`, `x.size()`", "лекция 01"),
                ("тип данных", "`x.dtype` (`torch.float32`, `torch.int64`...)", "лекция 01"),
                ("устройство", "`x.device`, `x.to(\"cuda\")`", "лекции 01, 09"),
                ("хранилище (storage)", "`x.untyped_storage()`", "лекция 02, ДЗ 3"),
                ("шаг (stride)", "`x.stride()`", "лекция 02, ДЗ 3"),
                ("смещение (storage offset)", "`x.storage_offset()`", "лекция 02, ДЗ 3"),
                ("представление (view)", "`x.view(...)`, `x.t()`, `x.permute(...)`", "лекция 02, ДЗ 3"),
                ("смежность (непрерывность в памяти)", "`x.is_contiguous()`, `x.contiguous()`", "лекция 02"),
                ("вытягивание в вектор", "`x.view(-1)`, `x.reshape(-1)`, `x.flatten()`", "лекция 02"),
                ("транслирование (broadcasting)", "правила broadcasting, `x + y` разных форм", "лекция 01"),
            ])),
        code('''
            x = torch.arange(8).view(4, 2)                 # тензор формы (4, 2)
            print(x.dim(), tuple(x.shape), x.dtype)          # ранг, форма, тип данных
            print(x.stride(), x.t().stride())                # шаги: (2, 1) и у транспонированного (1, 2)
            y = x[1:, 1]                                     # представление: те же данные, другие шаги
            print(y, y.stride(), y.storage_offset())         # смещение 3: y[0] — это ячейка 3 хранилища
            print(x.is_contiguous(), x.t().is_contiguous())  # смежность
            print(x.t().reshape(-1))                         # вытягиваем (reshape копирует, когда view нельзя)
            '''),
        code('''
            try:
                x.t().view(-1)  # представление невозможно: ошибка остаётся английской, как в PyTorch
            except RuntimeError as error:
                print(error)
            '''),
        md("""
            ## 2. Граф вычислений и обратное распространение ошибки

            """ + table([
                ("граф вычислений", "`y.grad_fn`, `requires_grad=True`", "лекция 03, ДЗ 6"),
                ("прямой проход", "`forward`, `model(x)`", "лекции 03, 08"),
                ("обратное распространение ошибки (backprop), обратный проход", "`loss.backward()`, `Function.backward`", "лекция 03, ДЗ 5"),
                ("цепное правило", "chain rule: `grad_output` в `backward`", "лекция 03"),
                ("производная, градиент", "`x.grad`, `torch.autograd.grad`", "лекция 03"),
                ("функция автоматического дифференцирования", "`torch.autograd.Function`", "ДЗ 1, 5, 7"),
                ("отключить вычисление градиентов", "`torch.no_grad()`, `x.detach()`", "лекция 03"),
            ])),
        code('''
            a = torch.tensor(2.0, requires_grad=True)
            b = torch.tensor(3.0, requires_grad=True)
            c = a * b + a.exp()       # прямой проход строит граф вычислений
            print(c.grad_fn.name())   # последний узел графа
            c.backward()              # обратное распространение ошибки по цепному правилу
            print(a.grad, b.grad)     # dc/da = b + e^a, dc/db = a
            '''),
        md("""
            ## 3. Обучение сети

            """ + table([
                ("функция активации", "`nn.ReLU`, `nn.Sigmoid`, `nn.Tanh`, `F.gelu`...", "лекция 05, ДЗ 1"),
                ("сигмоида (логистическая функция)", "`torch.sigmoid`, `nn.Sigmoid`", "лекции 04, 05"),
                ("функция потерь", "`nn.CrossEntropyLoss`, `F.mse_loss`...", "лекции 07, 08"),
                ("параметры, веса, смещение (bias)", "`model.parameters()`, `layer.weight`, `layer.bias`", "лекция 08"),
                ("батч, мини-батч", "первая размерность входа; `DataLoader(batch_size=...)`", "лекция 07"),
                ("эпоха", "один проход по `DataLoader`", "лекция 08"),
                ("градиентный спуск, стохастический градиентный спуск", "`torch.optim.SGD`", "лекция 07, ДЗ 4"),
                ("скорость обучения", "`lr=`", "лекция 07, ДЗ 4"),
                ("момент, момент Нестерова", "`momentum=`, `nesterov=True`", "лекция 07, ДЗ 4"),
                ("оптимизатор", "`torch.optim.Optimizer`, `optimizer.step()`, `optimizer.zero_grad()`", "лекция 07, ДЗ 4"),
                ("перемешивание примеров", "`DataLoader(shuffle=True)`", "лекция 07"),
                ("зерно (seed) генератора случайных чисел", "`torch.manual_seed(0)`, `torch.Generator().manual_seed(0)`",
                 "все лекции: сравнения повторяются с 5 зёрнами"),
                ("переобучение", "overfitting", "лекция 06"),
                ("регуляризация (L1, L2)", "`weight_decay=`", "лекция 07"),
                ("аугментация", "`torchvision.transforms`: `RandomRotation`...", "лекция 06, ДЗ 2"),
                ("затухание градиентов", "vanishing gradients", "лекция 04, ДЗ 1"),
                ("паралич сети", "saturation: градиенты первых слоёв почти нулевые, сеть не учится", "лекция 04"),
            ])),
        md("""
            Затухание градиентов и паралич сети: производная сигмоиды не больше 1/4, поэтому при
            обратном распространении через много слоёв градиент первых слоёв становится на порядки
            меньше, чем у последних (в эксперименте лекции: 6.2e-8 у первого скрытого слоя против
            0.015 у выхода).
            """),
        code('''
            torch.manual_seed(0)
            layers = []
            for _ in range(5):
                layers += [nn.Linear(100, 100), nn.Sigmoid()]
            net = nn.Sequential(*layers, nn.Linear(100, 26))
            net(torch.randn(32, 100)).sum().backward()
            for k, layer in enumerate(m for m in net if isinstance(m, nn.Linear)):
                print(f"слой {k}: средний |градиент весов| = {layer.weight.grad.abs().mean().item():.1e}")
            '''),
        md("""
            ## 4. Свёрточные сети и фреймворки

            """ + table([
                ("свёрточный слой, свёртка", "`nn.Conv2d`, `F.conv2d`", "лекция 08, ДЗ 7"),
                ("ядро (фильтр) свёртки", "`conv.weight`, `kernel_size=`", "лекция 08, ДЗ 7"),
                ("подвыборка (пулинг)", "`nn.MaxPool2d`, `F.max_pool2d`", "лекция 08, ДЗ 7"),
                ("батч-нормализация", "`nn.BatchNorm2d`", "лекция 08, ДЗ 7"),
                ("dropout (прореживание)", "`nn.Dropout`, `nn.Dropout2d`", "лекция 08"),
                ("статический и динамический граф вычислений", "static / dynamic graph", "лекция 09"),
                ("параллелизм по данным", "data parallelism, all-reduce", "лекция 09, ДЗ 8"),
            ])),
        code('''
            conv = nn.Conv2d(1, 2, kernel_size=3)        # свёрточный слой: 2 ядра 3x3
            pool = nn.MaxPool2d(2)                       # подвыборка (пулинг)
            image = torch.ones(1, 1, 6, 6)               # батч из одного изображения 6x6
            print(tuple(conv.weight.shape), tuple(pool(conv(image)).shape))
            '''),
    ]


if __name__ == "__main__":
    seconds = write_and_execute(FILE, cells(), RUNTIME_S)
    print(f"{FILE}: executed in {seconds:.1f} s")

"""Builds notebooks/01_tensors.ipynb and notebooks/ru/01_tensors.ipynb: tensors, dtypes, indexing,
views vs copies, broadcasting.

Examples and printed outputs follow the source course's PyTorch tutorial (its tensors and tensor-operations
sections: new_ones, as_tensor, in-place add_/fill_, mm/mv/dot/matmul/bmm); the Russian text uses that
tutorial's words (состыковка, фиктивная размерность, inplace-операции).
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, tr, try_it,
                                     words)

FILE = "01_tensors.ipynb"
RUNTIME_S = 5


def cells():
    return [
        header(1, tr("Tensors", "Тензоры"), FILE, [
            tr("create tensors (from data, filled, random, ranges, `*_like`) and read their attributes",
               "создавать тензоры (из данных, заполненные, случайные, диапазоны, `*_like`) и читать их атрибуты"),
            tr("predict the dtype of a mixed expression (type promotion)",
               "предсказывать тип результата выражения со смешанными типами (приведение типов)"),
            tr("index and slice, and tell a view (shared memory) from a copy",
               "индексировать и брать срезы, отличать представление (общая память) от копии"),
            tr("stack, concatenate, split, squeeze and unsqueeze",
               "состыковывать, конкатенировать и разбивать тензоры, добавлять и удалять фиктивные размерности"),
            tr("apply the two broadcasting rules", "применять два правила транслирования (broadcasting)"),
            tr("use in-place operations (`add_`, `fill_`) and the products `mm`, `mv`, `dot`, `matmul` (`@`), `bmm`",
               "пользоваться inplace-операциями (`add_`, `fill_`) и произведениями `mm`, `mv`, `dot`, `matmul` (`@`), `bmm`"),
            tr("compute statistics, move data to and from numpy, save, load and seed",
               "вычислять статистики, передавать данные в numpy и обратно, сохранять и загружать тензоры, "
               "фиксировать генератор случайных чисел"),
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import os
            import tempfile

            import numpy as np
            import minitorch as torch
        """),
        quiz_cell(),
        md("""
            A **tensor** is an n-dimensional array of numbers of one type. In PyTorch (and in minitorch,
            which runs the same code) it can also live on a GPU and remember how it was computed, for
            automatic differentiation (lecture 3). Everything below is `import minitorch as torch`:
            the same lines run unchanged with real PyTorch.

            ## 1. A first tensor and its attributes
        """, """
            **Тензор** — многомерный массив чисел одного типа. В PyTorch (и в minitorch, который
            выполняет тот же код) он может ещё и находиться на GPU и помнить, как был вычислен, — для
            автоматического дифференцирования (лекция 3). Всюду ниже `import minitorch as torch`:
            те же строки без изменений работают с настоящим PyTorch.

            ## 1. Первый тензор и его атрибуты
        """),
        code("""
            x = torch.tensor([[1, 2, 3], [4, 5, 6]])
            print(x, '\\n',
                  x.shape, '\\n',    # en: the size of every dimension # ru: размер по каждой размерности
                  x.dtype, '\\n',    # en: the element type # ru: тип элементов
                  x.device, '\\n',   # en: where it lives # ru: где он размещён
                  x.type(), '\\n',   # en: the legacy type name # ru: устаревшее имя типа
                  x.dim(), '\\n',    # en: the number of dimensions # ru: число размерностей
                  x.size(), '\\n',   # en: .shape and .size() are the same # ru: .shape и .size() — одно и то же
                  x.numel())        # en: the number of elements # ru: число элементов
        """),
        code("""
            assert x.shape == (2, 3) and x.dtype == torch.int64 and x.numel() == 6 and x.dim() == 2
        """),
        md("""
            ## 2. Creating tensors

            Every creation function takes `dtype=` (element type) and `device=` (where to put it).
        """, """
            ## 2. Создание тензоров

            У всех функций создания тензоров есть параметры `dtype=` (тип элементов) и `device=` (где
            размещать тензор).
        """),
        code("""
            print(torch.ones(3, 5))                              # en: all ones # ru: матрица из 1
            print(torch.full((3, 5), 3.14, dtype=torch.float))   # en: all 3.14 # ru: матрица из 3.14
            print(torch.eye(3, 5))                               # en: ones on the main diagonal # ru: единицы на главной диагонали
            print(torch.arange(0, 10, 2))                        # en: like np.arange # ru: аналог np.arange
            print(torch.linspace(0, 10, 3))                      # en: like np.linspace # ru: аналог np.linspace
            print(torch.logspace(0, 1, 3))                       # en: like np.logspace # ru: аналог np.logspace
        """),
        md("""
            `torch.empty(3, 5)` only reserves memory: its values are whatever was there before, so never
            read them before writing. The `*_like` functions copy shape, dtype and device from a model tensor.
        """, """
            `torch.empty(3, 5)` только выделяет память: в ней лежит то, что было там раньше, поэтому
            никогда не читайте такие значения, пока не запишете свои. Функции `*_like` делают тензор «по
            образцу»: берут у него форму, тип и устройство.
        """),
        code("""
            x = torch.linspace(0, 10, 3)
            print(torch.empty(3, 5).shape)
            torch.empty_like(x).shape, torch.zeros_like(x), torch.ones_like(x)
        """),
        md("""
            `x.new_ones(...)`, `x.new_zeros(...)`, `x.new_full(...)`, `x.new_tensor(...)` make a tensor of a
            *new* shape with `x`'s dtype and device. `torch.as_tensor(data)` converts without copying when it
            can (a numpy array of the right dtype is shared); `torch.tensor(data)` always copies.
        """, """
            `x.new_ones(...)`, `x.new_zeros(...)`, `x.new_full(...)`, `x.new_tensor(...)` создают тензор
            *новой* формы с типом и устройством `x`. `torch.as_tensor(data)` преобразует данные без
            копирования, когда это возможно (массив numpy подходящего типа становится общим);
            `torch.tensor(data)` копирует всегда.
        """),
        code("""
            x = torch.tensor([[1, 2], [3, 4]], dtype=torch.float64)
            print(x.new_ones(2, 3))            # en: float64, like x # ru: float64, как у x
            print(x.new_full((2,), 7))
            a = np.array([1.0, 2.0])
            shared, copied = torch.as_tensor(a), torch.tensor(a)
            a[0] = 100
            print(shared, copied)              # en: as_tensor saw the change: it shares a's memory # ru: as_tensor видит изменение: у него общая память с a
            assert x.new_ones(2, 3).dtype == torch.float64 and shared[0].item() == 100 and copied[0].item() == 1
        """),
        md("""
            Random tensors: `rand` is uniform on [0, 1), `randn` is standard normal, `randint(low, high)`
            excludes `high`. Seeding the generator makes them reproducible; minitorch's generator is
            PyTorch's, so `torch.manual_seed(123)` gives the very numbers PyTorch gives.
        """, """
            Случайные тензоры: `rand` равномерно распределён на [0, 1), `randn` — стандартное нормальное
            распределение, `randint(low, high)` не включает `high`. Инициализация генератора
            (`manual_seed`) делает их воспроизводимыми; генератор minitorch — тот же, что в PyTorch,
            поэтому `torch.manual_seed(123)` даёт ровно те же числа, что и PyTorch.
        """),
        code("""
            torch.manual_seed(123)
            print(torch.rand(3, 5))
            torch.manual_seed(123)
            print(torch.randint(2, 4, (3, 5)))    # en: numbers from 2 to 4, 4 not included # ru: числа от 2 до 4 (не включая)
        """),
        code(f"""
            torch.manual_seed(123)
            assert round(torch.rand(3, 5)[0, 0].item(), 4) == 0.2961   # en: what PyTorch prints # ru: то, что печатает PyTorch

            torch.manual_seed(0)
            fig, axes = plt.subplots(1, 2, figsize=(6, 2.5))
            axes[0].hist(torch.rand(10_000).numpy(), bins=40)
            axes[0].set_title("{tr('torch.rand: uniform on [0, 1)', 'torch.rand: равномерное на [0, 1)')}")
            axes[1].hist(torch.randn(10_000).numpy(), bins=40)
            axes[1].set_title("{tr('torch.randn: normal(0, 1)', 'torch.randn: нормальное (0, 1)')}")
            plt.tight_layout()
            plt.show()
        """),
        md("""
            ## 3. dtypes and type promotion

            Converting explicitly: `.float()`, `.to(dtype)`; or implicitly, by computing with a float.
        """, """
            ## 3. Типы данных и приведение типов

            Тип можно сменить явно: `.float()`, `.to(dtype)`; или неявно, выполнив операцию с
            вещественным числом.
        """),
        code("""
            print(torch.IntTensor([1, 2]).float())
            print(torch.IntTensor([1, 2]).to(torch.float64))
            print(torch.IntTensor([1, 2]) + 0.0)
        """),
        *predict(tr("what are the dtypes of `torch.tensor([1, 2]) * 1.5`, of an `int32` tensor plus the "
                    "0-dimensional `torch.tensor(5)` (an `int64`), and of an `int8` tensor plus a `uint8` tensor?",
                    "какой тип у `torch.tensor([1, 2]) * 1.5`, у суммы тензора типа `int32` и 0-мерного "
                    "`torch.tensor(5)` (типа `int64`) и у суммы тензоров типов `int8` и `uint8`?"), """
            a = torch.tensor([1, 2]) * 1.5
            b = torch.tensor([1, 2], dtype=torch.int32) + torch.tensor(5)
            c = torch.tensor([1], dtype=torch.int8) + torch.tensor([1], dtype=torch.uint8)
            print(a.dtype, b.dtype, c.dtype)
        """, options=["float64, int64, int8", "float32, int32, int16", "float32, int64, uint8", "float64, int32, int16"],
            answer=1, why=tr("A Python float gives the default float dtype (float32); a 0-dimensional int64 does not "
                             "outrank an int32 tensor of the same category; int8 and uint8 need int16 to hold both ranges.",
                             "Вещественное число Python даёт вещественный тип по умолчанию (float32); 0-мерный int64 "
                             "не главнее тензора int32 той же категории; чтобы вместить диапазоны и int8, и uint8, "
                             "нужен int16.")),
        code("""
            assert (a.dtype, b.dtype, c.dtype) == (torch.float32, torch.int32, torch.int16)
        """),
        md("""
            The rules: a float beats an integer, which beats bool; a Python float becomes the *default*
            float dtype (`float32`); and a number or a 0-dimensional tensor only decides the result when it
            is of a higher *category* (bool < integer < float), otherwise the dimensioned tensors decide
            (that is why `int32 + tensor(5)` stays `int32`). Between two dimensioned tensors the result is
            the smallest type that holds both: `int8` and `uint8` need `int16`.
            `torch.promote_types` is that table; here is all of it:
        """, """
            Правила такие: вещественный тип главнее целого, целый главнее bool; вещественное число Python
            становится вещественным типом *по умолчанию* (`float32`); а число или 0-мерный тензор решают
            тип результата, только если их *категория* выше (bool < целые < вещественные), иначе решают
            тензоры с размерностями (поэтому `int32 + tensor(5)` остаётся `int32`). Для двух тензоров с
            размерностями результат — наименьший тип, вмещающий оба: для `int8` и `uint8` это `int16`.
            Эта таблица — `torch.promote_types`; вот она целиком:
        """),
        code(f"""
            dtypes = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
                      torch.float16, torch.float32, torch.float64]
            names = [str(d).replace("torch.", "") for d in dtypes]
            table = np.array([[dtypes.index(torch.promote_types(a, b)) for b in dtypes] for a in dtypes])

            fig, ax = plt.subplots(figsize=(4.5, 4))
            ax.imshow(table, cmap="Pastel1", vmin=0, vmax=8)
            for i in range(len(dtypes)):
                for j in range(len(dtypes)):
                    ax.text(j, i, names[table[i, j]].replace("float", "f").replace("int", "i"),
                            ha="center", va="center", fontsize=7)
            ax.set_xticks(range(len(dtypes)), names, rotation=90)
            ax.set_yticks(range(len(dtypes)), names)
            ax.set_title("{tr('torch.promote_types(row, column)', 'torch.promote_types(строка, столбец)')}")
            plt.show()
            assert torch.promote_types(torch.uint8, torch.int8) == torch.int16
            assert torch.promote_types(torch.int64, torch.float16) == torch.float16
        """),
        md("""
            ## 4. Indexing and slicing

            Python's `[start:stop:step]` in every dimension, as in numpy. An integer index removes a
            dimension; a list or a slice keeps it.
        """, """
            ## 4. Индексация и срезы

            Индексация как в Python и numpy: `[start:stop:step]` по каждой размерности.
            Целочисленный индекс убирает размерность; список или срез её сохраняет.
        """),
        code("""
            torch.manual_seed(0)
            x = torch.randint(0, 10, (2, 5))
            print(x)
            x[0], x[0, :], x[[0], :], x[:1, :]
        """),
        *predict(tr("which of `x[:, [1]]`, `x[:, 1]`, `x[:, -4]` keep two dimensions?",
                    "какие из `x[:, [1]]`, `x[:, 1]`, `x[:, -4]` сохраняют две размерности?"), """
            x[:, [1]], x[:, 1], x[:, -4]
        """, options=[tr("all three", "все три"), tr("only `x[:, [1]]`", "только `x[:, [1]]`"),
                      tr("`x[:, [1]]` and `x[:, -4]`", "`x[:, [1]]` и `x[:, -4]`"), tr("none of them", "ни одно")],
            answer=1, why=tr("A list index keeps its dimension (here of size 1); an integer removes it, negative or "
                             "not. `-4` counts from the end: in a row of 5 it is column 1 again, so `x[:, 1]` and "
                             "`x[:, -4]` are the same numbers.",
                             "Индекс-список сохраняет размерность (здесь размера 1); целое число убирает её, "
                             "отрицательное или нет. `-4` отсчитывается с конца: в строке из 5 элементов это снова "
                             "столбец 1, поэтому `x[:, 1]` и `x[:, -4]` — одни и те же числа.")),
        code("""
            assert x[:, [1]].shape == (2, 1) and x[:, 1].shape == (2,) and torch.equal(x[:, 1], x[:, -4])
            r = torch.arange(10)
            print(r[::3], r[-1], r[r > 5])     # en: a step, a negative index, a boolean mask # ru: шаг среза, отрицательный индекс, булева маска
        """),
        md("An element is still a (0-dimensional) tensor; `.item()` turns it into a Python number.",
           "Отдельный элемент — всё ещё (0-мерный) тензор; `.item()` превращает его в число Python."),
        code("""
            print(x[0, 0])         # en: a tensor # ru: это тензор
            print(x[0, 0].item())  # en: a Python int # ru: а это уже число Python
            assert isinstance(x[0, 0].item(), int)
        """),
        md("""
            ## 5. Copying vs viewing

            Two ways to copy a tensor. `copy_` writes into an existing tensor; `detach().clone()` makes a new
            one (`clone()` alone would stay connected to the autograd graph, so gradients would flow
            through the copy back to the original).
        """, """
            ## 5. Копия и представление

            Два способа скопировать тензор. `copy_` записывает данные в уже существующий тензор;
            `detach().clone()` создаёт новый (один `clone()` оставил бы копию в графе вычислений, и
            градиенты проходили бы через копию к оригиналу).
        """),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            x2 = torch.empty_like(x).copy_(x)    # en: possible # ru: формально можно так
            print(x2)
            x2 = x.detach().clone()              # en: better # ru: но лучше так
            x[0, 1] = 10
            print((x, x2))
        """),
        *predict(tr("`xt = x.t()` transposes `x`. If we now set `x[0, 0] = 30`, what is `xt[0, 0]`?",
                    "`xt = x.t()` транспонирует `x`. Если теперь присвоить `x[0, 0] = 30`, чему равно `xt[0, 0]`?"), """
            xt = x.t()
            x[0, 0] = 30
            print('t()\\n', x, '\\n', xt)
        """, options=[tr("1, the value before the change", "1, значение до изменения"), "30",
                      tr("an error: x and xt differ in shape", "ошибка: у x и xt разные формы")], answer=1,
            why=tr("`t()` copies nothing: `xt` reads the same memory as `x`, so the write shows through.",
                   "`t()` ничего не копирует: `xt` читает ту же память, что и `x`, поэтому запись видна и в `xt`.")),
        md("""
            `t()` copies nothing: `xt` is a *view*, another way of reading the same memory. Slices are
            views too. Lecture 2 shows how (storage, strides, offset).
        """, """
            `t()` ничего не копирует: `xt` — *представление* (view), другой способ читать ту же память.
            Срезы — тоже представления. Как это устроено (хранилище, шаги, смещение), показывает лекция 2.
        """),
        code("""
            assert xt[0, 0].item() == 30
            row = x[1]          # en: a view of the second row # ru: представление второй строки
            row[:] = 0          # en: writes into x # ru: пишет в x
            print(x)
            assert x[1].sum().item() == 0
        """),
        md("## 6. Stacking, concatenating, splitting", "## 6. Состыковка, конкатенация, разбиение"),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            y = torch.tensor([[2, 2], [2, 2]])
            z = torch.stack((x, y))   # en: a new dimension (dim=0 by default) # ru: новая размерность (по умолчанию dim=0)
            print(z, '\\n', z.shape)
            x, y = z.unbind(dim=0)    # en: and back # ru: и расстыковка обратно
            print(x, '\\n', y)
        """),
        *predict(tr("`x` and `y` are both `(2, 2)`. What are the shapes of `torch.cat([x, y], axis=1)` and "
                    "`torch.cat([x, y], axis=0)`?",
                    "`x` и `y` оба формы `(2, 2)`. Какие формы у `torch.cat([x, y], axis=1)` и "
                    "`torch.cat([x, y], axis=0)`?"), """
            torch.cat([x, y], axis=1), torch.cat([x, y], axis=0)
        """, options=[tr("(2, 4) and (4, 2)", "(2, 4) и (4, 2)"), tr("(4, 2) and (2, 4)", "(4, 2) и (2, 4)"),
                      tr("(2, 2, 2) and (2, 2, 2)", "(2, 2, 2) и (2, 2, 2)"), tr("(2, 4) and (2, 4)", "(2, 4) и (2, 4)")],
            answer=0, why=tr("`cat` joins along an existing dimension, and only that one grows: `axis=1` puts the "
                             "columns side by side (2 + 2 = 4 columns), `axis=0` puts the rows one under the other "
                             "(4 rows). A new dimension, `(2, 2, 2)`, is what `stack` makes.",
                             "`cat` соединяет по существующей размерности, и растёт только она: `axis=1` ставит "
                             "столбцы рядом (2 + 2 = 4 столбца), `axis=0` ставит строки друг под другом (4 строки). "
                             "Новую размерность, `(2, 2, 2)`, создаёт `stack`.")),
        code("""
            assert torch.cat([x, y], axis=1).shape == (2, 4) and torch.stack((x, y), dim=2).shape == (2, 2, 2)
        """),
        md("## 7. Adding and removing dimensions of size 1", "## 7. Добавление и удаление фиктивных размерностей (размера 1)"),
        code("""
            # en: unsqueeze: insert a dimension of size 1 at position dim
            # ru: unsqueeze: вставить фиктивную размерность (размера 1) в позицию dim
            print((x.unsqueeze(dim=0).shape, x.unsqueeze(dim=1).shape, x.unsqueeze(dim=2).shape))
            # en: squeeze: remove every dimension of size 1
            # ru: squeeze: удалить все размерности размера 1
            print(torch.empty(3, 1, 2, 1).squeeze().shape)
        """),
        md("""
            ## 8. Broadcasting

            Elementwise operations work on tensors of different shapes when, comparing shapes from the
            **right**, each pair of sizes

            1. is equal, or
            2. one of them is 1 (that tensor is repeated along it; missing dimensions count as 1).
        """, """
            ## 8. Транслирование (broadcasting)

            Поэлементные операции работают и с тензорами разных форм, если при сравнении форм **справа
            налево** каждая пара размеров

            1. совпадает, или
            2. один из двух размеров равен 1 (вдоль него тензор повторяется; недостающие размерности
               считаются равными 1).
        """),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            y = torch.tensor([10, 20])        # en: shape (2,) is read as (1, 2): added to every row # ru: форма (2,) читается как (1, 2): прибавляется к каждой строке
            print(x + y)
        """),
        code("""
            x = torch.tensor([[1, 2]])
            y = torch.tensor([[0], [3]])
            print(x, x.shape)
            print(y, y.shape)
            z = x + y
            print(z, z.shape)
        """),
        md("In a picture: each operand is stretched (pale cells: repeated, not stored) to the common shape.",
           "На картинке: каждый операнд растянут до общей формы (бледные клетки повторены, а не хранятся)."),
        code("""
            def draw_grid(ax, t, shape, title):
                # en: draw tensor t stretched to shape; cells outside t's own extent are pale
                # ru: рисует тензор t, растянутый до формы shape; клетки за пределами самого t бледные
                full = t.expand(shape)
                for i in range(shape[0]):
                    for j in range(shape[1]):
                        own = i < t.shape[0] and j < t.shape[1]
                        ax.add_patch(plt.Rectangle((j, -i), 1, -1, fc="tab:blue" if own else "lightblue",
                                                   ec="k", alpha=1 if own else 0.4))
                        ax.text(j + 0.5, -i - 0.5, str(full[i, j].item()), ha="center", va="center", color="w" if own else "k")
                ax.set_xlim(-0.2, 2.2), ax.set_ylim(-2.2, 0.2), ax.set_aspect("equal"), ax.axis("off")
                ax.set_title(title)

            fig, axes = plt.subplots(1, 3, figsize=(6, 2.2))
            draw_grid(axes[0], x, z.shape, f"x {tuple(x.shape)}")
            draw_grid(axes[1], y, z.shape, f"y {tuple(y.shape)}")
            draw_grid(axes[2], z, z.shape, f"x + y {tuple(z.shape)}")
            plt.show()
        """),
        *predict(tr("what is the shape of `torch.ones(3, 1) + torch.ones(4)`? And of `torch.ones(2, 3) + torch.ones(2)`?",
                    "какая форма у `torch.ones(3, 1) + torch.ones(4)`? А у `torch.ones(2, 3) + torch.ones(2)`?"), """
            for a, b in [((3, 1), (4,)), ((2, 3), (2,))]:
                try:
                    print(a, "+", b, "->", (torch.ones(*a) + torch.ones(*b)).shape)
                except RuntimeError as e:
                    print(a, "+", b, "-> RuntimeError:", e)
        """, options=[tr("(3, 4) and (2, 3)", "(3, 4) и (2, 3)"), tr("(3, 4) and an error", "(3, 4) и ошибка"),
                      tr("an error and (2, 3)", "ошибка и (2, 3)"), tr("(3, 1) and (2, 3)", "(3, 1) и (2, 3)")],
            answer=1, why=tr("Compare from the right. `(3, 1)` with `(4,)`: 1 against 4 (the 1 is repeated), then 3 "
                             "against a missing dimension (counts as 1), so `(3, 4)`. `(2, 3)` with `(2,)`: 3 against "
                             "2, neither equal nor 1, so a `RuntimeError`. To add one number per row, the second "
                             "operand must be `torch.ones(2, 1)`.",
                             "Сравниваем справа. `(3, 1)` и `(4,)`: 1 против 4 (единица повторяется), затем 3 против "
                             "недостающей размерности (считается равной 1), итого `(3, 4)`. `(2, 3)` и `(2,)`: 3 "
                             "против 2, размеры не равны и ни один не равен 1, поэтому `RuntimeError`. Чтобы "
                             "прибавить по числу к каждой строке, второй операнд должен быть `torch.ones(2, 1)`.")),
        code("""
            assert torch.broadcast_shapes((3, 1), (4,)) == (3, 4)
            assert torch.broadcast_shapes((1, 2), (2, 1)) == (2, 2)
        """),
        md("""
            ## 9. Operations: out of place, in place, and matrix products

            Every operation exists as a function (`torch.add(x, y)`), as a method (`x.add(y)`) and mostly as an
            operator (`x + y`); all three return a **new** tensor. A method whose name ends in `_` works **in
            place**: it overwrites the tensor and returns it.
        """, """
            ## 9. Операции: с новым результатом, inplace и матричные произведения

            Каждая операция есть в виде функции (`torch.add(x, y)`), метода (`x.add(y)`) и чаще всего
            оператора (`x + y`); все три возвращают **новый** тензор. Метод, имя которого заканчивается
            чертой `_`, выполняется **inplace**: он перезаписывает сам тензор и возвращает его.
        """),
        code("""
            x = torch.ones(2, 2)
            y = x.add(1)        # en: new tensor, x unchanged # ru: новый тензор, x не изменился
            print(x, y, sep='\\n')
            x.add_(1)           # en: x itself becomes 2 # ru: сам x становится равным 2
            x.mul_(3).sub_(1)   # en: in-place methods chain: (2 * 3) - 1 # ru: inplace-методы можно сцеплять: (2 * 3) - 1
            print(x)
            x.fill_(7)          # en: every element set to 7 # ru: заполнение: каждый элемент равен 7
            print(x)
            assert y.sum().item() == 8 and x.sum().item() == 28
        """),
        md("""
            Products of matrices and vectors. `mm` multiplies two matrices, `mv` a matrix and a vector, `dot`
            two vectors; `bmm` multiplies two **batches** of matrices, one pair at a time. `matmul`, written
            `@`, picks the right one from the shapes (and broadcasts batch dimensions). `*` is elementwise,
            not a matrix product.
        """, """
            Произведения матриц и векторов. `mm` перемножает две матрицы, `mv` — матрицу и вектор, `dot` —
            два вектора (скалярное произведение); `bmm` перемножает два **батча** матриц, пару за парой.
            `matmul`, он же `@`, выбирает нужное произведение по формам (и транслирует размерности
            батча). `*` — поэлементное умножение, а не матричное.
        """),
        code("""
            A = torch.tensor([[1., 2.], [3., 4.]])
            v = torch.tensor([1., 10.])
            print("mm  ", torch.mm(A, A))           # (2, 2) @ (2, 2) -> (2, 2)
            print("mv  ", torch.mv(A, v))           # (2, 2) @ (2,)   -> (2,)
            print("dot ", torch.dot(v, v))          # en: (2,) . (2,)     -> a 0-d tensor # ru: (2,) . (2,)     -> 0-мерный тензор
            print("A @ v", A @ v, " A * A", A * A, sep='\\n')
        """),
        *predict(tr("`torch.bmm` of a batch of shape `(5, 2, 3)` with a batch of shape `(5, 3, 4)`: what shape? "
                    "And `torch.matmul` of `(5, 2, 3)` with a single `(3, 4)` matrix?",
                    "`torch.bmm` батча формы `(5, 2, 3)` и батча формы `(5, 3, 4)`: какая форма у результата? "
                    "А у `torch.matmul` батча `(5, 2, 3)` и одной матрицы `(3, 4)`?"), """
            batch1, batch2 = torch.randn(5, 2, 3), torch.randn(5, 3, 4)
            print(torch.bmm(batch1, batch2).shape, torch.matmul(batch1, torch.randn(3, 4)).shape)
            try:
                torch.bmm(batch1, torch.randn(3, 4))   # en: bmm wants two 3-d batches # ru: bmm требует два трёхмерных батча
            except RuntimeError as e:
                print("RuntimeError:", e)
        """, options=[tr("(5, 2, 4) and (5, 2, 4)", "(5, 2, 4) и (5, 2, 4)"), tr("(2, 4) and an error", "(2, 4) и ошибка"),
                      tr("(5, 2, 4) and an error", "(5, 2, 4) и ошибка"),
                      tr("(5, 5, 2, 4) and (5, 2, 4)", "(5, 5, 2, 4) и (5, 2, 4)")],
            answer=0, why=tr("`bmm` multiplies the 5 pairs one by one: 5 results of (2, 3) @ (3, 4). `matmul` broadcasts "
                             "the single (3, 4) matrix over the batch; only `bmm` itself insists on two 3-d batches.",
                             "`bmm` перемножает 5 пар по очереди: 5 результатов (2, 3) @ (3, 4). `matmul` транслирует "
                             "одну матрицу (3, 4) на весь батч; только сам `bmm` требует два трёхмерных батча.")),
        code("""
            assert torch.allclose(torch.bmm(batch1, batch2)[3], batch1[3] @ batch2[3])   # en: pair by pair # ru: пара за парой
            assert torch.allclose(torch.matmul(batch1, batch2), torch.bmm(batch1, batch2))
        """),
        md("## 10. Statistics", "## 10. Статистики"),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            torch.max(x), x.max(), x.max().item(), x.max(axis=0), x.max(axis=1)
        """),
        md("With a dimension, `max` returns the values *and* where they are (`indices`).",
           "С указанной размерностью `max` возвращает значения *и* их положения (`indices`)."),
        code("""
            x = torch.tensor([2, 1, 2, 3, 0, 4, 3])
            x.topk(k=2), x.kthvalue(k=2)     # en: the 2 largest; the 2nd smallest # ru: два наибольших; второй наименьший
        """),
        code("""
            x = torch.tensor([1., 2., 3.])
            torch.std_mean(x), torch.var_mean(x)   # en: both at once # ru: оба сразу: СКО (дисперсия) и среднее
        """),
        code("""
            x = torch.tensor([[1., 2.], [3., 4.]])
            print(x.mean(dim=0), x.sum(dim=1, keepdim=True), x.argmax())
            assert x.mean(dim=0).tolist() == [2.0, 3.0] and x.sum(dim=1, keepdim=True).shape == (2, 1)
        """),
        md("""
            ## 11. numpy interop and shared memory

            `.numpy()` and `torch.from_numpy` **share memory** with the other side (the tensor must be on
            the CPU); `torch.tensor(array)` copies.
        """, """
            ## 11. Обмен с numpy и общая память

            `.numpy()` и `torch.from_numpy` **разделяют память** с другой стороной (тензор должен
            находиться на CPU, а не на GPU); `torch.tensor(array)` копирует.
        """),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            print(repr(x.numpy()))
            print(torch.from_numpy(np.ones((2, 2))))
        """),
        *predict(tr("we change the numpy array after making a tensor from it in two ways. Which tensor changes?",
                    "мы меняем массив numpy после того, как сделали из него тензор двумя способами. Какой тензор "
                    "изменится?"), """
            a = np.zeros(3)
            shared = torch.from_numpy(a)
            copied = torch.tensor(a)
            a[0] = 5
            print(shared, copied)
            shared.numpy()[1] = 7      # en: and the other way round # ru: и в обратную сторону
            print(a)
        """, options=[tr("both", "оба"), tr("only the one from `torch.from_numpy`", "только сделанный `torch.from_numpy`"),
                      tr("only the one from `torch.tensor`", "только сделанный `torch.tensor`"), tr("neither", "ни один")],
            answer=1, why=tr("`from_numpy` (and `.numpy()`) share memory with the array, in both directions; "
                             "`torch.tensor` copies.",
                             "`from_numpy` (и `.numpy()`) разделяют память с массивом, в обе стороны; "
                             "`torch.tensor` копирует.")),
        code("""
            assert shared[0].item() == 5 and copied[0].item() == 0 and a[1] == 7
        """),
        md("## 12. Saving and loading", "## 12. Сохранение и загрузка"),
        code("""
            folder = tempfile.mkdtemp()
            x = torch.tensor([1., 2., 3.])
            y = torch.tensor([[3., 0.], [3., 12.]], requires_grad=True)

            torch.save(x, os.path.join(folder, "x-file"))
            x2 = torch.load(os.path.join(folder, "x-file"))
            print(x2)

            mydict = {'x': x, 'y': y}
            torch.save(mydict, os.path.join(folder, "mydict"))
            mydict2 = torch.load(os.path.join(folder, "mydict"))
            print(mydict2)
            assert torch.equal(x2, x) and mydict2['y'].requires_grad
        """),
        md("""
            ## 13. Seeding for reproducibility

            The lecture's recipe seeds every generator in use (numpy, torch, and each GPU), and asks cuDNN for
            deterministic algorithms.
        """, """
            ## 13. Инициализация генератора псевдослучайных чисел

            Рецепт из лекции задаёт seed каждому используемому генератору (numpy, torch и каждой GPU) и
            просит у cuDNN детерминированные алгоритмы.
        """),
        code("""
            def set_seed(seed):
                np.random.seed(seed)
                torch.manual_seed(seed)
                if torch.cuda.is_available():  # en: the GPUs have their own generators # ru: для GPU отдельный seed
                    torch.cuda.manual_seed(seed)
                    torch.cuda.manual_seed_all(seed)

            set_seed(42)
            # en: some GPU operations are random: make them deterministic
            # ru: некоторые операции на GPU случайны: делаем их детерминированными
            torch.backends.cudnn.deterministic = True
            torch.backends.cudnn.benchmark = False

            set_seed(42)
            a = torch.randn(3)
            set_seed(42)
            b = torch.randn(3)
            print(a, b)
            assert torch.equal(a, b)
        """),
        *try_it([
            (tr("Make a `(2, 3)` int tensor and add `0.5`; predict the dtype, then check.",
                "Создайте целочисленный тензор формы `(2, 3)` и прибавьте `0.5`; предскажите тип, затем проверьте."),
             tr("""
                `torch.ones(2, 3, dtype=torch.int64) + 0.5` is `float32`: a Python float lifts an integer tensor
                to the default float dtype (`torch.get_default_dtype()`), never to float64.
             """, """
                `torch.ones(2, 3, dtype=torch.int64) + 0.5` имеет тип `float32`: вещественное число Python
                поднимает целочисленный тензор до вещественного типа по умолчанию (`torch.get_default_dtype()`),
                а не до float64.
             """)),
            (tr("Which shapes broadcast with `(4, 1, 3)`? Try `(3,)`, `(1, 3)`, `(4, 3)`, `(2, 1, 1)`.",
                "Какие формы транслируются с `(4, 1, 3)`? Попробуйте `(3,)`, `(1, 3)`, `(4, 3)`, `(2, 1, 1)`."),
             tr("""
                Compare from the right. `(3,)` and `(1, 3)` give `(4, 1, 3)`; `(4, 3)` gives `(4, 4, 3)` (the 1 in
                the middle stretches to 4, the missing leading dimension counts as 1); `(2, 1, 1)` fails: 2 against 4.
                Check with `torch.broadcast_shapes((4, 1, 3), (4, 3))`.
             """, """
                Сравниваем справа. `(3,)` и `(1, 3)` дают `(4, 1, 3)`; `(4, 3)` даёт `(4, 4, 3)` (единица в
                середине растягивается до 4, недостающая первая размерность считается равной 1); `(2, 1, 1)`
                не подходит: 2 против 4. Проверка: `torch.broadcast_shapes((4, 1, 3), (4, 3))`.
             """)),
            (tr("Slice `torch.arange(12).view(3, 4)` so that changing the slice changes the original, and find an "
                "indexing expression that does *not*.",
                "Возьмите такой срез `torch.arange(12).view(3, 4)`, чтобы изменение среза меняло оригинал, и "
                "найдите выражение индексации, при котором оригинал *не* меняется."),
             words("""
                ```python
                x = torch.arange(12).view(3, 4)
                x[:, 1:3][0, 0] = -1     # a slice is a view: x[0, 1] is now -1
                x[:, [1, 2]][0, 0] = 99  # a list index copies: x is unchanged
                ```
             """, {
            '# a slice is a view: x[0, 1] is now -1': '# срез — представление: теперь x[0, 1] равно -1',
            '# a list index copies: x is unchanged': '# индекс-список копирует: x не меняется'})),
        ]),
        homework(1, """
            after lecture 2, `hw03_strides` asks you to compute where each element of a view lives in memory.
        """, """
            выполняйте после лекции 2; в нём нужно вычислить, где в памяти лежит каждый элемент представления.
        """),
    ]

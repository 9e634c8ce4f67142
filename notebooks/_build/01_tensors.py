"""Builds notebooks/01_tensors.ipynb: tensors, dtypes, indexing, views vs copies, broadcasting.

Examples and printed outputs follow the source course's PyTorch tutorial (its tensors and tensor-operations
sections: new_ones, as_tensor, in-place add_/fill_, mm/mv/dot/matmul/bmm).
"""

from notebooks._build.common import code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, try_it

FILE = "01_tensors.ipynb"
RUNTIME_S = 5


def cells():
    return [
        header(1, "Tensors", FILE, [
            "create tensors (from data, filled, random, ranges, `*_like`) and read their attributes",
            "predict the dtype of a mixed expression (type promotion)",
            "index and slice, and tell a view (shared memory) from a copy",
            "stack, concatenate, split, squeeze and unsqueeze",
            "apply the two broadcasting rules",
            "use in-place operations (`add_`, `fill_`) and the products `mm`, `mv`, `dot`, `matmul` (`@`), `bmm`",
            "compute statistics, move data to and from numpy, save, load and seed",
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
        """),
        code("""
            x = torch.tensor([[1, 2, 3], [4, 5, 6]])
            print(x, '\\n',
                  x.shape, '\\n',    # the size of every dimension
                  x.dtype, '\\n',    # the element type
                  x.device, '\\n',   # where it lives
                  x.type(), '\\n',   # the legacy type name
                  x.dim(), '\\n',    # the number of dimensions
                  x.size(), '\\n',   # .shape and .size() are the same
                  x.numel())        # the number of elements
        """),
        code("""
            assert x.shape == (2, 3) and x.dtype == torch.int64 and x.numel() == 6 and x.dim() == 2
        """),
        md("""
            ## 2. Creating tensors

            Every creation function takes `dtype=` (element type) and `device=` (where to put it).
        """),
        code("""
            print(torch.ones(3, 5))                              # all ones
            print(torch.full((3, 5), 3.14, dtype=torch.float))   # all 3.14
            print(torch.eye(3, 5))                               # ones on the main diagonal
            print(torch.arange(0, 10, 2))                        # like np.arange
            print(torch.linspace(0, 10, 3))                      # like np.linspace
            print(torch.logspace(0, 1, 3))                       # like np.logspace
        """),
        md("""
            `torch.empty(3, 5)` only reserves memory: its values are whatever was there before, so never
            read them before writing. The `*_like` functions copy shape, dtype and device from a model tensor.
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
        """),
        code("""
            x = torch.tensor([[1, 2], [3, 4]], dtype=torch.float64)
            print(x.new_ones(2, 3))            # float64, like x
            print(x.new_full((2,), 7))
            a = np.array([1.0, 2.0])
            shared, copied = torch.as_tensor(a), torch.tensor(a)
            a[0] = 100
            print(shared, copied)              # as_tensor saw the change: it shares a's memory
            assert x.new_ones(2, 3).dtype == torch.float64 and shared[0].item() == 100 and copied[0].item() == 1
        """),
        md("""
            Random tensors: `rand` is uniform on [0, 1), `randn` is standard normal, `randint(low, high)`
            excludes `high`. Seeding the generator makes them reproducible; minitorch's generator is
            PyTorch's, so `torch.manual_seed(123)` gives the very numbers PyTorch gives.
        """),
        code("""
            torch.manual_seed(123)
            print(torch.rand(3, 5))
            torch.manual_seed(123)
            print(torch.randint(2, 4, (3, 5)))    # numbers from 2 to 4, 4 not included
        """),
        code("""
            torch.manual_seed(123)
            assert round(torch.rand(3, 5)[0, 0].item(), 4) == 0.2961   # what PyTorch prints

            torch.manual_seed(0)
            fig, axes = plt.subplots(1, 2, figsize=(6, 2.5))
            axes[0].hist(torch.rand(10_000).numpy(), bins=40)
            axes[0].set_title("torch.rand: uniform on [0, 1)")
            axes[1].hist(torch.randn(10_000).numpy(), bins=40)
            axes[1].set_title("torch.randn: normal(0, 1)")
            plt.tight_layout()
            plt.show()
        """),
        md("""
            ## 3. dtypes and type promotion

            Converting explicitly: `.float()`, `.to(dtype)`; or implicitly, by computing with a float.
        """),
        code("""
            print(torch.IntTensor([1, 2]).float())
            print(torch.IntTensor([1, 2]).to(torch.float64))
            print(torch.IntTensor([1, 2]) + 0.0)
        """),
        *predict("what are the dtypes of `torch.tensor([1, 2]) * 1.5`, of an `int32` tensor plus the "
                 "0-dimensional `torch.tensor(5)` (an `int64`), and of an `int8` tensor plus a `uint8` tensor?", """
            a = torch.tensor([1, 2]) * 1.5
            b = torch.tensor([1, 2], dtype=torch.int32) + torch.tensor(5)
            c = torch.tensor([1], dtype=torch.int8) + torch.tensor([1], dtype=torch.uint8)
            print(a.dtype, b.dtype, c.dtype)
        """, options=["float64, int64, int8", "float32, int32, int16", "float32, int64, uint8", "float64, int32, int16"],
            answer=1, why="a Python float gives the default float dtype (float32); a 0-dimensional int64 does not "
            "outrank an int32 tensor of the same category; int8 and uint8 need int16 to hold both ranges."),
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
        """),
        code("""
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
            ax.set_title("torch.promote_types(row, column)")
            plt.show()
            assert torch.promote_types(torch.uint8, torch.int8) == torch.int16
            assert torch.promote_types(torch.int64, torch.float16) == torch.float16
        """),
        md("""
            ## 4. Indexing and slicing

            Python's `[start:stop:step]` in every dimension, as in numpy. An integer index removes a
            dimension; a list or a slice keeps it.
        """),
        code("""
            torch.manual_seed(0)
            x = torch.randint(0, 10, (2, 5))
            print(x)
            x[0], x[0, :], x[[0], :], x[:1, :]
        """),
        *predict("which of `x[:, [1]]`, `x[:, 1]`, `x[:, -4]` keep two dimensions?", """
            x[:, [1]], x[:, 1], x[:, -4]
        """),
        code("""
            assert x[:, [1]].shape == (2, 1) and x[:, 1].shape == (2,) and torch.equal(x[:, 1], x[:, -4])
            r = torch.arange(10)
            print(r[::3], r[-1], r[r > 5])     # a step, a negative index, a boolean mask
        """),
        md("An element is still a (0-dimensional) tensor; `.item()` turns it into a Python number."),
        code("""
            print(x[0, 0])         # a tensor
            print(x[0, 0].item())  # a Python int
            assert isinstance(x[0, 0].item(), int)
        """),
        md("""
            ## 5. Copying vs viewing

            Two ways to copy a tensor. `copy_` writes into an existing tensor; `detach().clone()` makes a new
            one (`clone()` alone would stay connected to the autograd graph, so gradients would flow
            through the copy back to the original).
        """),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            x2 = torch.empty_like(x).copy_(x)    # possible
            print(x2)
            x2 = x.detach().clone()              # better
            x[0, 1] = 10
            print((x, x2))
        """),
        *predict("`xt = x.t()` transposes `x`. If we now set `x[0, 0] = 30`, what is `xt[0, 0]`?", """
            xt = x.t()
            x[0, 0] = 30
            print('t()\\n', x, '\\n', xt)
        """, options=["1, the value before the change", "30", "an error: x and xt differ in shape"], answer=1,
            why="`t()` copies nothing: `xt` reads the same memory as `x`, so the write shows through."),
        md("""
            `t()` copies nothing: `xt` is a *view*, another way of reading the same memory. Slices are
            views too. Lecture 2 shows how (storage, strides, offset).
        """),
        code("""
            assert xt[0, 0].item() == 30
            row = x[1]          # a view of the second row
            row[:] = 0          # writes into x
            print(x)
            assert x[1].sum().item() == 0
        """),
        md("## 6. Stacking, concatenating, splitting"),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            y = torch.tensor([[2, 2], [2, 2]])
            z = torch.stack((x, y))   # a new dimension (dim=0 by default)
            print(z, '\\n', z.shape)
            x, y = z.unbind(dim=0)    # and back
            print(x, '\\n', y)
        """),
        *predict("what are the shapes of `torch.cat([x, y], axis=1)` and `torch.cat([x, y], axis=0)`?", """
            torch.cat([x, y], axis=1), torch.cat([x, y], axis=0)
        """),
        code("""
            assert torch.cat([x, y], axis=1).shape == (2, 4) and torch.stack((x, y), dim=2).shape == (2, 2, 2)
        """),
        md("## 7. Adding and removing dimensions of size 1"),
        code("""
            # unsqueeze: insert a dimension of size 1 at position dim
            print((x.unsqueeze(dim=0).shape, x.unsqueeze(dim=1).shape, x.unsqueeze(dim=2).shape))
            # squeeze: remove every dimension of size 1
            print(torch.empty(3, 1, 2, 1).squeeze().shape)
        """),
        md("""
            ## 8. Broadcasting

            Elementwise operations work on tensors of different shapes when, comparing shapes from the
            **right**, each pair of sizes

            1. is equal, or
            2. one of them is 1 (that tensor is repeated along it; missing dimensions count as 1).
        """),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            y = torch.tensor([10, 20])        # shape (2,) is read as (1, 2): added to every row
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
        md("In a picture: each operand is stretched (pale cells: repeated, not stored) to the common shape."),
        code("""
            def draw_grid(ax, t, shape, title):
                \"\"\"Draw tensor t stretched to shape; cells outside t's own extent are pale.\"\"\"
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
        *predict("what is the shape of `torch.ones(3, 1) + torch.ones(4)`? And of `torch.ones(2, 3) + torch.ones(2)`?", """
            print((torch.ones(3, 1) + torch.ones(4)).shape)
            try:
                torch.ones(2, 3) + torch.ones(2)
            except RuntimeError as e:
                print("RuntimeError:", e)
        """),
        code("""
            assert torch.broadcast_shapes((3, 1), (4,)) == (3, 4)
            assert torch.broadcast_shapes((1, 2), (2, 1)) == (2, 2)
        """),
        md("""
            ## 9. Operations: out of place, in place, and matrix products

            Every operation exists as a function (`torch.add(x, y)`), as a method (`x.add(y)`) and mostly as an
            operator (`x + y`); all three return a **new** tensor. A method whose name ends in `_` works **in
            place**: it overwrites the tensor and returns it.
        """),
        code("""
            x = torch.ones(2, 2)
            y = x.add(1)        # new tensor, x unchanged
            print(x, y, sep='\\n')
            x.add_(1)           # x itself becomes 2
            x.mul_(3).sub_(1)   # in-place methods chain: (2 * 3) - 1
            print(x)
            x.fill_(7)          # every element set to 7
            print(x)
            assert y.sum().item() == 8 and x.sum().item() == 28
        """),
        md("""
            Products of matrices and vectors. `mm` multiplies two matrices, `mv` a matrix and a vector, `dot`
            two vectors; `bmm` multiplies two **batches** of matrices, one pair at a time. `matmul`, written
            `@`, picks the right one from the shapes (and broadcasts batch dimensions). `*` is elementwise,
            not a matrix product.
        """),
        code("""
            A = torch.tensor([[1., 2.], [3., 4.]])
            v = torch.tensor([1., 10.])
            print("mm  ", torch.mm(A, A))           # (2, 2) @ (2, 2) -> (2, 2)
            print("mv  ", torch.mv(A, v))           # (2, 2) @ (2,)   -> (2,)
            print("dot ", torch.dot(v, v))          # (2,) . (2,)     -> a 0-d tensor
            print("A @ v", A @ v, " A * A", A * A, sep='\\n')
        """),
        *predict("`torch.bmm` of a batch of shape `(5, 2, 3)` with a batch of shape `(5, 3, 4)`: what shape? "
                 "And `torch.matmul` of `(5, 2, 3)` with a single `(3, 4)` matrix?", """
            batch1, batch2 = torch.randn(5, 2, 3), torch.randn(5, 3, 4)
            print(torch.bmm(batch1, batch2).shape, torch.matmul(batch1, torch.randn(3, 4)).shape)
            try:
                torch.bmm(batch1, torch.randn(3, 4))   # bmm wants two 3-d batches
            except RuntimeError as e:
                print("RuntimeError:", e)
        """, options=["(5, 2, 4) and (5, 2, 4)", "(2, 4) and an error", "(5, 2, 4) and an error", "(5, 5, 2, 4) and (5, 2, 4)"],
            answer=0, why="bmm multiplies the 5 pairs one by one: 5 results of (2, 3) @ (3, 4). `matmul` broadcasts "
            "the single (3, 4) matrix over the batch; only `bmm` itself insists on two 3-d batches."),
        code("""
            assert torch.allclose(torch.bmm(batch1, batch2)[3], batch1[3] @ batch2[3])   # pair by pair
            assert torch.allclose(torch.matmul(batch1, batch2), torch.bmm(batch1, batch2))
        """),
        md("## 10. Statistics"),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            torch.max(x), x.max(), x.max().item(), x.max(axis=0), x.max(axis=1)
        """),
        md("With a dimension, `max` returns the values *and* where they are (`indices`)."),
        code("""
            x = torch.tensor([2, 1, 2, 3, 0, 4, 3])
            x.topk(k=2), x.kthvalue(k=2)     # the 2 largest; the 2nd smallest
        """),
        code("""
            x = torch.tensor([1., 2., 3.])
            torch.std_mean(x), torch.var_mean(x)   # both at once
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
        """),
        code("""
            x = torch.tensor([[1, 2], [3, 4]])
            print(repr(x.numpy()))
            print(torch.from_numpy(np.ones((2, 2))))
        """),
        *predict("we change the numpy array after making a tensor from it in two ways. Which tensor changes?", """
            a = np.zeros(3)
            shared = torch.from_numpy(a)
            copied = torch.tensor(a)
            a[0] = 5
            print(shared, copied)
            shared.numpy()[1] = 7      # and the other way round
            print(a)
        """, options=["both", "only the one from `torch.from_numpy`", "only the one from `torch.tensor`", "neither"],
            answer=1, why="`from_numpy` (and `.numpy()`) share memory with the array, in both directions; "
            "`torch.tensor` copies."),
        code("""
            assert shared[0].item() == 5 and copied[0].item() == 0 and a[1] == 7
        """),
        md("## 12. Saving and loading"),
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
        """),
        code("""
            def set_seed(seed):
                np.random.seed(seed)
                torch.manual_seed(seed)
                if torch.cuda.is_available():  # the GPUs have their own generators
                    torch.cuda.manual_seed(seed)
                    torch.cuda.manual_seed_all(seed)

            set_seed(42)
            # some GPU operations are random: make them deterministic
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
            ("Make a `(2, 3)` int tensor and add `0.5`; predict the dtype, then check.", """
                `torch.ones(2, 3, dtype=torch.int64) + 0.5` is `float32`: a Python float lifts an integer tensor
                to the default float dtype (`torch.get_default_dtype()`), never to float64.
            """),
            ("Which shapes broadcast with `(4, 1, 3)`? Try `(3,)`, `(1, 3)`, `(4, 3)`, `(2, 1, 1)`.", """
                Compare from the right. `(3,)` and `(1, 3)` give `(4, 1, 3)`; `(4, 3)` gives `(4, 4, 3)` (the 1 in
                the middle stretches to 4, the missing leading dimension counts as 1); `(2, 1, 1)` fails: 2 against 4.
                Check with `torch.broadcast_shapes((4, 1, 3), (4, 3))`.
            """),
            ("Slice `torch.arange(12).view(3, 4)` so that changing the slice changes the original, and find an "
             "indexing expression that does *not*.", """
                ```python
                x = torch.arange(12).view(3, 4)
                x[:, 1:3][0, 0] = -1     # a slice is a view: x[0, 1] is now -1
                x[:, [1, 2]][0, 0] = 99  # a list index copies: x is unchanged
                ```
            """),
        ]),
        homework(1, """
            after lecture 2, `hw03_strides` asks you to compute where each element of a view lives in memory.
        """),
    ]

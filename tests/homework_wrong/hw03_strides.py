"""hw03_strides: cheats with the library's stride arithmetic (directly or through tensors), and
plausible wrong answers."""

CHEATS = {
    "import storage_position": ("position", "from minitorch._strides import storage_position"),
    "import contiguous_strides": ("contiguous", "from minitorch._strides import contiguous_strides"),
    "import view_strides": ("view", "from minitorch._strides import view_strides"),
    "a tensor's .stride()": ("contiguous", '''
def contiguous_strides(shape):
    return torch.empty(*shape).stride()
'''),
    "a tensor's .view()": ("view", '''
def view_strides(shape, strides, new_shape):
    base = torch.zeros(max(storage_position([s - 1 for s in shape], strides), 0) + 1)
    try:
        return base.as_strided(shape, strides).view(new_shape).stride()
    except RuntimeError:
        return None
'''),
    "the judge's reference table": ("view", '''
from minitorch.grading.assignments.hw03_strides import hw

view_strides = hw.reference["view_strides"]
'''),
}

WRONG = {
    "ignores the offset": ("position", '''
def storage_position(index, strides, offset=0):
    return sum(i * s for i, s in zip(index, strides))
'''),
    "a size-0 dim zeroes the strides before it": ("contiguous", '''
def contiguous_strides(shape):
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= size
    return tuple(reversed(strides))
'''),
    "column-major (first dim fastest)": ("contiguous", '''
def contiguous_strides(shape):
    strides, step = [], 1
    for size in shape:
        strides.append(step)
        step *= max(size, 1)
    return tuple(strides)
'''),
    "assumes the input is contiguous": ("view", '''
def view_strides(shape, strides, new_shape):
    return contiguous_strides(new_shape)
'''),
    "a size-1 dim breaks a chunk": ("view_edge_cases", '''
def view_strides(shape, strides, new_shape):
    if not shape or math.prod(shape) == 0:
        return contiguous_strides(new_shape)
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_stride = strides[-1]
    chunk_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        chunk_numel *= shape[d]
        if d == 0 or strides[d - 1] != chunk_numel * chunk_stride:
            while view_d >= 0 and (view_numel < chunk_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != chunk_numel:
                return None
            if d > 0:
                chunk_stride, chunk_numel, view_numel = strides[d - 1], 1, 1
    return tuple(new_strides) if view_d == -1 else None
'''),
}

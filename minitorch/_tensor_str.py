"""Turn tensors into text exactly the way PyTorch prints them.

The Tensor class hands us its data as a numpy array plus a few facts numpy does
not know (torch dtype name, device, autograd state) and gets back the string
that ``repr(tensor)`` shows::

    >>> import numpy as np
    >>> print(format_tensor(np.arange(6).reshape(2, 3),
    ...                     dtype_name="torch.int64", default_dtype_name="torch.float32"))
    tensor([[0, 1, 2],
            [3, 4, 5]])

The work happens in three steps:

1. Pick the elements that will be shown (all of them, or only the
   ``edgeitems`` at each end of every axis when the tensor is large).
2. Choose ONE number style for the whole tensor from those shown elements
   (integer, ``1.``-style whole floats, fixed point, or scientific) and pad every
   element to the same width so the columns line up.
3. Lay the padded strings out as nested brackets, wrapping long rows, then
   append the ``dtype=...`` / ``requires_grad=True`` style suffixes.
"""

import contextlib
import dataclasses
import math

import numpy as np


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4  # digits after the decimal point
    threshold: float = 1000  # summarise ("...") tensors with more elements than this
    edgeitems: int = 3  # elements kept at each end of a summarised axis
    linewidth: int = 80  # characters per line before rows wrap
    sci_mode: bool | None = None  # None: choose automatically


PRINT_OPTS = _PrintOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Change how tensors print (same meaning as ``torch.set_printoptions``).

    ``profile`` ("default", "short" or "full") first resets the four numeric
    options; explicit arguments then override it. As in torch, ``sci_mode`` is
    always assigned, so omitting it switches back to automatic choice.

        >>> set_printoptions(precision=2)   # tensor([1.12]) instead of tensor([1.1235])
        >>> set_printoptions(profile="default")
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"unknown print profile {profile!r}, expected one of {list(_PROFILES)}")
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    for name, value in dict(precision=precision, threshold=threshold,
                            edgeitems=edgeitems, linewidth=linewidth).items():
        if value is not None:
            setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """Current options as a dict that can be passed back to ``set_printoptions(**d)``."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Temporarily change print options: ``with printoptions(precision=2): ...``."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


def _shown_elements(values, summarize):
    """Return (shown, cut): the sub-array that will actually be printed and, per
    axis, whether its middle was dropped (and so needs a "..." marker).

    >>> _shown_elements(np.arange(10), True)[0]   # with edgeitems=3
    array([0, 1, 2, 7, 8, 9])
    """
    edge = PRINT_OPTS.edgeitems
    cut = [summarize and n > 2 * edge for n in values.shape]
    keep = [np.r_[0:edge, n - edge:n] if c else np.arange(n) for n, c in zip(values.shape, cut)]
    return values[np.ix_(*keep)] if values.ndim else values, cut


def _format_elements(shown):
    """Format every shown element into a string, all padded to one common width.

    Returns (cells, width): an array of strings shaped like ``shown`` and the
    column width (used to decide how many elements fit on a line).

    >>> _format_elements(np.array([1.0, 2.5]))
    (array(['1.0000', '2.5000'], dtype='<U6'), 6)
    """
    flat = shown.ravel()
    if flat.dtype.kind != "f":  # ints and bools: plain str(), right-aligned
        strings = [str(v) for v in flat.tolist()]
        width = max(map(len, strings), default=1)
        return _pad(strings, width, shown.shape), width

    # Floats: the style is chosen from the non-zero finite values only, because
    # 0, nan and inf look the same in every style.  Work in float64 so float16
    # cannot overflow and ratios are exact enough.
    flat = flat.astype(np.float64)
    is_regular = np.isfinite(flat) & (flat != 0)
    regular = flat[is_regular]
    int_mode, sci_mode = True, False
    if regular.size:
        int_mode = bool(np.all(regular == np.ceil(regular)))
        big, small = np.abs(regular).max(), np.abs(regular).min()
        sci_mode = PRINT_OPTS.sci_mode
        if sci_mode is None:  # wide dynamic range, or very big/small values -> scientific
            sci_mode = big / small > 1000.0 or big > 1.0e8 or small < 1.0e-4
    p = PRINT_OPTS.precision

    def style(v):
        if sci_mode:
            return f"{v:.{p}e}"
        if int_mode:  # whole numbers print as "3." so they still read as floats
            return f"{v:.0f}" + ("." if math.isfinite(v) else "")
        return f"{v:.{p}f}"

    strings = [style(v) for v in flat.tolist()]
    # Only the regular values set the width; a wider "nan" or "-0." just sticks out.
    width = max((len(s) for s, ok in zip(strings, is_regular) if ok), default=1)
    return _pad(strings, width, shown.shape), width


def _pad(strings, width, shape):
    """Right-align the strings to ``width`` and arrange them in ``shape``."""
    return np.array([s.rjust(width) for s in strings]).reshape(shape)


def _layout(cells, cut, indent, width):
    """Nest the formatted cells in brackets.

    ``indent`` is the column of this level's opening bracket, so continuation
    lines start one further right.  Rows of a matrix are separated by one
    newline, blocks of a 3-d tensor by a blank line, and so on.
    """
    edge = PRINT_OPTS.edgeitems
    if cells.ndim == 0:
        return cells.item()
    if cells.ndim == 1:
        items = list(cells)
        if cut[0]:
            items = items[:edge] + [" ..."] + items[edge:]
        # each element costs its width plus ", "
        per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / (width + 2)))
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [_layout(sub, cut[1:], indent + 1, width) for sub in cells]
    if cut[0]:
        rows = rows[:edge] + ["..."] + rows[edge:]
    separator = "," + "\n" * (cells.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


def _tensor_body(values, indent):
    """The bracketed numbers of a non-empty tensor, e.g. ``[1, 2, 3]``."""
    summarize = values.size > PRINT_OPTS.threshold
    if summarize and not PRINT_OPTS.edgeitems:
        return "[...]"
    shown, cut = _shown_elements(values, summarize)
    cells, width = _format_elements(shown)
    return _layout(cells, cut, indent, width)


def _add_suffixes(text, suffixes, indent):
    """Append ", suffix" items, moving one to a new line when the current last
    line would grow past ``linewidth``."""
    # torch's measure of the last line is 2 longer than the real length when
    # there is no newline yet; reproduced so that wrapping matches exactly.
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            text += ",\n" + " " * indent + suffix
            last_line_len = indent + len(suffix)
        else:
            text += ", " + suffix
            last_line_len += len(suffix) + 2
    return text + ")"


def format_tensor(values, *, dtype_name, default_dtype_name, device=None, tail=(),
                  prefix="tensor("):
    """Return ``repr(tensor)`` as PyTorch would print it.

    values:             the data as a numpy array on the CPU (any shape, 0-d and empty too).
    dtype_name:         the tensor's torch dtype, e.g. "torch.int32".
    default_dtype_name: the current default float dtype, e.g. "torch.float32".
    device:             e.g. "cuda:0" to print ``device='cuda:0'``; None for the default device.
    tail:               items after the dtype, e.g. ("requires_grad=True",) or ("grad_fn=<MulBackward0>",).
    prefix:             text before the data; continuation lines are indented by its length.

    Suffix order follows torch: device, size (empty tensors only), dtype, then ``tail``.

        >>> format_tensor(np.array([1.5, 2.0]), dtype_name="torch.float64",
        ...               default_dtype_name="torch.float32")
        'tensor([1.5000, 2.0000], dtype=torch.float64)'
    """
    values = np.asarray(values)
    indent = len(prefix)
    suffixes = [f"device='{device}'"] if device is not None else []
    if values.size == 0:
        # No numbers to hint at the type, so anything but the default float
        # dtype (even int64) is spelled out; the shape too unless it is (0,).
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype_name != default_dtype_name:
            suffixes.append(f"dtype={dtype_name}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:  # "[...]" alone says nothing about the shape
            suffixes.append(f"size={tuple(values.shape)}")
        # int64, bool and the default float type are what tensor([...]) infers by itself
        if dtype_name not in (default_dtype_name, "torch.int64", "torch.bool"):
            suffixes.append(f"dtype={dtype_name}")
        body = _tensor_body(values, indent)
    return _add_suffixes(prefix + body, [*suffixes, *tail], indent)


def format_storage(values_1d, dtype_name, device="cpu"):
    """Return ``repr(tensor.storage())``: one element per line, then a summary line.

        >>> print(format_storage(np.array([1, 2]), "torch.int64"))
         1
         2
        [torch.storage.TypedStorage(dtype=torch.int64, device=cpu) of size 2]
    """
    # Elements become Python scalars first (float32 0.1 -> 0.10000000149011612), like torch.
    items = np.asarray(values_1d).ravel().tolist()
    data = " " + "\n ".join(str(v) for v in items)
    return (f"{data}\n[torch.storage.TypedStorage(dtype={dtype_name}, "
            f"device={device}) of size {len(items)}]")

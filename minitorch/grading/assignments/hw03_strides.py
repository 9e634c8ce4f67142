"""hw03_strides: ``storage_position``, ``contiguous_strides`` and ``view_strides`` - the stride
arithmetic behind views - judged against the library's own ``minitorch._strides``."""

from minitorch import _strides

from ..spec import Assignment

hw = Assignment(
    "hw03_strides",
    title="Strides and views",
    lecture="02_storage_strides_views",
    reference={"storage_position": _strides.storage_position, "contiguous_strides": _strides.contiguous_strides,
               "view_strides": _strides.view_strides},
    # all of the library's stride arithmetic: tensors built to read their .stride() end up here too
    banned={"minitorch._strides": "work it out from the shape, strides and offset yourself (no tensors needed)"},
)


def each_case(name, function, cases):
    """``{"name(args)": function(*args)}`` for each argument tuple; a case that raises gets the
    error's text (so it fails alone) - unless it is the placeholder's NotImplementedError."""
    results = {}
    for args in cases:
        try:
            results[f"{name}{args}"] = function(*args)
        except NotImplementedError:
            raise
        except Exception as error:
            results[f"{name}{args}"] = f"raised {type(error).__name__}: {error}"
    return results


@hw.test(points=2, partial=True,
         hint="the offset is where element (0, 0, ...) lives, and one step along dim d moves strides[d] cells")
def position(storage_position):
    return each_case("storage_position", storage_position, [
        ((1, 2), (3, 1), 1), ((0, 0, 0), (12, 4, 1), 0), ((1, 2, 3), (12, 4, 1), 0), ((2, 1), (1, 3), 0),
        ((3, 1), (0, 1), 2), ((), (), 5)])


@hw.test(points=2, partial=True,
         hint="the last dim moves fastest (one cell per step); one step along a dim skips a whole block "
              "made of the dims after it. A dim of size 0 counts as size 1 here, as in torch")
def contiguous(contiguous_strides):
    return each_case("contiguous_strides", contiguous_strides,
                  [((2, 3, 4),), ((5,),), ((),), ((3, 1, 2),), ((4, 1),), ((2, 0, 3),)])


@hw.test(points=4, partial=True,
         hint="group the old dims into chunks that are contiguous with one another; each chunk must be "
              "covered exactly by consecutive new dims, which get strides inside that chunk")
def view(view_strides):
    return each_case("view_strides", view_strides, [
        ((2, 3), (3, 1), (6,)), ((2, 3), (3, 1), (3, 2)), ((2, 3), (1, 2), (6,)), ((4, 10, 2), (20, 2, 1), (80,)),
        ((2, 4, 10), (1, 20, 2), (80,)), ((2, 3, 4), (12, 4, 1), (2, 12)), ((2, 3, 4), (12, 4, 1), (6, 4)),
        ((2, 3, 4), (12, 1, 3), (2, 12)), ((2, 3, 4), (12, 1, 3), (2, 3, 2, 2)), ((1, 3), (10, 1), (3,)),
        ((3, 4), (0, 1), (12,)), ((3, 4), (0, 1), (3, 2, 2)), ((3,), (2,), (3, 1)), ((2, 3), (3, 1), (1, 6, 1)),
    ])

"""hw08_data_parallel: cheats that skip the network (or use the judge's reference), and plausible
wrong answers."""

CHEATS = {
    "sums the workers' tensors directly": ("ring_traffic", '''
def ring_all_reduce(group, tensors):
    total = torch.stack(tensors).sum(dim=0)
    for t in tensors:
        t.copy_(total)
'''),
    "the judge's reference": ("all_reduce_values", '''
from minitorch.grading.assignments.hw08_data_parallel import _sum_all_reduce as ring_all_reduce
'''),
    "the judge's large-batch step": ("equals_large_batch", '''
from minitorch.grading.assignments.hw08_data_parallel import hw

data_parallel_step = hw.reference["data_parallel_step"]
'''),
}

WRONG = {
    "gathers at worker 0, then broadcasts": ("ring_traffic", '''
def ring_all_reduce(group, tensors):
    w = group.world_size
    for r in range(1, w):
        group.send(tensors[r], r, 0)
    for r in range(1, w):
        tensors[0].add_(group.recv(r, 0))
    for r in range(1, w):
        group.send(tensors[0], 0, r)
    for r in range(1, w):
        tensors[r].copy_(group.recv(0, r))
'''),
    "reduce only (the others keep their own)": ("all_reduce_values", '''
def ring_all_reduce(group, tensors):
    for r in range(1, group.world_size):
        group.send(tensors[r], r, 0)
        tensors[0].add_(group.recv(r, 0))
'''),
    "chunks with torch's chunk (too few for small tensors)": ("all_reduce_values", '''
def ring_all_reduce(group, tensors):
    w = group.world_size
    chunks = [t.view(-1).chunk(w) for t in tensors]
    for s in range(w - 1):
        for r in range(w):
            group.send(chunks[r][(r - s) % w], r, (r + 1) % w)
        for r in range(w):
            chunks[r][(r - s - 1) % w].add_(group.recv((r - 1) % w, r))
    for s in range(w - 1):
        for r in range(w):
            group.send(chunks[r][(r + 1 - s) % w], r, (r + 1) % w)
        for r in range(w):
            chunks[r][(r - s) % w].copy_(group.recv((r - 1) % w, r))
'''),
    "sums the gradients without dividing": ("average_gradients", '''
def average_gradients(group, models):
    for params in zip(*(m.parameters() for m in models)):
        ring_all_reduce(group, [p.grad for p in params])
'''),
    "forgets to clear the gradients": ("equals_large_batch", '''
def data_parallel_step(group, models, optimizers, batches, loss_fn):
    losses = []
    for model, (inputs, targets) in zip(models, batches):
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        losses.append(loss.item())
    average_gradients(group, models)
    for optimizer in optimizers:
        optimizer.step()
    return sum(losses) / len(losses)
'''),
    "each worker steps, then the parameters are averaged": ("large_batch_with_adam", '''
def data_parallel_step(group, models, optimizers, batches, loss_fn):
    losses = []
    for model, optimizer, (inputs, targets) in zip(models, optimizers, batches):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        for params in zip(*(m.parameters() for m in models)):
            values = [p.detach().clone() for p in params]
            ring_all_reduce(group, values)
            for p, v in zip(params, values):
                p.copy_(v / group.world_size)
    return sum(losses) / len(losses)
'''),
}

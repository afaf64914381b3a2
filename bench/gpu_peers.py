#!/usr/bin/env python3
"""gpu_peers.py - the GPU peers of dlaaw's benchmark, on the rows gpu_train_bench exported.

  python3 bench/gpu_peers.py PEER EXPORT_DIR [EXPORT_DIR...] [--device cuda]

PEER is one of
  torch_eager  PyTorch as usually written: nn.Sequential, optim.SGD, BCEWithLogitsLoss, a fresh
               torch.randperm per epoch; the folds one after the other.
  torch_graph  the same model, with a whole epoch (shuffle and every mini-batch step) captured in
               one CUDA graph and replayed once per epoch; the folds one after the other.
  torch_vmap   torch.func: functional_call + grad, vmapped over every fold at once.
  jax          jax.jit of lax.scan over the epochs' steps, vmapped over every fold at once.

Every peer trains the exported rows (the same split and scaling as dlaaw) with the exported
network, epochs, mini-batches, learning rate and momentum (SGD with momentum as PyTorch defines
it), from Xavier-uniform weights and zero biases. The timed region starts with the data and the
initial weights already on the device and the compilation (jit, graph capture) done, and ends
after a device synchronisation: training time with the context already created, as dlaaw's.
Folds of different sizes are padded to the largest for the vectorised peers; padded rows weigh 0.

Prints one JSON line per export folder: {"peer", "export", "train_s", "accuracy", "folds",
"versions"}, or {"peer", "export", "missing": why} when the framework, its GPU support or a needed
feature is absent, or {"peer", "export", "error": what} when it failed (exit code 0 either way: the
benchmark records these and goes on). One process serves every folder, so the framework's import
and start-up are paid once.
"""
import argparse
import json
import os
import sys
import time

try:
    import numpy as np
except ImportError as e:  # every peer needs it: say so for each folder, as a missing peer
    np = None
    NUMPY_MISSING = f"numpy is not installed ({e})"

RELU, SIGMOID, TANH = 1, 2, 3


class PeerMissing(Exception):
    """The peer cannot run here; the message says why."""


def load_export(folder):
    meta = json.load(open(os.path.join(folder, "meta.json")))
    folds = []
    for f in range(meta["folds"]):
        def read(name, cols):
            values = np.fromfile(os.path.join(folder, f"fold{f}.{name}.f32"), dtype=np.float32)
            return values.reshape(-1, cols) if cols else values
        folds.append({"x_train": read("x_train", meta["cols"]), "y_train": read("y_train", 0),
                      "x_test": read("x_test", meta["cols"]), "y_test": read("y_test", 0)})
    return meta, folds


def accuracy(scores, labels):
    return float(np.mean((np.asarray(scores) >= 0.5) == (np.asarray(labels) > 0.5)))


def padded(folds):
    """Every fold's training rows padded to the largest fold, with a 0/1 row mask."""
    n_max = max(len(f["y_train"]) for f in folds)
    xs, ys, masks, sizes = [], [], [], []
    for f in folds:
        n = len(f["y_train"])
        pad = n_max - n
        xs.append(np.concatenate([f["x_train"], np.repeat(f["x_train"][:1], pad, axis=0)]))
        ys.append(np.concatenate([f["y_train"], np.zeros(pad, np.float32)]))
        masks.append(np.concatenate([np.ones(n, np.float32), np.zeros(pad, np.float32)]))
        sizes.append(n)
    return np.stack(xs), np.stack(ys), np.stack(masks), np.array(sizes)


def batch_positions(sizes, batches):
    """For mini-batch b: a [folds, width] array of positions into each fold's shuffled order and
    a mask of the valid ones; fold f's batch b is positions [n_f b / B, n_f (b + 1) / B)."""
    width = int(max((n + batches - 1) // batches for n in sizes))
    out = []
    for b in range(batches):
        starts = sizes * b // batches
        counts = sizes * (b + 1) // batches - starts
        j = np.arange(width)[None, :]
        out.append((np.minimum(starts[:, None] + j, sizes[:, None] - 1).astype(np.int64),
                    (j < counts[:, None]).astype(np.float32), counts.astype(np.float32)))
    return out


# ---------------------------------------------------------------- PyTorch

def torch_setup(device):
    try:
        import torch
    except ImportError as e:
        raise PeerMissing(f"PyTorch is not installed ({e})")
    if device == "cuda" and not torch.cuda.is_available():
        raise PeerMissing("PyTorch has no CUDA device")
    return torch


def torch_model(torch, layers, device):
    modules = []
    for i, (n_in, n_out, act) in enumerate(layers):
        linear = torch.nn.Linear(n_in, n_out)
        torch.nn.init.xavier_uniform_(linear.weight)
        torch.nn.init.zeros_(linear.bias)
        modules.append(linear)
        if act == RELU:
            modules.append(torch.nn.ReLU())
        elif act == SIGMOID:
            modules.append(torch.nn.Sigmoid())
        elif act == TANH:
            modules.append(torch.nn.Tanh())
    return torch.nn.Sequential(*modules).to(device)


def torch_sync(torch, device):
    if device == "cuda":
        torch.cuda.synchronize()


def torch_eager_fold(torch, meta, fold, device):
    """Returns (seconds, accuracy) of one fold trained eagerly."""
    x = torch.tensor(fold["x_train"], device=device)
    y = torch.tensor(fold["y_train"], device=device).unsqueeze(1)
    model = torch_model(torch, meta["layers"], device)
    optimizer = torch.optim.SGD(model.parameters(), lr=meta["learning_rate"], momentum=meta["momentum"])
    loss_fn = torch.nn.BCEWithLogitsLoss()
    n, batches = len(fold["y_train"]), meta["batches"]
    bounds = [n * b // batches for b in range(batches + 1)]
    torch_sync(torch, device)
    start = time.perf_counter()
    for _ in range(meta["epochs"]):
        perm = torch.randperm(n, device=device)
        for b in range(batches):
            idx = perm[bounds[b]:bounds[b + 1]]
            optimizer.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            optimizer.step()
    torch_sync(torch, device)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        scores = torch.sigmoid(model(torch.tensor(fold["x_test"], device=device))).squeeze(1)
    return seconds, accuracy(scores.cpu().numpy(), fold["y_test"])


def torch_graph_fold(torch, meta, fold, device):
    """Returns (seconds, accuracy): one epoch captured as a CUDA graph, replayed per epoch."""
    if device != "cuda":
        raise PeerMissing("CUDA graphs need a CUDA device")
    x = torch.tensor(fold["x_train"], device=device)
    y = torch.tensor(fold["y_train"], device=device).unsqueeze(1)
    model = torch_model(torch, meta["layers"], device)
    initial = [p.detach().clone() for p in model.parameters()]
    optimizer = torch.optim.SGD(model.parameters(), lr=meta["learning_rate"], momentum=meta["momentum"])
    loss_fn = torch.nn.BCEWithLogitsLoss()
    n, batches = len(fold["y_train"]), meta["batches"]
    bounds = [n * b // batches for b in range(batches + 1)]

    def epoch():
        perm = torch.argsort(torch.rand(n, device=device))  # capturable, unlike randperm
        for b in range(batches):
            idx = perm[bounds[b]:bounds[b + 1]]
            optimizer.zero_grad(set_to_none=False)
            loss_fn(model(x[idx]), y[idx]).backward()
            optimizer.step()

    side = torch.cuda.Stream()  # warm-up (creates grads and momentum buffers) off the default stream
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            epoch()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        epoch()
    with torch.no_grad():  # start from the initial weights with zero momentum, as the others do
        for p, p0 in zip(model.parameters(), initial):
            p.copy_(p0)
        for state in optimizer.state.values():
            state["momentum_buffer"].zero_()
    torch_sync(torch, device)
    start = time.perf_counter()
    for _ in range(meta["epochs"]):
        graph.replay()
    torch_sync(torch, device)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        scores = torch.sigmoid(model(torch.tensor(fold["x_test"], device=device))).squeeze(1)
    return seconds, accuracy(scores.cpu().numpy(), fold["y_test"])


def torch_sequential(fold_fn):
    def peer(meta, folds, device):
        torch = torch_setup(device)
        fold_fn(torch, dict(meta, epochs=2), folds[0], device)  # warm-up: kernels, cuBLAS, allocator
        results = [fold_fn(torch, meta, f, device) for f in folds]
        return sum(s for s, _ in results), float(np.mean([a for _, a in results])), \
            {"torch": torch.__version__}
    return peer


def torch_vmap(meta, folds, device):
    torch = torch_setup(device)
    try:
        from torch.func import functional_call, grad, vmap
    except ImportError:
        raise PeerMissing(f"torch.func needs PyTorch 2.0 (this is {torch.__version__})")
    x, y, mask, sizes = (torch.tensor(a, device=device) for a in padded(folds))
    k, n_max = y.shape
    models = [torch_model(torch, meta["layers"], device) for _ in range(k)]  # one init per fold
    model = models[0]
    names = [name for name, _ in model.named_parameters()]
    params = {name: torch.stack([m.get_parameter(name).detach() for m in models]) for name in names}
    velocity = {name: torch.zeros_like(p) for name, p in params.items()}
    positions = [tuple(torch.tensor(a, device=device) for a in batch)
                 for batch in batch_positions(sizes.cpu().numpy(), meta["batches"])]
    lr, mu = meta["learning_rate"], meta["momentum"]

    def loss(p, xb, yb, wb, count):
        logits = functional_call(model, p, (xb,)).squeeze(-1)
        bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, yb, reduction="none")
        return (bce * wb).sum() / count

    step_grad = vmap(grad(loss))

    def run(params, velocity, epochs):
        for _ in range(epochs):
            keys = torch.rand(k, n_max, device=device) + 2.0 * (1.0 - mask)  # padding sorts last
            order = torch.argsort(keys, dim=1)
            for pos, valid, count in positions:
                rows = torch.gather(order, 1, pos)
                xb = torch.gather(x, 1, rows.unsqueeze(-1).expand(-1, -1, x.shape[2]))
                yb = torch.gather(y, 1, rows)
                g = step_grad(params, xb, yb, valid, count)
                for name in names:
                    velocity[name].mul_(mu).add_(g[name])
                    params[name].sub_(lr * velocity[name])

    warm = {n: p.clone() for n, p in params.items()}
    run(warm, {n: v.clone() for n, v in velocity.items()}, 2)  # warm-up, untimed
    torch_sync(torch, device)
    start = time.perf_counter()
    run(params, velocity, meta["epochs"])
    torch_sync(torch, device)
    seconds = time.perf_counter() - start
    accuracies = []
    with torch.no_grad():
        for f, fold in enumerate(folds):
            p = {n: v[f] for n, v in params.items()}
            logits = functional_call(model, p, (torch.tensor(fold["x_test"], device=device),))
            accuracies.append(accuracy(torch.sigmoid(logits).squeeze(-1).cpu().numpy(), fold["y_test"]))
    return seconds, float(np.mean(accuracies)), {"torch": torch.__version__}


# ---------------------------------------------------------------- JAX

def jax_peer(meta, folds, device):
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    try:
        import jax
        import jax.numpy as jnp
    except ImportError as e:
        raise PeerMissing(f"JAX is not installed ({e})")
    if device == "cuda" and not any(d.platform in ("gpu", "cuda") for d in jax.devices()):
        raise PeerMissing(f"JAX has no GPU ({jax.devices()})")
    layers, lr, mu = meta["layers"], meta["learning_rate"], meta["momentum"]
    x, y, mask, sizes = padded(folds)
    k, n_max = y.shape
    positions = batch_positions(sizes, meta["batches"])
    pos = jnp.stack([jnp.asarray(p) for p, _, _ in positions])     # [batches, folds, width]
    valid = jnp.stack([jnp.asarray(v) for _, v, _ in positions])
    count = jnp.stack([jnp.asarray(c) for _, _, c in positions])   # [batches, folds]

    def init(key):
        params = []
        for n_in, n_out, _ in layers:
            key, sub = jax.random.split(key)
            bound = (6.0 / (n_in + n_out)) ** 0.5
            params.append((jax.random.uniform(sub, (n_out, n_in), jnp.float32, -bound, bound),
                           jnp.zeros(n_out, jnp.float32)))
        return params

    def forward(params, xb):
        h = xb
        for (w, b), (_, _, act) in zip(params, layers):
            h = h @ w.T + b
            h = jax.nn.relu(h) if act == RELU else jax.nn.sigmoid(h) if act == SIGMOID else \
                jnp.tanh(h) if act == TANH else h
        return h[..., 0]

    def loss(params, xb, yb, wb, c):
        z = forward(params, xb)
        bce = jnp.maximum(z, 0) - z * yb + jnp.log1p(jnp.exp(-jnp.abs(z)))
        return jnp.sum(bce * wb) / c

    def train_fold(params, xf, yf, mf, pos_f, valid_f, count_f, key):
        velocity = jax.tree_util.tree_map(jnp.zeros_like, params)

        def epoch(carry, epoch_key):
            order = jnp.argsort(jax.random.uniform(epoch_key, (n_max,)) + 2.0 * (1.0 - mf))

            def step(carry, batch):
                params, velocity = carry
                p, v, c = batch
                rows = order[p]
                g = jax.grad(loss)(params, xf[rows], yf[rows], v, c)
                velocity = jax.tree_util.tree_map(lambda vel, gr: mu * vel + gr, velocity, g)
                params = jax.tree_util.tree_map(lambda w, vel: w - lr * vel, params, velocity)
                return (params, velocity), None

            carry, _ = jax.lax.scan(step, carry, (pos_f, valid_f, count_f))
            return carry, None

        (params, _), _ = jax.lax.scan(epoch, (params, velocity), jax.random.split(key, meta["epochs"]))
        return params

    train = jax.jit(jax.vmap(train_fold, in_axes=(0, 0, 0, 0, 1, 1, 1, 0)))
    keys = jax.random.split(jax.random.PRNGKey(meta["seed"]), 2 * k)
    params0 = jax.vmap(init)(keys[:k])
    args = (params0, jnp.asarray(x), jnp.asarray(y), jnp.asarray(mask), pos, valid, count, keys[k:])
    compiled = train.lower(*args).compile()  # compile outside the timed region
    jax.block_until_ready(args)
    start = time.perf_counter()
    trained = jax.block_until_ready(compiled(*args))
    seconds = time.perf_counter() - start
    accuracies = []
    for f, fold in enumerate(folds):
        p = jax.tree_util.tree_map(lambda a: a[f], trained)
        scores = jax.nn.sigmoid(forward(p, jnp.asarray(fold["x_test"])))
        accuracies.append(accuracy(np.asarray(scores), fold["y_test"]))
    return seconds, float(np.mean(accuracies)), {"jax": jax.__version__}


PEERS = {"torch_eager": torch_sequential(torch_eager_fold),
         "torch_graph": torch_sequential(torch_graph_fold),
         "torch_vmap": torch_vmap,
         "jax": jax_peer}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("peer", choices=sorted(PEERS))
    parser.add_argument("export_dirs", nargs="+")
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    args = parser.parse_args()
    for folder in args.export_dirs:
        out = {"peer": args.peer, "export": os.path.basename(os.path.normpath(folder))}
        if np is None:
            print(json.dumps(dict(out, missing=NUMPY_MISSING)), flush=True)
            continue
        try:
            meta, folds = load_export(folder)
            seconds, acc, versions = PEERS[args.peer](meta, folds, args.device)
            out.update({"train_s": seconds, "accuracy": acc, "folds": len(folds),
                        "device": args.device, "versions": versions})
        except PeerMissing as e:
            out["missing"] = str(e)
        except Exception as e:  # a failed peer is a result too; the next folder still runs
            out["error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""gpu_bench.py - dlaaw's CUDA kernels against the GPU peers, on the same GPU in the same call.

Protocol of the paper: 1000 epochs, 6 mini-batches, lr 0.1, momentum 0.9, seed 1, 80/20 split.
Training time with the CUDA context already created, on the very same rows for everyone:
  1. dlaaw: bench/gpu_train_bench (built with the project) prepares each case's rows as the engine
     does, exports them, and times every kernel (cooperative, block): the median of 3 trainings,
     wall time of the call (upload, kernel, copy back) and the kernel's CUDA-event time.
  2. the peers: bench/gpu_peers.py, one process per peer over every case's exported rows:
     PyTorch eager, PyTorch with a whole epoch in a CUDA graph, torch.func vmap over the folds,
     JAX (jit of lax.scan over the steps, vmap over the folds).
Cases: the five paper networks (train/test); 6-fold plans of pima and bank_marketing; and
bank_marketing's rows replicated 4x and 16x (1x is the train/test case).
A missing or failing peer, or a dlaaw case that fails, is recorded ("peer missing: why") and the
rest goes on; so does running out of --budget seconds ("skipped (budget)").
Writes bench/results/gpu-<date>.json (device, driver, versions, every figure; --out elsewhere)
and prints the table with ratios and the issue's targets.
  python3 bench/gpu_bench.py [--bench-binary build-gpu/bench/gpu_train_bench] [--data-dir DIR]
                             [--budget 150] [--out FILE]
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NETWORKS = ["nn1", "nn2", "nn3", "nn4", "nn5"]
KERNELS = ["cooperative", "block"]


class Budget:
    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds

    def left(self):
        return self.deadline - time.monotonic()


def run_json_lines(command, budget, share):
    """Runs `command`, returns (its JSON output lines, error or None); bounded by the budget."""
    timeout = min(budget.left() * share, budget.left() - 1)
    if timeout < 5:
        return [], "skipped (budget)"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        lines = (e.stdout.decode() if isinstance(e.stdout, bytes) else e.stdout or "").splitlines()
        return [json.loads(l) for l in lines if l.startswith("{")], f"timed out after {timeout:.0f} s"
    except OSError as e:
        return [], f"cannot run {command[0]}: {e}"
    lines = [json.loads(l) for l in done.stdout.splitlines() if l.startswith("{")]
    error = None if done.returncode == 0 else \
        f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}"
    return lines, error


def cases():
    """(name, workflow, extra gpu_train_bench arguments, peers) in the order they matter."""
    wf = lambda n: os.path.join(ROOT, "examples", "paper", f"{n}.json")
    out = [(n, wf(n), [], ["torch_eager", "torch_graph", "jax"]) for n in NETWORKS]
    out += [("nn2-kfold6", wf("nn2"), ["--kfold", "6"], ["torch_vmap", "jax", "torch_eager"]),
            ("nn5-kfold6", wf("nn5"), ["--kfold", "6"], ["torch_vmap", "jax"])]
    # The block kernel gives a model one block, which on bank_marketing's replicas takes seconds a
    # run (3.3 s at 1x on an H200, 2026-11-27) and ate the budget of the cases after it: the
    # replicas time the cooperative kernel only.
    out += [(f"nn5-x{r}", wf("nn5"), ["--replicate", str(r), "--kernel", "cooperative"],
             ["jax", "torch_eager"]) for r in (4, 16)]
    return out


def run_dlaaw(binary, data_dir, tmp, case_list, budget):
    results = {}
    for name, workflow, extra, _ in case_list:
        export = os.path.join(tmp, name)
        lines, error = run_json_lines([binary, workflow, "--data-dir", data_dir, "--export", export,
                                       "--repeat", "3"] + extra, budget, 0.15)
        results[name] = {"kernels": {l["kernel"]: l for l in lines}, "export": export,
                         "exported": os.path.exists(os.path.join(export, "meta.json"))}
        if error:
            results[name]["error"] = error
        print(f"dlaaw {name}: " + (error or "ok"), flush=True)
    return results


def run_peers(case_list, dlaaw, budget):
    peers = {}
    # The fastest peer first (JAX decides the "3x the fastest peer" target), eager last: it is
    # 60-200x slower than dlaaw, and on 2026-11-27 it used up the budget of the peers after it.
    for peer in ["jax", "torch_graph", "torch_vmap", "torch_eager"]:
        dirs = [dlaaw[name]["export"] for name, _, _, ps in case_list
                if peer in ps and dlaaw[name]["exported"]]
        if not dirs:
            continue
        lines, error = run_json_lines([sys.executable, os.path.join(ROOT, "bench", "gpu_peers.py"),
                                       peer] + dirs, budget, 0.4)
        for line in lines:
            peers.setdefault(line["export"], {})[peer] = line
        for d in dirs:
            name = os.path.basename(d)
            peers.setdefault(name, {}).setdefault(peer, {"peer": peer, "missing": error or "no output"})
        print(f"peer {peer}: " + (error or "ok"), flush=True)
    return peers


def seconds_of(entry):
    """A dlaaw kernel's or a peer's training seconds, or None."""
    if not entry or "error" in entry or "missing" in entry:
        return None
    return entry["median_train_ms"] / 1000.0 if "median_train_ms" in entry else entry.get("train_s")


def environment():
    info = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "host": platform.node(), "python": platform.python_version()}
    if shutil.which("nvidia-smi"):
        q = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total,clocks.max.sm",
                            "--format=csv,noheader"], capture_output=True, text=True)
        info["nvidia_smi"] = q.stdout.strip()
    git = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                         text=True)
    info["dlaaw"] = git.stdout.strip() or "unknown"
    return info


def table(case_list, dlaaw, peers):
    """Prints the figures and ratios; returns the rows it printed, as data."""
    rows = []
    print(f"\n{'case':<12} {'coop s':>8} {'block s':>8} {'best':>6} {'eager s':>8} {'graph s':>8} "
          f"{'vmap s':>8} {'jax s':>8} {'x eager':>8} {'x peer':>7}")
    for name, _, _, _ in case_list:
        k = dlaaw[name]["kernels"]
        coop, block = seconds_of(k.get("cooperative")), seconds_of(k.get("block"))
        ours = min([s for s in (coop, block) if s is not None], default=None)
        p = {peer: seconds_of(v) for peer, v in peers.get(name, {}).items()}
        fastest = min([s for s in p.values() if s is not None], default=None)
        eager = p.get("torch_eager")
        fmt = lambda s: f"{s:8.3f}" if s is not None else f"{'-':>8}"
        ratio = lambda s: f"{s / ours:7.1f}x" if s is not None and ours else f"{'-':>8}"
        print(f"{name:<12} {fmt(coop)} {fmt(block)} "
              f"{('coop' if ours == coop else 'block') if ours else '-':>6} {fmt(eager)} "
              f"{fmt(p.get('torch_graph'))} {fmt(p.get('torch_vmap'))} {fmt(p.get('jax'))} "
              f"{ratio(eager)} {ratio(fastest)}")
        rows.append({"case": name, "dlaaw_s": ours, "cooperative_s": coop, "block_s": block,
                     "peers_s": p, "vs_eager": eager / ours if eager and ours else None,
                     "vs_fastest_peer": fastest / ours if fastest and ours else None})
    return rows


def targets(rows):
    by = {r["case"]: r for r in rows}
    five = [by[n]["dlaaw_s"] for n in NETWORKS]
    def every(key, factor):
        values = [by[n][key] for n in NETWORKS]
        return None if None in values else all(v >= factor for v in values)

    t = {"all five < 0.25 s": sum(five) < 0.25 if None not in five else None,
         "every network >= 20x eager": every("vs_eager", 20),
         "every network >= 3x fastest peer": every("vs_fastest_peer", 3)}
    for n in ("nn2", "nn5"):
        one, six = by[n]["dlaaw_s"], by[f"{n}-kfold6"]["dlaaw_s"]
        t[f"{n} 6-fold < 2x one fold"] = six < 2 * one if one and six else None
    one, sixteen = by["nn5"]["dlaaw_s"], by["nn5-x16"]["dlaaw_s"]
    t["bank 16x rows < 4x 1x"] = sixteen < 4 * one if one and sixteen else None
    print("\ntargets: " + "; ".join(f"{k}: {'yes' if v else 'no' if v is False else 'n/a'}"
                                     for k, v in t.items()))
    print(f"all five networks: {sum(s for s in five if s):.3f} s of dlaaw training")
    return t


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench-binary", default=os.path.join(ROOT, "build-gpu", "bench", "gpu_train_bench"))
    parser.add_argument("--data-dir", default=os.environ.get("DLAAW_DATA_DIR", os.path.join(ROOT, "gpu-data")))
    parser.add_argument("--budget", type=float, default=150.0, help="seconds for the whole benchmark")
    parser.add_argument("--out", help="result file (default bench/results/gpu-<date>.json)")
    args = parser.parse_args()
    budget = Budget(args.budget)
    env = environment()
    print(f"device: {env.get('nvidia_smi', 'no nvidia-smi')}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        case_list = cases()
        dlaaw = run_dlaaw(args.bench_binary, os.path.abspath(args.data_dir), tmp, case_list, budget)
        peers = run_peers(case_list, dlaaw, budget)
    rows = table(case_list, dlaaw, peers)
    result = {"environment": env, "protocol": "1000 epochs, 6 batches, lr 0.1, momentum 0.9, seed 1, 80/20",
              "dlaaw": {n: {k: v for k, v in d.items() if k != "export"} for n, d in dlaaw.items()},
              "peers": peers, "summary": rows, "targets": targets(rows)}
    out = args.out or os.path.join(ROOT, "bench", "results",
                                   f"gpu-{datetime.date.today().isoformat()}.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

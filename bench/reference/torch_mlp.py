#!/usr/bin/python3
"""The PyTorch twin of nnrun's benchmark runs (bench/run.sh): the same network, loss,
optimizer, batch size, per-epoch shuffling and thread count, written the way a PyTorch
user would write a fast loop (tensors in memory, one randperm per epoch, no DataLoader).

  torch_mlp.py fashion --batch-size 128 --epochs 3 --threads 2
  torch_mlp.py iris --epochs 200

Prints one JSON line: per-epoch seconds (training steps only; the test pass is timed
apart), steps, test accuracy, import and load times and peak RSS (getrusage).
Fashion-MNIST is read from the same IDX .gz files as nnrun, with gzip + struct + numpy.
"""
import argparse
import csv
import gzip
import json
import math
import os
import resource
import struct
import sys
import time

T_START = time.perf_counter()
import numpy as np  # noqa: E402
import torch  # noqa: E402

T_IMPORTED = time.perf_counter()

FASHION_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    """An IDX file (MNIST layout) as a numpy array of its declared shape."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    if magic >> 8 != 0x08:  # 0x08: unsigned byte
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_fashion():
    """Training and test images scaled to [0, 1] (nnrun's `normalize: scale`, 255)."""
    def images(name):
        x = read_idx(os.path.join(FASHION_DIR, name))
        return torch.from_numpy(x.reshape(x.shape[0], -1).astype(np.float32) / 255.0)

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(FASHION_DIR, name)).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def load_iris(path):
    """Iris as nnrun's iris config sees it: a seeded stratified 80/20 split (not nnrun's
    exact rows), standardized with the training part's mean and std."""
    with open(path) as f:
        rows = list(csv.DictReader(f))
    names = sorted({r["species"] for r in rows})
    x = np.array([[float(r[k]) for k in r if k != "species"] for r in rows], dtype=np.float32)
    y = np.array([names.index(r["species"]) for r in rows], dtype=np.int64)
    rng = np.random.default_rng(42)
    held = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:10] for c in range(3)])
    keep = np.setdiff1d(np.arange(len(y)), held)
    mean, std = x[keep].mean(0), x[keep].std(0)
    x = (x - mean) / std
    t = torch.from_numpy
    return t(x[keep]), t(y[keep]), t(x[held]), t(y[held])


def mlp(widths, init):
    """nnrun's network: dense layers with ReLU between them. init "he_uniform" is nnrun's
    default (weights uniform in +-sqrt(6 / fan_in), zero bias), so both tools train the same
    model; "torch" keeps torch.nn.Linear's own init (+-1/sqrt(fan_in), bias too)."""
    layers = []
    for i in range(len(widths) - 1):
        linear = torch.nn.Linear(widths[i], widths[i + 1])
        if init == "he_uniform":
            limit = math.sqrt(6.0 / widths[i])
            torch.nn.init.uniform_(linear.weight, -limit, limit)
            torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i + 2 < len(widths):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def accuracy(model, x, y, batch):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(y)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", choices=["fashion", "iris"])
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--lr", type=float)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42,
                        help="torch.manual_seed: init and shuffling (bench/run.sh: one per pair)")
    parser.add_argument("--init", choices=["he_uniform", "torch"], default="he_uniform")
    parser.add_argument("--keep-denormals", action="store_true",
                        help="leave torch.set_flush_denormal off (PyTorch's default)")
    parser.add_argument("--iris-csv", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "datasets", "iris.csv"))
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    # Flushing denormals to zero is PyTorch's faster setting here: where a gradient stays 0,
    # Adam's moments decay into the denormal range, where every operation is slow.
    torch.set_flush_denormal(not args.keep_denormals)
    torch.manual_seed(args.seed)
    if args.dataset == "fashion":
        widths, batch, epochs, lr = [784, 256, 128, 10], 128, 3, 1e-3
        x, y, x_test, y_test = load_fashion()
    else:
        widths, batch, epochs, lr = [4, 16, 3], 16, 200, 1e-2
        x, y, x_test, y_test = load_iris(args.iris_csv)
    batch = args.batch_size or batch
    epochs = args.epochs or epochs
    lr = args.lr or lr
    t_loaded = time.perf_counter()

    model = mlp(widths, args.init)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = len(y)
    epoch_seconds, steps = [], 0
    for _ in range(epochs):
        started = time.perf_counter()
        order = torch.randperm(n)
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            loss = loss_fn(model(x[idx]), y[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            steps += 1
        epoch_seconds.append(time.perf_counter() - started)
    t_trained = time.perf_counter()
    test_accuracy = accuracy(model, x_test, y_test, 1000)

    print(json.dumps({
        "tool": "pytorch " + torch.__version__,
        "flush_denormal": not args.keep_denormals,
        "dataset": args.dataset, "seed": args.seed, "init": args.init, "batch": batch, "epochs": epochs, "threads": args.threads,
        "train_samples": n, "steps": steps,
        "epoch_seconds": epoch_seconds,
        "test_accuracy": test_accuracy,
        "import_seconds": T_IMPORTED - T_START,
        "load_seconds": t_loaded - T_IMPORTED,
        "train_seconds": t_trained - t_loaded,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

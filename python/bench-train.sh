#!/usr/bin/env bash
# Training throughput side by side, one run after the other on this machine (same config:
# d = 64, 2 blocks, 2,048-position batches, 4,096 negatives, dropout 0.3; BATCHES batches):
# Node wasm (npm run train), then PyTorch on 1 process, 2 gloo processes and 1 process with
# 2 threads. OPENBLAS_DIR, when set, is put on LD_LIBRARY_PATH for the PyTorch runs (a folder
# with OpenBLAS's libblas.so.3: what apt-get install libopenblas0-pthread switches to).
# Usage: bash python/bench-train.sh FEATURES_FILE [BATCHES]   (valid is evaluated only by the TS CLI, after timing)
set -euo pipefail
cd "$(dirname "$0")/.."
features=$1
batches=${2:-20}
out=$(mktemp -d)
common=(--epochs 1 --max-batches "$batches" --batch 2048 --negatives 4096 --dropout 0.3 --seed 42)
echo "== Node wasm (1 thread)"
npm run --silent train -- --dataset food-kitchen "${common[@]}" --out "$out/ts" 2>&1 | grep '^epoch'
torch() {
  local label=$1 threads=$2; shift 2
  echo "== PyTorch $label"
  LD_LIBRARY_PATH=${OPENBLAS_DIR:-} OPENBLAS_NUM_THREADS=$threads PYTHONPATH=python "$@" -m hafrec_torch.train --data public/data/food-kitchen \
    --features "$features" "${common[@]}" --threads "$threads" --no-validate --out "$out/$label" 2>&1 | grep -E 'epoch 1:' | sed 's/^\[default0\]://'
}
torch 1proc-1thread 1 /usr/bin/python3
torch 2proc-gloo 1 /usr/bin/python3 -m torch.distributed.run --redirects 1 --tee 1 --log_dir "$out/logs" --nproc_per_node 2
torch 1proc-2threads 2 /usr/bin/python3
rm -rf "$out"

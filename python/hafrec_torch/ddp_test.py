"""A 2-process gloo run (torchrun) equals a 1-process run with the same global batch."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import numpy as np

from .conftest import DATA, ROOT
from .weights_io import read_weights

# Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default --redirects/--tee ("0"):
# a single stream (1 = stdout) works everywhere.
TORCHRUN = [sys.executable, '-m', 'torch.distributed.run', '--redirects', '1', '--tee', '1']
ARGS = ['--data', DATA, '--epochs', '1', '--max-batches', '3', '--batch', '384', '--negatives', '256', '--dropout', '0',
        '--dim', '16', '--blocks', '1', '--no-validate', '--weight-decay', '1e-3', '--seed', '11']


def _free_port() -> int:
    """A port nothing listens on now (torchrun's default 29500 may be another job's)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _train(launcher: list[str], out: str, feature_file: str, extra: tuple[str, ...] = ()) -> dict:
    env = {**os.environ, 'PYTHONPATH': os.path.join(ROOT, 'python')}
    cmd = [*launcher, '-m', 'hafrec_torch.train', *ARGS, '--features', feature_file, '--out', out, *extra]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return read_weights(out)[1]


def test_two_gloo_processes_equal_one_process(tmp_path, feature_file):
    one = _train([sys.executable], str(tmp_path / 'one'), feature_file)
    two = _train([*TORCHRUN, '--log_dir', str(tmp_path / 'logs'), '--master_addr', '127.0.0.1',
                '--master_port', str(_free_port()), '--nproc_per_node', '2'], str(tmp_path / 'two'), feature_file)
    start = _train([sys.executable], str(tmp_path / 'start'), feature_file, ['--max-batches', '0'])
    assert one.keys() == two.keys() == start.keys()
    assert max(float(np.abs(one[k] - start[k]).max()) for k in one) > 1e-3  # three Adam steps moved the weights
    assert max(float(np.abs(one[k] - two[k]).max()) for k in one) <= 2e-5

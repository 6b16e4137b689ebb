"""The command line: --init reads hafrec weights (fine-tuning) and the output records the
selection chain; report.json and the manifest hold valid numbers only."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import DATA, ROOT, SHIPPED
from .evaluate import evaluate
from .weights_io import load_model, read_weights


def test_init_from_shipped_weights_records_provenance_and_valid_only(tmp_path, feature_file, dataset, features):
    out = str(tmp_path / 'resaved')
    cmd = [sys.executable, '-m', 'hafrec_torch.train', '--data', DATA, '--features', feature_file, '--init', SHIPPED,
           '--epochs', '0', '--quantize', 'float16', '--out', out]
    done = subprocess.run(cmd, cwd=os.path.join(ROOT, 'python'), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    manifest, _ = read_weights(out)
    shipped, _ = read_weights(SHIPPED)
    training = manifest['training']
    assert training['initial'] == shipped['training']
    assert training['selection']['storedQuantization'] == 'float16'
    report = json.load(open(os.path.join(out, 'report.json')))
    assert 'test' not in report and 'test' not in json.dumps(training['selection'])
    assert report['valid']['sampled']['overall']['n'] == 960
    # Re-saving float16 weights as float16 changes nothing: the stored score is the shipped weights' own.
    model, _ = load_model(SHIPPED, dataset.catalog, features)
    shipped_valid = evaluate(model, dataset.catalog, dataset.splits['valid'])['sampled']['overall']['NDCG@10']
    assert abs(training['selection']['storedValid'] - shipped_valid) < 1e-9

#!/usr/bin/env python3
"""Reference log-mel filterbanks from torchaudio.compliance.kaldi.fbank (the
function AST's feature extractor calls; Debian's python3-torchaudio).

    python3 fbank_reference.py DIR WINDOW

For every DIR/<name>.f32 (raw little-endian float32 mono samples at 16 kHz)
writes DIR/<name>.<WINDOW>.ref.f32: [frames, 128] float32, row-major."""
import pathlib
import sys

import numpy as np
import torch
import torchaudio

d, window = pathlib.Path(sys.argv[1]), sys.argv[2]
for f in sorted(d.glob("*.f32")):
    if f.name.endswith(".ref.f32"):
        continue
    wave = torch.from_numpy(np.fromfile(f, dtype="<f4")).unsqueeze(0)
    fb = torchaudio.compliance.kaldi.fbank(
        wave, sample_frequency=16000, frame_length=25.0, frame_shift=10.0, num_mel_bins=128,
        preemphasis_coefficient=0.97, window_type=window, dither=0.0, use_energy=False,
        htk_compat=True, remove_dc_offset=True, round_to_power_of_two=True, snip_edges=True,
        low_freq=20.0, high_freq=0.0)
    fb.numpy().astype("<f4").tofile(d / (f.stem + "." + window + ".ref.f32"))

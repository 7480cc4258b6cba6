// Kaldi-compatible log-mel filterbank, as torchaudio.compliance.kaldi.fbank
// computes it (the function AST's feature extractor calls): frames of
// frame_length ms every frame_shift ms (snip_edges: only whole frames), DC
// offset removed, pre-emphasis, a window (povey or hanning), zero-padded to a
// power of two, power spectrum, triangular mel filters on Kaldi's mel scale
// (1127 ln(1 + f / 700)) between low_freq and high_freq, natural log floored
// at float epsilon. No dither (reproducible), no energy column.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace mh::teachers::audio {

struct FbankOptions {
  double sample_rate = 16000;
  double frame_length_ms = 25, frame_shift_ms = 10;
  int64_t num_mel_bins = 128;
  double preemphasis = 0.97;
  std::string window = "povey";  // or hanning
  double low_freq = 20, high_freq = 0;  // high_freq <= 0: Nyquist + high_freq
  bool remove_dc_offset = true;
};

// waveform [samples] float -> [frames, num_mel_bins] float; 0 frames when
// shorter than one frame.
at::Tensor kaldi_fbank(const at::Tensor& waveform, const FbankOptions& o = {});

// [num_mel_bins, padded_window / 2 + 1] triangular filters (last column zero, as Kaldi).
at::Tensor kaldi_mel_banks(const FbankOptions& o, int64_t padded_window);

}  // namespace mh::teachers::audio

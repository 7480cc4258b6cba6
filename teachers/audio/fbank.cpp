#include "teachers/audio/fbank.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

namespace mh::teachers::audio {

namespace {

double mel(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }

int64_t next_power_of_two(int64_t n) {
  int64_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

at::Tensor kaldi_mel_banks(const FbankOptions& o, int64_t padded_window) {
  const int64_t bins = o.num_mel_bins, fft_bins = padded_window / 2;
  const double nyquist = 0.5 * o.sample_rate;
  const double high = o.high_freq <= 0 ? nyquist + o.high_freq : o.high_freq;
  if (o.low_freq < 0 || high > nyquist || o.low_freq >= high)
    throw std::invalid_argument("fbank: need 0 <= low_freq < high_freq <= Nyquist");
  const double bin_width = o.sample_rate / static_cast<double>(padded_window);
  const double mel_low = mel(o.low_freq), mel_high = mel(high), delta = (mel_high - mel_low) / (bins + 1);
  auto banks = torch::zeros({bins, fft_bins + 1}, torch::kFloat);
  auto B = banks.accessor<float, 2>();
  for (int64_t b = 0; b < bins; ++b) {
    const double left = mel_low + b * delta, center = left + delta, right = center + delta;
    for (int64_t i = 0; i < fft_bins; ++i) {
      const double m = mel(bin_width * static_cast<double>(i));
      const double up = (m - left) / (center - left), down = (right - m) / (right - center);
      B[b][i] = static_cast<float>(std::max(0.0, std::min(up, down)));
    }
  }
  return banks;
}

at::Tensor kaldi_fbank(const at::Tensor& waveform, const FbankOptions& o) {
  if (o.window != "povey" && o.window != "hanning")
    throw std::invalid_argument("fbank: window must be povey or hanning, not '" + o.window + "'");
  const auto x = waveform.to(torch::kFloat).reshape(-1);
  const int64_t length = std::llround(o.sample_rate * o.frame_length_ms / 1000.0);
  const int64_t shift = std::llround(o.sample_rate * o.frame_shift_ms / 1000.0);
  const int64_t padded = next_power_of_two(length);
  if (x.size(0) < length) return torch::zeros({0, o.num_mel_bins}, torch::kFloat);

  auto frames = x.unfold(0, length, shift);  // [F, length], whole frames only
  if (o.remove_dc_offset) frames = frames - frames.mean(1, true);
  if (o.preemphasis != 0) {
    // y[0] = x[0] - p x[0]; y[i] = x[i] - p x[i-1]  (Kaldi replicates the first sample)
    auto previous = torch::cat({frames.slice(1, 0, 1), frames.slice(1, 0, length - 1)}, 1);
    frames = frames - o.preemphasis * previous;
  }
  // torch's own float32 symmetric Hann window, as torchaudio: the lowest mel
  // bins of pre-emphasised speech hold so little energy that a window
  // computed in double and rounded already moves their log by 2e-3.
  auto hann = torch::hann_window(length, /*periodic=*/false, torch::TensorOptions().dtype(torch::kFloat));
  auto window = o.window == "povey" ? hann.pow(0.85) : hann;
  frames = frames * window;
  frames = torch::constant_pad_nd(frames, {0, padded - length});
  auto power = torch::fft::rfft(frames, c10::nullopt, 1).abs().pow(2);  // [F, padded/2 + 1]
  auto energies = torch::mm(power, kaldi_mel_banks(o, padded).t());
  const float eps = std::numeric_limits<float>::epsilon();
  return energies.clamp_min(eps).log();
}

}  // namespace mh::teachers::audio

// cpu_backend.h - the reference backend: SIMD-shaped blocks of rows, a few threads per job.
#pragma once

#include "kernels/backend.h"

namespace dlaaw::kernels::cpu {

// Trains on the host. Rows are processed in chunks (chunk_rows_for); each chunk's gradient is
// summed in a fixed order, so the weights are bit-identical whatever the thread count.
class CpuBackend final : public Backend {
 public:
  // threads = 0 uses every hardware thread.
  explicit CpuBackend(int threads = 0);

  std::string name() const override { return "cpu"; }
  DeviceInfo device() const override;
  TrainOutcome train(const ModelSpec& spec, const std::vector<float>& initial, const Matrix& x,
                     const std::vector<float>& y, const TrainConfig& config,
                     const EpochCallback& on_epoch) override;
  std::vector<float> predict(const ModelSpec& spec, const std::vector<float>& parameters,
                             const Matrix& x) override;

 private:
  int threads_;
};

// Rows per unit of work handed to a thread, and the unit of the fixed-order gradient sum. It
// depends on the mini-batch size only (never on the thread count, so results do not either):
// larger chunks halve the per-chunk reduction work, smaller ones keep two threads busy on
// mid-sized batches.
inline std::size_t chunk_rows_for(std::size_t batch_rows) { return batch_rows >= 4096 ? 512 : 256; }

}  // namespace dlaaw::kernels::cpu

// RUN_DIR/manifest.json: one entry per finished stage with the hash of the
// configuration it ran with, the configuration itself, what it wrote and a
// summary. A stage whose entry has the same hash (and whose outputs exist) is
// skipped, so a re-run resumes after the last finished stage.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace mh::io {

class RunManifest {
 public:
  explicit RunManifest(std::filesystem::path run_dir);  // reads manifest.json when present

  // sha256 of the configuration's canonical JSON.
  static std::string hash(const nlohmann::json& config);

  // The one skip rule of every stage: finished with this configuration and not forced. Logs
  // "<label>: up to date ..." when it skips and `announce` (rank 0), so every stage says it alike.
  bool up_to_date(const std::string& stage, const std::string& config_hash, bool force, const std::string& label,
                  bool announce) const;
  const nlohmann::json* stage(const std::string& name) const;
  // Records the stage and rewrites manifest.json atomically.
  void record(const std::string& stage, const std::string& config_hash, const nlohmann::json& config,
              const nlohmann::json& outputs, const nlohmann::json& summary);

  const std::filesystem::path& path() const { return path_; }

 private:
  bool finished(const std::string& stage, const std::string& config_hash) const;
  std::filesystem::path dir_, path_;
  nlohmann::json doc_;
};

}  // namespace mh::io

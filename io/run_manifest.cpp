#include "io/run_manifest.h"

#include <chrono>
#include <ctime>
#include <fstream>

#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "io/sha256.h"
#include "log/log.h"

namespace mh::io {

RunManifest::RunManifest(std::filesystem::path run_dir) : dir_(std::move(run_dir)), path_(dir_ / "manifest.json") {
  doc_ = {{"stages", nlohmann::json::object()}};
  if (!std::filesystem::exists(path_)) return;
  std::ifstream in(path_);
  try {
    doc_ = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path_.string() + ": not valid JSON (" + e.what() + "); delete it to start the run afresh");
  }
  if (!doc_.is_object() || !doc_.contains("stages") || !doc_["stages"].is_object())
    throw InputError(path_.string() + ": expected an object with a \"stages\" object");
}

std::string RunManifest::hash(const nlohmann::json& config) { return sha256_hex(config.dump()); }

const nlohmann::json* RunManifest::stage(const std::string& name) const {
  auto it = doc_["stages"].find(name);
  return it == doc_["stages"].end() ? nullptr : &*it;
}

bool RunManifest::finished(const std::string& name, const std::string& config_hash) const {
  const auto* s = stage(name);
  if (!s || s->value("config_hash", "") != config_hash) return false;
  const nlohmann::json outputs = s->value("outputs", nlohmann::json::object());
  for (const auto& [key, file] : outputs.items())
    if (!file.is_string() || !std::filesystem::exists(dir_ / file.get<std::string>())) return false;
  return true;
}

bool RunManifest::up_to_date(const std::string& name, const std::string& config_hash, bool force,
                             const std::string& label, bool announce) const {
  if (force || !finished(name, config_hash)) return false;
  if (announce) log::info(label, ": up to date (same configuration); --force redoes it");
  return true;
}

void RunManifest::record(const std::string& name, const std::string& config_hash, const nlohmann::json& config,
                         const nlohmann::json& outputs, const nlohmann::json& summary) {
  std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  doc_["stages"][name] = {{"config_hash", config_hash}, {"config", config}, {"outputs", outputs},
                          {"summary", summary}, {"finished_at", when}};
  write_file_atomic(path_, doc_.dump(2) + "\n");
}

}  // namespace mh::io

#include "teachers/audio/prosody.h"

#include <fstream>
#include <sstream>

#include "io/csv_reader.h"

namespace mh::teachers::audio {

std::vector<ProsodyRule> load_prosody_table(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw io::InputError(path.string() + ": cannot open the prosody table");
  std::vector<ProsodyRule> table;
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(n);
    auto eq = line.find('=');
    if (eq == std::string::npos) throw io::InputError(where + ": expected `emotion = RATE PITCH VOLUME` (percent)");
    std::istringstream name(line.substr(0, eq)), values(line.substr(eq + 1));
    ProsodyRule r;
    std::string extra;
    if (!(name >> r.emotion) || !(values >> r.prosody.rate >> r.prosody.pitch >> r.prosody.volume) || (values >> extra))
      throw io::InputError(where + ": expected `emotion = RATE PITCH VOLUME` (three whole percentages)");
    for (int v : {r.prosody.rate, r.prosody.pitch, r.prosody.volume})
      if (v < 10 || v > 400) throw io::InputError(where + ": percentages must be between 10 and 400");
    table.push_back(r);
  }
  return table;
}

Prosody sentence_prosody(const std::vector<ProsodyRule>& table, const emotion::Lexicon& lexicon,
                         const std::vector<std::string>& words) {
  const auto& cats = lexicon.categories();
  std::vector<int> count(table.size(), 0);
  for (const auto& w : words) {
    uint32_t mask = lexicon.lookup(w, emotion::Fallback::affix);
    if (!mask) continue;
    for (size_t i = 0; i < table.size(); ++i) {
      auto it = std::find(cats.begin(), cats.end(), table[i].emotion);
      if (it != cats.end() && (mask >> (it - cats.begin())) & 1u) ++count[i];
    }
  }
  size_t best = table.size();
  for (size_t i = 0; i < table.size(); ++i)
    if (count[i] > 0 && (best == table.size() || count[i] > count[best])) best = i;
  return best == table.size() ? Prosody{} : table[best].prosody;
}

std::string prosody_ssml(const std::string& text, const Prosody& p) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '&': escaped += "&amp;"; break;
      case '"': escaped += "&quot;"; break;
      default: escaped += c;
    }
  }
  if (p.neutral()) return "<speak>" + escaped + "</speak>";
  return "<speak><prosody rate=\"" + std::to_string(p.rate) + "%\" pitch=\"" + std::to_string(p.pitch) +
         "%\" volume=\"" + std::to_string(p.volume) + "%\">" + escaped + "</prosody></speak>";
}

}  // namespace mh::teachers::audio

// Dataset readers: every supported source becomes a list of posts (id, text,
// label name, official split when the source has one). Rows that cannot be used
// are an error naming file, line and what was expected, or, with
// skip_bad_rows, are skipped and counted by reason; nothing is dropped silently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/csv_reader.h"

namespace mh::io {

enum class OfficialSplit : int8_t { none = -1, train = 0, test = 2 };

struct Post {
  std::string id;
  std::string text;
  int32_t label = -1;  // index into Dataset::label_names
  OfficialSplit split = OfficialSplit::none;
};

struct ReadOptions {
  bool skip_bad_rows = false;         // --on-bad-row=skip
  bool replace_invalid_utf8 = false;  // --invalid-utf8=replace
  // Generic CSV/JSONL and TwitSuicide: which columns hold what.
  std::string text_col = "text", label_col = "label", id_col;
  std::vector<std::string> labels;  // the label set, in order; empty: inferred (sorted)
  // DEPTWEET: the user's `tweet_id,text` file joined with the official IDs.
  std::filesystem::path text_file;
};

struct ReadSummary {
  int64_t rows = 0;                             // data rows seen
  std::map<std::string, int64_t> skipped;       // reason -> rows
  std::map<std::string, int64_t> adjusted;      // e.g. "emptypost placeholder stripped" -> rows
  std::vector<std::string> notes;               // things the user should know
};

struct Dataset {
  std::string name;
  std::vector<std::string> label_names;
  std::vector<Post> posts;
  ReadSummary summary;
};

// kind: sdcnl, idendep, deptweet, twitsuicide, csv, jsonl. `input` is the file
// or the folder that holds the dataset's files.
Dataset read_dataset(const std::string& kind, const std::filesystem::path& input, const ReadOptions& options);

const std::vector<std::string>& dataset_kinds();

}  // namespace mh::io

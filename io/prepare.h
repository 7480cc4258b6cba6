// The `prepare` stage: dataset -> preprocessing -> splits -> vocabulary ->
// WordPiece ids, written to RUN_DIR/data.h5 and RUN_DIR/vocab.txt, recorded in
// RUN_DIR/manifest.json. `inspect` reads them back into a report.
//
// data.h5 (every array has one row per post, in dataset order):
//   /ids         int32 [N, max_length]  [CLS] pieces [SEP], then [PAD]; truncated to max_length
//   /length      int32 [N]  ids used in the row (with [CLS] and [SEP])
//   /label       int32 [N]  index into the label_names attribute; -1 for transfer posts
//   /split       uint8 [N]  0 train, 1 validation, 2 test, 3 transfer (unlabeled, after the dataset's posts)
//   /post_id     string [N] the dataset's id for the post
//   /text        string [N] the preprocessed text (what the tokenizer read; the audio stage speaks it)
//   /word_count  int32 [N]  whitespace-separated words of the original text
//   /token_count int32 [N]  pieces before truncation, with [CLS] and [SEP]
//   attributes: label_names, dataset, vocab_sha256, max_length, tail_pieces, seed, lowercase
#pragma once

#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/datasets.h"
#include "io/splits.h"
#include "io/text_preprocess.h"

namespace mh::io {

struct PrepareConfig {
  std::string dataset;
  std::filesystem::path input, run_dir;
  std::filesystem::path vocab;  // a Hugging Face vocab.txt; empty: build one from the training split
  // Build the vocabulary from these unlabeled posts (one per line) instead of the
  // training split: the same files give every dataset the same vocabulary, so one
  // `pretrain` checkpoint serves them all.
  std::vector<std::filesystem::path> vocab_corpus;
  // Unlabeled posts (one per line) appended as split 3, the student's transfer set:
  // it matches its teachers on them too (student/distill_job.h). A post whose text
  // equals a labeled post's is dropped, so no test post is learnt from the teachers.
  std::vector<std::filesystem::path> transfer_corpus;
  int64_t transfer_posts = 0;  // draw this many of them (seeded by splits.seed); 0: all
  size_t vocab_size = 16000;
  int max_length = 128;
  // Of a post longer than max_length, keep the last tail_pieces pieces with
  // the first (see fit_pieces); 0: the first pieces only.
  int tail_pieces = 0;
  bool lowercase = true;
  bool dedupe = false;
  bool force = false;  // run even when the manifest says the stage is done
  SplitOptions splits;
  PreprocessOptions preprocess;
  ReadOptions read;
};

struct PrepareResult {
  bool skipped = false;  // up to date: nothing was done
  nlohmann::json summary;
};

PrepareResult prepare(const PrepareConfig& config);

// Counts per label and split, length quantiles (words and tokens), truncation
// rate at the stored max length, and what prepare recorded (skipped rows,
// duplicates).
void inspect(const std::filesystem::path& run_dir, std::ostream& out);

}  // namespace mh::io

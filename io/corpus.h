// Unlabeled corpus files: one post per line, as in ../shared/data/pretrain/*/posts.txt.
// `prepare --vocab-corpus` builds its vocabulary from them and `pretrain --corpus`
// trains on them; both read them here so they see the same posts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace mh::io {

// Calls `post` with each non-blank line of `file` (at most `max_posts`; 0: all),
// invalid UTF-8 replaced by U+FFFD: these are scraped texts, and one bad byte
// should not stop hours of pretraining. Returns the number of posts. A missing or
// unreadable file is an InputError naming it.
int64_t read_corpus(const std::filesystem::path& file, int64_t max_posts, const std::function<void(std::string&&)>& post);

}  // namespace mh::io

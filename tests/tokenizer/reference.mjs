// Independent reference for 3mhealth's WordPiece tokenizer: Hugging Face
// tokenizers.js (a pure-JavaScript port of the Hugging Face tokenizers) loaded
// with a tokenizer.json for the same vocab.txt, configured as BertTokenizer
// with do_lower_case=True. Prints, for every string of cases.json, its ids.
//   node reference.mjs vocab.txt cases.json > expected.json
import { readFileSync } from "node:fs";
import { Tokenizer } from "@huggingface/tokenizers";

const [vocabPath, casesPath] = process.argv.slice(2);
const tokens = readFileSync(vocabPath, "utf8").split("\n").filter((t) => t.length > 0);
const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
const special = new Set(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]);
// Added tokens: the special tokens and the preprocessing markers, never split.
const added = tokens
  .filter((t) => special.has(t) || /^_[A-Z_]+_$/.test(t))
  .map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false,
                 normalized: false, special: special.has(t) }));

const tokenizerJson = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: added,
  normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: null,
  decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
};
const tokenizer = new Tokenizer(tokenizerJson, {});
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
const out = cases.map((text) => ({ text, ids: tokenizer.encode(text, { add_special_tokens: false }).ids }));
process.stdout.write(JSON.stringify(out, null, 1) + "\n");

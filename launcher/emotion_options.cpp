#include "launcher/emotion_options.h"

#include "launcher/train_options.h"

namespace mh::launcher {

void add_emotion_options(po::options_description& d) {
  d.add_options()
    ("lexicon", po::value<std::string>(), "emotion: word-emotion lexicon, NRC word-level file (word<TAB>emotion<TAB>0|1) or CSV word,emotion[,weight]")
    ("lexicon-threshold", po::value<double>()->default_value(0.5, "0.5"), "emotion: CSV weight at or above which a word has the emotion")
    ("lexicon-fallback", po::value<std::string>()->default_value("affix"), "emotion: none, or affix (retry unknown words without -s/-ed/-ing/-ly/-ness...)")
    ("wordnet", po::value<std::string>(), "emotion: grow the lexicon with WordNet synonyms from this database directory (Debian wordnet-base: /usr/share/wordnet)")
    ("wordnet-senses", po::value<int>()->default_value(1), "emotion: with --wordnet, synonyms from a word's N most frequent senses")
    ("min-word-freq", po::value<int64_t>()->default_value(5), "emotion: pieces rarer than this in the training split are not graph nodes")
    ("pmi-window", po::value<int64_t>()->default_value(20), "emotion: sliding window of the word-word PMI")
    ("jaccard-threshold", po::value<double>()->default_value(0.2, "0.2"), "emotion: document-document edges above this Jaccard similarity")
    ("gcn-hidden", po::value<int64_t>()->default_value(200), "emotion: GCN hidden size")
    ("emotion-dim", po::value<int64_t>()->default_value(768), "emotion: size of the emotion embeddings (GCN output)")
    ("gcn-epochs", po::value<int>()->default_value(200), "emotion: most GCN epochs (full batch)")
    ("gcn-lr", po::value<double>()->default_value(0.02, "0.02"), "emotion: GCN learning rate (Adam)")
    ("gcn-dropout", po::value<double>()->default_value(0.5, "0.5"), "emotion: GCN dropout")
    ("gcn-patience", po::value<int>()->default_value(10), "emotion: GCN early stopping on held-out documents' BCE")
    ("pooling", po::value<std::string>()->default_value("flatten"), "emotion: flatten (max_length x dim, as the paper) or meanmax")
    ("mlp-hidden", po::value<int64_t>()->default_value(256), "emotion: MLP hidden size")
    ("mlp-layers", po::value<int64_t>()->default_value(1), "emotion: MLP hidden layers")
    ("mlp-dropout", po::value<double>()->default_value(0.2, "0.2"), "emotion: MLP dropout");
}

// The MLP over the emotion embeddings barely fits with the text model's lr and patience.
TrainRecipe emotion_train_recipe() { return {50, 32, 3e-4, 10, "linear"}; }

teachers::emotion::EmotionTeacherOptions read_emotion_options(const po::variables_map& vm) {
  teachers::emotion::EmotionTeacherOptions o;
  if (!vm.count("lexicon")) throw UsageError("--modality emotion needs --lexicon FILE (e.g. the NRC Emotion Lexicon, see README)");
  auto& e = o.embeddings;
  e.lexicon = vm["lexicon"].as<std::string>();
  e.lexicon_threshold = vm["lexicon-threshold"].as<double>();
  try {
    e.fallback = teachers::emotion::parse_fallback(vm["lexicon-fallback"].as<std::string>());
  } catch (const std::invalid_argument& ex) {
    throw UsageError(ex.what());
  }
  if (vm.count("wordnet")) e.wordnet = vm["wordnet"].as<std::string>();
  e.wordnet_senses = vm["wordnet-senses"].as<int>();
  if (e.wordnet_senses < 1) throw UsageError("--wordnet-senses must be positive");
  e.graph.min_word_freq = vm["min-word-freq"].as<int64_t>();
  e.graph.window = vm["pmi-window"].as<int64_t>();
  e.graph.jaccard_threshold = vm["jaccard-threshold"].as<double>();
  e.gcn.hidden = vm["gcn-hidden"].as<int64_t>();
  e.gcn.out = vm["emotion-dim"].as<int64_t>();
  e.gcn.epochs = vm["gcn-epochs"].as<int>();
  e.gcn.lr = vm["gcn-lr"].as<double>();
  e.gcn.dropout = vm["gcn-dropout"].as<double>();
  e.gcn.patience = vm["gcn-patience"].as<int>();
  if (e.graph.min_word_freq < 1 || e.graph.window < 2 || e.gcn.hidden < 1 || e.gcn.out < 1 || e.gcn.epochs < 1)
    throw UsageError("--min-word-freq, --gcn-hidden, --emotion-dim and --gcn-epochs must be positive, --pmi-window >= 2");
  o.mlp.pooling = vm["pooling"].as<std::string>();
  if (o.mlp.pooling != "flatten" && o.mlp.pooling != "meanmax") throw UsageError("--pooling: expected flatten or meanmax");
  o.mlp.hidden = vm["mlp-hidden"].as<int64_t>();
  o.mlp.layers = vm["mlp-layers"].as<int64_t>();
  o.mlp.dropout = vm["mlp-dropout"].as<double>();

  o.train = read_recipe_train_options(vm, "emotion", emotion_train_recipe());
  e.gcn.seed = o.train.seed;
  return o;
}

}  // namespace mh::launcher

#include "launcher/train_options.h"

#include <sstream>

namespace mh::launcher {

void add_model_options(po::options_description& d, bool classifier) {
  d.add_options()
    ("hidden", po::value<int64_t>()->default_value(256), "hidden size (from scratch)")
    ("layers", po::value<int64_t>()->default_value(4), "transformer layers (from scratch)")
    ("heads", po::value<int64_t>()->default_value(4), "attention heads (from scratch)")
    ("intermediate", po::value<int64_t>()->default_value(1024), "feed-forward size (from scratch)")
    ("dropout", po::value<double>()->default_value(0.1, "0.1"), "dropout of hidden states and attention")
    ("activation", po::value<std::string>()->default_value("gelu"), "gelu or relu (from scratch)")
    ("init-from", po::value<std::string>(), "Hugging Face checkpoint directory (config.json, model.safetensors, vocab.txt) to start from")
    ("keep-layers", po::value<int64_t>()->default_value(0), "with --init-from: keep only the first N layers (0: all)");
  if (!classifier) return;
  d.add_options()
    ("classifier-pooling", po::value<std::string>()->default_value("cls"), "what the classifier reads: cls (the first token, as BERT) or mean (masked mean of the tokens); also with --init-from")
    ("token-mask", po::value<double>()->default_value(0.0, "0"), "training batches: replace each piece of a post by [MASK] with this probability (word-dropout augmentation; 0: off)")
    ("freeze-embeddings", "keep the word embeddings as initialised (e.g. --init-from a pretrain --objective skipgram output)");
}

void add_train_options(po::options_description& d) {
  d.add_options()
    ("epochs", po::value<int>()->default_value(10), "most epochs")
    ("batch-size", po::value<int64_t>()->default_value(32), "posts per rank and step")
    ("lr", po::value<double>()->default_value(1e-4, "1e-4"), "peak learning rate (AdamW)")
    ("weight-decay", po::value<double>()->default_value(0.01, "0.01"), "AdamW weight decay (not on biases and LayerNorm)")
    ("warmup", po::value<double>()->default_value(0.1, "0.1"), "share of the steps with linear warm-up; linear decay after")
    ("clip-norm", po::value<double>()->default_value(1.0, "1.0"), "gradient norm clipping (0: off)")
    ("ema-decay", po::value<double>()->default_value(0.0, "0"), "validate, keep and save an exponential moving average of the weights with this decay per step (e.g. 0.99); 0: the weights themselves")
    ("schedule", po::value<std::string>()->default_value("linear"), "after warm-up: linear (decay to 0) or plateau (x --plateau-factor after --plateau-patience epochs without a better validation macro-F1)")
    ("plateau-factor", po::value<double>()->default_value(0.5, "0.5"), "plateau schedule: learning-rate factor")
    ("plateau-patience", po::value<int>()->default_value(1), "plateau schedule: epochs without improvement before each reduction")
    ("patience", po::value<int>()->default_value(3), "early stopping: epochs without a better validation macro-F1")
    ("seed", po::value<uint64_t>()->default_value(0), "seed of initialisation, order and dropout")
    ("bucket-window", po::value<int64_t>()->default_value(50), "length bucketing window in global batches (0: off)")
    ("overlap", "overlap gradient communication with backward")
    ("resume", "continue from the stage's checkpoint (written at epoch ends and on SIGTERM)")
    ("backend", po::value<std::string>()->default_value("auto"), "communicator: auto, mpi or nccl")
    ("force", "train even when manifest.json says this configuration is done");
}

teachers::text::TextModelOptions read_model_options(const po::variables_map& vm) {
  teachers::text::TextModelOptions m;
  m.hidden = vm["hidden"].as<int64_t>();
  m.layers = vm["layers"].as<int64_t>();
  m.heads = vm["heads"].as<int64_t>();
  m.intermediate = vm["intermediate"].as<int64_t>();
  m.dropout = vm["dropout"].as<double>();
  m.activation = vm["activation"].as<std::string>();
  if (m.activation != "gelu" && m.activation != "relu") throw UsageError("--activation: expected gelu or relu");
  if (vm.count("classifier-pooling")) m.pooling = vm["classifier-pooling"].as<std::string>();
  if (m.pooling != "cls" && m.pooling != "mean") throw UsageError("--classifier-pooling: expected cls or mean");
  if (vm.count("token-mask")) m.token_mask = vm["token-mask"].as<double>();
  if (m.token_mask < 0 || m.token_mask >= 1) throw UsageError("--token-mask: expected a probability in [0, 1)");
  m.freeze_embeddings = vm.count("freeze-embeddings") > 0;
  if (vm.count("init-from")) m.init_from = vm["init-from"].as<std::string>();
  m.keep_layers = vm["keep-layers"].as<int64_t>();
  return m;
}

train::TrainOptions read_train_options(const po::variables_map& vm) {
  train::TrainOptions t;
  t.epochs = vm["epochs"].as<int>();
  t.batch_size = vm["batch-size"].as<int64_t>();
  t.lr = vm["lr"].as<double>();
  t.weight_decay = vm["weight-decay"].as<double>();
  t.warmup_fraction = vm["warmup"].as<double>();
  t.clip_norm = vm["clip-norm"].as<double>();
  t.ema_decay = vm["ema-decay"].as<double>();
  if (t.ema_decay < 0 || t.ema_decay >= 1) throw UsageError("--ema-decay: expected a decay in [0, 1)");
  t.schedule = vm["schedule"].as<std::string>();
  t.plateau_factor = vm["plateau-factor"].as<double>();
  t.plateau_patience = vm["plateau-patience"].as<int>();
  if (t.schedule != "linear" && t.schedule != "plateau") throw UsageError("--schedule: expected linear or plateau");
  if (t.plateau_factor <= 0 || t.plateau_factor > 1 || t.plateau_patience < 1)
    throw UsageError("--plateau-factor must be in (0, 1] and --plateau-patience positive");
  t.patience = vm["patience"].as<int>();
  t.seed = vm["seed"].as<uint64_t>();
  t.bucket_window = vm["bucket-window"].as<int64_t>();
  t.overlap = vm.count("overlap") > 0;
  t.resume = vm.count("resume") > 0;
  if (t.epochs <= 0 || t.batch_size <= 0 || t.lr <= 0) throw UsageError("--epochs, --batch-size and --lr must be positive");
  if (t.warmup_fraction < 0 || t.warmup_fraction >= 1) throw UsageError("--warmup must be in [0, 1)");
  return t;
}

void add_recipe_train_options(po::options_description& d, const std::string& modality, const TrainRecipe& r) {
  std::ostringstream lr;
  lr << r.lr;
  d.add_options()
    ((modality + "-epochs").c_str(), po::value<int>()->default_value(r.epochs), (modality + " teacher: most epochs").c_str())
    ((modality + "-batch-size").c_str(), po::value<int64_t>()->default_value(r.batch_size), (modality + " teacher: posts per rank and step").c_str())
    ((modality + "-lr").c_str(), po::value<double>()->default_value(r.lr, lr.str()), (modality + " teacher: peak learning rate").c_str())
    ((modality + "-patience").c_str(), po::value<int>()->default_value(r.patience), (modality + " teacher: early stopping patience").c_str());
}

train::TrainOptions read_recipe_train_options(const po::variables_map& vm, const std::string& modality,
                                              const TrainRecipe& r) {
  auto t = read_train_options(vm);
  if (vm.count(modality + "-epochs")) {  // `run`
    t.epochs = vm[modality + "-epochs"].as<int>();
    t.batch_size = vm[modality + "-batch-size"].as<int64_t>();
    t.lr = vm[modality + "-lr"].as<double>();
    t.patience = vm[modality + "-patience"].as<int>();
    t.schedule = r.schedule;
    if (t.epochs <= 0 || t.batch_size <= 0 || t.lr <= 0)
      throw UsageError("--" + modality + "-epochs, --" + modality + "-batch-size and --" + modality + "-lr must be positive");
    return t;
  }
  if (vm["lr"].defaulted()) t.lr = r.lr;
  if (vm["patience"].defaulted()) t.patience = r.patience;
  if (vm["epochs"].defaulted()) t.epochs = r.epochs;
  if (vm["batch-size"].defaulted()) t.batch_size = r.batch_size;
  if (vm["schedule"].defaulted()) t.schedule = r.schedule;
  return t;
}

void add_text_teacher_options(po::options_description& d) {
  d.add_options()("text-members", po::value<int>()->default_value(1),
                  "text teacher: a seed ensemble of N models (member k seeded --seed + 1000 k; soft targets and metrics "
                  "of their mean probability); 1: one model")(
      "cross-fit", po::value<int>()->default_value(0),
      "text teacher: K >= 2 more models, each trained without one of K folds of the training posts, give those "
      "posts out-of-fold soft targets for the students (teachers/text/fold-<k>/); 0: the teacher's own. The bow "
      "teacher: the same folds for its training posts, 3 unless given");
}

teachers::text::TextTeacherOptions read_text_teacher_options(const po::variables_map& vm) {
  teachers::text::TextTeacherOptions o;
  o.model = read_model_options(vm);
  o.train = read_train_options(vm);
  o.members = vm["text-members"].as<int>();
  if (o.members < 1) throw UsageError("--text-members must be at least 1");
  o.cross_fit = vm["cross-fit"].as<int>();
  if (o.cross_fit == 1 || o.cross_fit < 0) throw UsageError("--cross-fit must be 0 (off) or at least 2");
  o.force = vm.count("force") > 0;
  return o;
}

dist::Backend read_backend(const po::variables_map& vm) {
  try {
    return dist::parse_backend(vm["backend"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

}  // namespace mh::launcher

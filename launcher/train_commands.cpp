// `3mhealth teacher` and `3mhealth distill`: MPI jobs, data parallel over all ranks.
#include "launcher/audio_teacher_options.h"
#include "launcher/bow_options.h"
#include "launcher/emotion_options.h"
#include "launcher/subcommands.h"
#include "launcher/train_options.h"
#include "student/distill_job.h"
#include "teachers/audio/audio_teacher.h"
#include "teachers/bow/bow_teacher.h"
#include "teachers/emotion/emotion_teacher.h"
#include "teachers/text/pretrain.h"
#include "teachers/text/text_teacher.h"
#include "train/stop_signal.h"

namespace mh::launcher {

Subcommand teacher_subcommand() {
  Subcommand s;
  s.name = "teacher";
  s.summary = "train a teacher on RUN_DIR and write its soft targets";
  s.usage = "mpirun -np N 3mhealth teacher --modality text|emotion|audio|bow RUN_DIR [--lexicon FILE] [options]";
  s.options = [](po::options_description& d) {
    d.add_options()("run-dir", po::value<std::string>()->required(), "run directory (after prepare)")(
        "modality", po::value<std::string>()->required(), "text, emotion, audio or bow (TF-IDF + logistic regression, seconds; its training soft targets out of fold, --cross-fit 3, unless given); emotion uses --lr 3e-4, --patience 10, --epochs 50 and audio 2.5e-4, 5, 30 and --schedule plateau unless given")(
        "temperature", po::value<double>()->default_value(1.0, "1.0"), "temperature of the stored probabilities");
    add_model_options(d);
    add_train_options(d);
    add_text_teacher_options(d);
    add_emotion_options(d);
    add_audio_teacher_options(d);
    add_bow_options(d);
  };
  s.positional = [](po::positional_options_description& p) { p.add("run-dir", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process*) {
    auto modality = vm["modality"].as<std::string>();
    if (modality == "audio") {
      teachers::audio::AudioTeacherOptions o = read_audio_teacher_options(vm);
      o.temperature = vm["temperature"].as<double>();
      o.force = vm.count("force") > 0;
      auto comm = dist::make_communicator(read_backend(vm));
      train::install_stop_handlers();
      return teachers::audio::run_audio_teacher(vm["run-dir"].as<std::string>(), o, *comm);
    }
    if (modality == "emotion") {
      teachers::emotion::EmotionTeacherOptions o = read_emotion_options(vm);
      o.temperature = vm["temperature"].as<double>();
      o.force = vm.count("force") > 0;
      auto comm = dist::make_communicator(read_backend(vm));
      train::install_stop_handlers();
      return teachers::emotion::run_emotion_teacher(vm["run-dir"].as<std::string>(), o, *comm);
    }
    if (modality == "bow") {
      auto o = read_bow_options(vm);
      o.temperature = vm["temperature"].as<double>();
      auto comm = dist::make_communicator(read_backend(vm));
      return teachers::bow::run_bow_teacher(vm["run-dir"].as<std::string>(), o, *comm);
    }
    if (modality != "text") throw UsageError("--modality: expected text, emotion, audio or bow");
    auto o = read_text_teacher_options(vm);
    o.temperature = vm["temperature"].as<double>();
    auto comm = dist::make_communicator(read_backend(vm));
    train::install_stop_handlers();
    return teachers::text::run_text_teacher(vm["run-dir"].as<std::string>(), o, *comm);
  };
  return s;
}

Subcommand distill_subcommand() {
  Subcommand s;
  s.name = "distill";
  s.summary = "train the text-only student from the teachers' soft targets";
  s.usage = "mpirun -np N 3mhealth distill RUN_DIR --teachers text[,emotion][,audio][,bow]|none [options]";
  s.options = [](po::options_description& d) {
    d.add_options()("run-dir", po::value<std::string>()->required(), "run directory (after the teachers)")(
        "teachers", po::value<std::string>()->default_value("text"), "comma-separated teachers, or none for the text-only baseline")(
        "alpha", po::value<double>()->default_value(1.0, "1.0"), "weight of the cross-entropy with the labels")(
        "beta", po::value<double>()->default_value(1.0, "1.0"), "weight of the distillation term")(
        "temperature", po::value<double>()->default_value(1.0, "1.0"), "distillation temperature T")(
        "kd-reduction", po::value<std::string>()->default_value("batchmean"),
        "batchmean: the true KL per sample; mean: KL / classes, as the paper's code (nn.KLDivLoss(reduction='mean'))")(
        "no-transfer", "leave out the run's transfer posts (prepare --transfer-corpus): labeled posts only");
    add_model_options(d);
    add_train_options(d);
  };
  s.positional = [](po::positional_options_description& p) { p.add("run-dir", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process*) {
    student::DistillOptions o;
    try {
      o.teachers = student::parse_teachers(vm["teachers"].as<std::string>());
      o.kd.reduction = student::parse_kd_reduction(vm["kd-reduction"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
    o.kd.alpha = vm["alpha"].as<double>();
    o.kd.beta = vm["beta"].as<double>();
    o.kd.temperature = vm["temperature"].as<double>();
    if (o.kd.temperature <= 0) throw UsageError("--temperature must be positive");
    o.model = read_model_options(vm);
    o.train = read_train_options(vm);
    o.force = vm.count("force") > 0;
    o.transfer = !vm.count("no-transfer");
    auto comm = dist::make_communicator(read_backend(vm));
    train::install_stop_handlers();
    return student::run_distill(vm["run-dir"].as<std::string>(), o, *comm);
  };
  return s;
}

Subcommand pretrain_subcommand() {
  Subcommand s;
  s.name = "pretrain";
  s.summary = "in-domain pretraining of the text model: masked LM, or skip-gram word vectors (training split + corpus files)";
  s.usage = "mpirun -np N 3mhealth pretrain RUN_DIR [--corpus posts.txt ...] [options]";
  s.options = [](po::options_description& d) {
    d.add_options()("run-dir", po::value<std::string>()->required(), "run directory (after prepare)")(
        "corpus", po::value<std::vector<std::string>>()->composing(), "extra unlabeled posts, one per line (repeatable)")(
        "max-corpus-posts", po::value<int64_t>()->default_value(0), "posts read from each corpus file (0: all)")(
        "no-train-split", "leave out the run's training split")(
        "mask-prob", po::value<double>()->default_value(0.15, "0.15"), "mlm: share of pieces chosen for prediction")(
        "objective", po::value<std::string>()->default_value("mlm"),
        "mlm (masked-LM pretraining of the whole encoder) or skipgram (fastText skip-gram vectors of the pieces as the "
        "word embeddings, the rest fresh; minutes instead of hours; run it as one process or with mpirun --bind-to none: "
        "rank 0 trains with --threads)")(
        "threads", po::value<int>()->default_value(0), "skipgram: fastText threads (0: the CPUs this process may use)")(
        "sg-window", po::value<int>()->default_value(5), "skipgram: context pieces on each side")(
        "sg-negatives", po::value<int>()->default_value(5), "skipgram: negative samples per context piece")(
        "sg-lr", po::value<double>()->default_value(0.05, "0.05"), "skipgram: fastText learning rate (--epochs passes)");
    add_model_options(d, false);
    add_train_options(d);
  };
  s.positional = [](po::positional_options_description& p) { p.add("run-dir", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process*) {
    teachers::text::PretrainOptions o;
    o.model = read_model_options(vm);
    if (!o.model.init_from.empty()) throw UsageError("pretrain starts from scratch; --init-from is for teacher and distill");
    o.train = read_train_options(vm);
    if (vm.count("corpus"))
      for (const auto& f : vm["corpus"].as<std::vector<std::string>>()) o.corpus.push_back(f);
    o.max_corpus_posts = vm["max-corpus-posts"].as<int64_t>();
    o.include_train_split = !vm.count("no-train-split");
    o.mask_prob = vm["mask-prob"].as<double>();
    if (o.mask_prob <= 0 || o.mask_prob >= 1) throw UsageError("--mask-prob must be in (0, 1)");
    o.objective = vm["objective"].as<std::string>();
    if (o.objective != "mlm" && o.objective != "skipgram") throw UsageError("--objective: expected mlm or skipgram");
    auto& wv = o.word_vectors;
    wv.epochs = o.train.epochs;
    wv.window = vm["sg-window"].as<int>();
    wv.negatives = vm["sg-negatives"].as<int>();
    wv.lr = vm["sg-lr"].as<double>();
    wv.seed = static_cast<int>(o.train.seed);
    wv.threads = vm["threads"].as<int>() > 0 ? vm["threads"].as<int>() : teachers::text::usable_cpus();
    if (wv.epochs < 1 || wv.window < 1 || wv.negatives < 1 || wv.lr <= 0)
      throw UsageError("--epochs, --sg-window, --sg-negatives and --sg-lr must be positive");
    o.force = vm.count("force") > 0;
    auto comm = dist::make_communicator(read_backend(vm));
    train::install_stop_handlers();
    return teachers::text::run_pretrain(vm["run-dir"].as<std::string>(), o, *comm);
  };
  return s;
}

}  // namespace mh::launcher

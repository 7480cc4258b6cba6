#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "launcher/audio_teacher_options.h"
#include "launcher/cli.h"
#include "launcher/ini.h"
#include "launcher/subcommands.h"
#include "launcher/train_options.h"

using namespace mh::launcher;

namespace {

Subcommand fake() {
  Subcommand s;
  s.name = "train";
  s.usage = "3mhealth train";
  s.options = [](po::options_description& d) {
    d.add_options()("epochs", po::value<int>()->default_value(3), "epochs")(
        "name", po::value<std::string>()->default_value("x"), "name")("verbose", "a switch");
  };
  return s;
}

// Every test rewrites the same file; it is removed when the program ends.
struct TempIni {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("mh_cli_test_" + std::to_string(getpid()) + ".ini");
  ~TempIni() { std::filesystem::remove(path); }
};

std::string write_ini(const std::string& text) {
  static TempIni file;
  std::ofstream(file.path) << text;
  return file.path.string();
}

std::string usage_error(const std::vector<std::string>& args, const std::string& ini) {
  try {
    parse_subcommand(fake(), args, ini);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Cli, ConfigFileSuppliesValuesAndTheCommandLineOverridesThem) {
  auto ini = write_ini("# comment\nname = top\n[train]\nepochs = 7\nverbose = true\n[selfcheck]\nbackend = mpi\n");
  auto vm = parse_subcommand(fake(), {}, ini);
  EXPECT_EQ(vm["epochs"].as<int>(), 7);
  EXPECT_EQ(vm["name"].as<std::string>(), "top");
  EXPECT_TRUE(vm.count("verbose"));

  vm = parse_subcommand(fake(), {"--epochs", "9"}, ini);
  EXPECT_EQ(vm["epochs"].as<int>(), 9);
  EXPECT_EQ(vm["name"].as<std::string>(), "top");
}

TEST(Cli, ConfigAfterTheSubcommandIsHonoured) {
  auto ini = write_ini("[train]\nepochs = 5\n");
  auto vm = parse_subcommand(fake(), {"--config", ini}, "");
  EXPECT_EQ(vm["epochs"].as<int>(), 5);
}

TEST(Cli, DefaultsWithoutConfig) {
  auto vm = parse_subcommand(fake(), {}, "");
  EXPECT_EQ(vm["epochs"].as<int>(), 3);
  EXPECT_FALSE(vm.count("verbose"));
}

TEST(Cli, ErrorsNameFileLineAndWhatWasExpected) {
  auto ini = write_ini("[train]\nepochs = 5\nepohcs = 6\n");
  EXPECT_EQ(usage_error({}, ini), ini + ":3: `train` has no option 'epohcs'");

  ini = write_ini("[train]\nepochs = many\n");
  auto e = usage_error({}, ini);
  EXPECT_EQ(e.rfind(ini + ":2: ", 0), 0u) << e;
  EXPECT_NE(e.find("epochs"), std::string::npos) << e;

  ini = write_ini("epochs\n");
  EXPECT_EQ(usage_error({}, ini), ini + ":1: expected 'key = value', a [section] or a comment");

  ini = write_ini("[nosuch]\nx = 1\n");
  EXPECT_EQ(usage_error({}, ini), ini + ":1: unknown section [nosuch] (expected a subcommand name)");

  ini = write_ini("[train]\nverbose = maybe\n");
  EXPECT_EQ(usage_error({}, ini), ini + ":2: 'verbose' is a switch: expected true or false");

  EXPECT_EQ(usage_error({}, "/nonexistent/x.ini"), "/nonexistent/x.ini: cannot open config file");
  EXPECT_NE(usage_error({"--bogus"}, "").find("bogus"), std::string::npos);
}

TEST(Cli, ListsSplitAtCommasWithBlanksAndEmptyItemsDropped) {
  EXPECT_EQ(split_list("none, text+audio ,\t,text"), (std::vector<std::string>{"none", "text+audio", "text"}));
  EXPECT_EQ(split_list("0,1,2"), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(split_list(" , "), std::vector<std::string>{});
  EXPECT_EQ(split_list("a;b ; c", ';'), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Cli, RunCliExitCodes) {
  const char* help[] = {"3mhealth", "--help"};
  EXPECT_EQ(run_cli(2, const_cast<char**>(help)), 0);
  const char* bad[] = {"3mhealth", "nosuch"};
  EXPECT_EQ(run_cli(2, const_cast<char**>(bad)), 2);
  const char* none[] = {"3mhealth"};
  EXPECT_EQ(run_cli(1, const_cast<char**>(none)), 2);
  const char* badopt[] = {"3mhealth", "selfcheck", "--what"};
  EXPECT_EQ(run_cli(3, const_cast<char**>(badopt)), 2);
  const char* badglobal[] = {"3mhealth", "--frob", "selfcheck"};
  EXPECT_EQ(run_cli(3, const_cast<char**>(badglobal)), 2);
}

// `run` trains every model from one command line: the shared --lr/--epochs
// configure the text models only; the audio teacher takes --audio-* or its recipe.
TEST(Cli, RunGivesEachTeacherItsOwnTrainingOptions) {
  const Subcommand run = run_subcommand();
  auto vm = parse_subcommand(run, {"out", "--dataset", "csv", "--input", "x.csv", "--lr", "2e-4", "--epochs", "10",
                                   "--audio-epochs", "15"}, "");
  auto audio = read_audio_teacher_options(vm).train;
  EXPECT_EQ(audio.epochs, 15);
  EXPECT_DOUBLE_EQ(audio.lr, 2.5e-4);  // the recipe's, not the text model's 2e-4
  EXPECT_EQ(audio.schedule, "plateau");
  EXPECT_DOUBLE_EQ(read_train_options(vm).lr, 2e-4);
  // `teacher --modality audio`: the shared options where given, else the recipe.
  const Subcommand teacher = teacher_subcommand();
  vm = parse_subcommand(teacher, {"out", "--modality", "audio", "--lr", "1e-3"}, "");
  audio = read_audio_teacher_options(vm).train;
  EXPECT_DOUBLE_EQ(audio.lr, 1e-3);
  EXPECT_EQ(audio.epochs, 30);
  EXPECT_EQ(audio.patience, 5);
}

#include "launcher/report_plots.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "io/atomic_file.h"
#include "log/log.h"

namespace mh::launcher {
namespace {

std::string quoted(const std::string& s) {  // a gnuplot string literal
  std::string q = "\"";
  for (char c : s) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return q + "\"";
}

void draw(const std::filesystem::path& png, const std::string& data, const std::string& script) {
  auto dat = png, gp = png;
  dat.replace_extension(".dat");
  gp.replace_extension(".gp");
  io::write_file_atomic(dat, data);
  io::write_file_atomic(gp, "set terminal pngcairo size 960,540 font \"sans,11\"\nset output " + quoted(png.string()) +
                                "\ndatafile = " + quoted(dat.string()) + "\n" + script);
  const std::string command = "gnuplot " + std::string("'") + gp.string() + "' 2>&1";
  if (std::system("command -v gnuplot > /dev/null 2>&1") != 0) {
    log::warn("report: gnuplot not found (Debian: gnuplot-nox); wrote ", gp.string(), " to draw ", png.filename().string());
    return;
  }
  if (std::system(command.c_str()) != 0) throw std::runtime_error("report: gnuplot failed on " + gp.string());
  log::info("report: ", png.string());
}

}  // namespace

void plot_bars(const std::filesystem::path& png, const std::string& title, const std::vector<PlotBar>& bars) {
  std::ostringstream data;
  for (const auto& b : bars) data << quoted(b.name) << " " << b.value << " " << b.error << "\n";
  draw(png, data.str(),
       "set title " + quoted(title) +
           "\nset style fill solid 0.6 border -1\nset boxwidth 0.7\nset style data histogram\n"
           "set style histogram errorbars gap 1 lw 1\nset ylabel \"macro-F1 (%)\"\nset yrange [0:100]\n"
           "set grid ytics\nset xtics rotate by -30 nomirror\nset key off\n"
           "plot datafile using 2:3:xticlabels(1) linecolor rgb \"#4c72b0\"\n");
}

void plot_series(const std::filesystem::path& png, const std::string& title, const std::string& xlabel,
                 const std::vector<std::string>& xlabels, const std::vector<PlotSeries>& series) {
  std::ostringstream data;
  data << "bucket";
  for (const auto& s : series) data << " " << quoted(s.name);
  data << "\n";
  for (size_t i = 0; i < xlabels.size(); ++i) {
    data << quoted(xlabels[i]);
    for (const auto& s : series) {
      double v = i < s.values.size() ? s.values[i] : std::nan("");
      data << " " << (std::isnan(v) ? std::string("NaN") : std::to_string(v));
    }
    data << "\n";
  }
  draw(png, data.str(),
       "set title " + quoted(title) + "\nset xlabel " + quoted(xlabel) +
           "\nset ylabel \"macro-F1 (%)\"\nset yrange [0:100]\nset grid ytics\nset key outside right\n"
           "set datafile missing \"NaN\"\n"
           "plot for [i=2:" + std::to_string(series.size() + 1) +
           "] datafile using 0:i:xticlabels(1) with linespoints lw 2 pt 7 title columnheader(i)\n");
}

}  // namespace mh::launcher

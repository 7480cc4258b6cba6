// PNG charts of `report`, drawn by gnuplot (Debian's gnuplot-nox): each chart's
// data and script are written beside the PNG (NAME.dat, NAME.gp), so a user
// can restyle and redraw it; without gnuplot they are all that is written,
// with a warning.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mh::launcher {

struct PlotBar {
  std::string name;
  double value, error;
};

struct PlotSeries {
  std::string name;
  std::vector<double> values;  // one per x label; NaN: no point
};

// A bar per entry with its error bar.
void plot_bars(const std::filesystem::path& png, const std::string& title, const std::vector<PlotBar>& bars);
// Lines with points over categorical x labels.
void plot_series(const std::filesystem::path& png, const std::string& title, const std::string& xlabel,
                 const std::vector<std::string>& xlabels, const std::vector<PlotSeries>& series);

}  // namespace mh::launcher

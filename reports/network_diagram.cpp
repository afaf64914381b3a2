// network_diagram.cpp - the network of a run drawn as a workflow of layer tasks.
#include "reports/svg_charts.h"

#include "reports/html.h"
#include "reports/svg_frame.h"

namespace dlaaw::reports {

std::string network_diagram(const nlohmann::json& network) {
  if (!network.is_array() || network.empty()) return "<p class=\"muted\">no network</p>";
  const int box_w = 96, box_h = 46, gap = 46;
  const int w = 20 + static_cast<int>(network.size()) * (box_w + gap) + 40, h = 110;
  std::string s = svg_open(w, h, "network");
  int width = network[0].value("in", 0);
  s += "<text x=\"8\" y=\"30\">in " + std::to_string(width) + "</text>";
  for (std::size_t i = 0; i < network.size(); ++i) {
    const auto& layer = network[i];
    const std::string type = layer.value("type", std::string("?"));
    const int x = 30 + static_cast<int>(i) * (box_w + gap);
    const int in = type == "Linear" ? layer.value("in", 0) : width;
    const int out = type == "Linear" ? layer.value("out", 0) : width;
    width = out;
    const std::string fill = type == "Linear" ? "#e3f2fd" : "#f1f8e9";
    s += "<g class=\"task\" data-type=\"" + escape(type) + "\"><rect x=\"" + std::to_string(x) +
         "\" y=\"30\" rx=\"6\" width=\"" + std::to_string(box_w) + "\" height=\"" +
         std::to_string(box_h) + "\" fill=\"" + fill + "\" stroke=\"#455a64\"/><text x=\"" +
         std::to_string(x + box_w / 2) +
         "\" y=\"50\" text-anchor=\"middle\" "
         "font-weight=\"bold\">" +
         escape(type) + "</text><text x=\"" + std::to_string(x + box_w / 2) +
         "\" y=\"66\" text-anchor=\"middle\">" +
         (type == "Linear" ? std::to_string(in) + " → " + std::to_string(out)
                           : "task " + std::to_string(i)) +
         "</text>";
    // Ports: input on the left, output on the right, labelled with the width that flows.
    s += "<circle class=\"port in\" cx=\"" + std::to_string(x) +
         "\" cy=\"53\" r=\"4\" fill=\"#455a64\"/>"
         "<circle class=\"port out\" cx=\"" +
         std::to_string(x + box_w) +
         "\" cy=\"53\" r=\"4\" fill=\"#455a64\"/>"
         "<text class=\"port-label\" x=\"" +
         std::to_string(x + box_w + 4) + "\" y=\"46\">" + std::to_string(out) + "</text></g>";
    if (i + 1 < network.size()) {
      s += "<line x1=\"" + std::to_string(x + box_w + 4) + "\" y1=\"53\" x2=\"" +
           std::to_string(x + box_w + gap - 4) +
           "\" y2=\"53\" stroke=\"#455a64\" marker-end=\"url(#arrow)\"/>";
    }
  }
  s += "<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"6\" refY=\"3\" "
       "orient=\"auto\">"
       "<path d=\"M0,0 L6,3 L0,6 z\" fill=\"#455a64\"/></marker></defs>";
  return s + "</svg>";
}

}  // namespace dlaaw::reports

// html.cpp - escaping and the page frame.
#include "reports/html.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace dlaaw::reports {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string number(double value, int digits) {
  if (std::isnan(value)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

std::string page(const std::string& title, const std::string& body, int refresh_seconds) {
  std::string html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">";
  if (refresh_seconds > 0)
    html += "<meta http-equiv=\"refresh\" content=\"" + std::to_string(refresh_seconds) + "\">";
  html +=
      "<title>" + escape(title) +
      " - dlaaw</title><style>"
      "body{font-family:sans-serif;margin:0;color:#222;background:#fafafa}"
      "nav{background:#263238;padding:8px 16px}nav "
      "a{color:#eceff1;margin-right:18px;text-decoration:none;font-weight:bold}"
      "main{padding:16px 24px}h1{font-size:22px}h2{font-size:17px;margin-top:26px}"
      "table{border-collapse:collapse;background:#fff;font-size:13px}"
      "th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}th{background:#eceff1}"
      "td.num{text-align:right;font-variant-numeric:tabular-nums}"
      "pre{background:#fff;border:1px solid #ddd;padding:8px;overflow:auto;font-size:12px}"
      ".state-finished{color:#2e7d32}.state-error,.state-lost{color:#c62828}.state-executing{color:"
      "#1565c0}"
      ".muted{color:#777}svg{background:#fff;border:1px solid #ddd;margin:6px 0}"
      "form.filters input,form.filters select{margin-right:8px}"
      "tr.differs{background:#fff8e1}tr.differs th{background:#ffecb3}tr.archived{color:#999}"
      "a.tag{display:inline-block;background:#e8eaf6;color:#283593;border-radius:3px;"
      "padding:0 4px;margin:1px;text-decoration:none;font-size:12px}"
      "blockquote{background:#fff;border-left:4px solid #90a4ae;margin:8px 0;padding:6px 12px;"
      "white-space:pre-wrap}"
      "</style></head><body><nav><a href=\"/\">Dashboard</a><a href=\"/runs\">Runs</a>"
      "<a href=\"/compare\">Compare</a><a href=\"/experiments\">Experiments</a></nav><main><h1>" +
      escape(title) + "</h1>" + body + "</main></body></html>";
  return html;
}

}  // namespace dlaaw::reports

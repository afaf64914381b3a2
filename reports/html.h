// html.h - HTML escaping and the page frame shared by every report page.
#pragma once

#include <string>
#include <string_view>

namespace dlaaw::reports {

// Escapes &, <, >, " and ' so that any value from a document or dataset shows as text.
std::string escape(std::string_view text);

// Percent-encodes a query parameter value.
std::string url_encode(std::string_view text);

// A complete page: title, navigation, inline CSS (no external scripts or fonts), `body` as is.
// `refresh_seconds` > 0 adds a meta refresh (the dashboard).
std::string page(const std::string& title, const std::string& body, int refresh_seconds = 0);

// "0.953" style number with `digits` decimals, or "-" for a null/NaN.
std::string number(double value, int digits = 3);

}  // namespace dlaaw::reports

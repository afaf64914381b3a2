// utf8.h - text from outside made valid UTF-8, so that every JSON writer downstream can print it.
#pragma once

#include <string>
#include <string_view>

namespace dlaaw {

namespace detail {
// The length of the well-formed UTF-8 sequence at text[i], or 0 when none starts there (a stray
// continuation byte, a truncated, overlong or surrogate sequence, a lead byte past U+10FFFF).
inline std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (lead < 0x80) {
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) lo = 0xA0;  // overlong
    if (lead == 0xED) hi = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) lo = 0x90;  // overlong
    if (lead == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char c = byte(i + k);
    if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return 0;
  }
  return length;
}
}  // namespace detail

// The offset of the first byte of `text` that does not start a well-formed UTF-8 sequence, or
// npos when the whole text is valid UTF-8.
inline std::size_t first_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = detail::utf8_sequence(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

// `text` with each byte that does not start a well-formed UTF-8 sequence replaced by U+FFFD.
// Valid text comes back unchanged. nlohmann's dump() throws on invalid UTF-8: a stream field such
// as a job's error must not be able to break every page that shows it.
inline std::string valid_utf8(std::string_view text) {
  if (first_invalid_utf8(text) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = detail::utf8_sequence(text, i);
    if (length > 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

}  // namespace dlaaw

//===- EscapeForTerminal.h - Names from a model, printable ------*- C++ -*-===//
//
// Names in a model are untrusted bytes. Whatever a tool prints of them goes
// through escapeForTerminal, so a name can neither break a one-line message
// nor drive the terminal. Header-only and free of LLVM, for kiln-run too.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_SUPPORT_ESCAPEFORTERMINAL_H
#define KILN_TOOLS_SUPPORT_ESCAPEFORTERMINAL_H

#include <string>
#include <string_view>

namespace kiln {

/// `text` with `\`, newline and tab escaped as in C, and every other byte
/// outside printable ASCII as `\xNN`.
inline std::string escapeForTerminal(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string result;
  for (unsigned char c : text) {
    if (c == '\\') {
      result += "\\\\";
    } else if (c == '\n') {
      result += "\\n";
    } else if (c == '\t') {
      result += "\\t";
    } else if (c >= 0x20 && c < 0x7f) {
      result += static_cast<char>(c);
    } else {
      result += "\\x";
      result += kHex[c >> 4];
      result += kHex[c & 15];
    }
  }
  return result;
}

} // namespace kiln

#endif // KILN_TOOLS_SUPPORT_ESCAPEFORTERMINAL_H

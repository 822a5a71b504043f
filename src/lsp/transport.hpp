// JSON-RPC 2.0 framing of the Language Server Protocol: messages with a `Content-Length`
// header, over file descriptors (the server uses standard input and output).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace nextguard::lsp {

/// A header block that cannot be read; the transport skips it and goes on.
struct FramingError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Transport {
public:
    Transport(int in_fd, int out_fd) : in_(in_fd), out_(out_fd) {}

    /// The body of the next message; nullopt at the end of the input. Throws FramingError
    /// for a header without a valid Content-Length (after consuming it).
    std::optional<std::string> read();

    /// True when input is already waiting: reading now would not block for long.
    bool pending();

    /// Writes one message; false when the output is closed.
    bool write(const std::string& body);

private:
    /// Reads what is available into the buffer, blocking when `block`; false at end of input.
    bool fill(bool block);
    int in_, out_;
    std::string buf_;
    bool eof_ = false;
};

}  // namespace nextguard::lsp
